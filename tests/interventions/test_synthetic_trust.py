"""End to end on the synthetic trust (docs/synthetic-trust.md): `trustlens synth` files import
with no errors, their programme codes are the register's, and evaluating every planted
intervention gives a 95% CI that holds its true effect (truth.json)."""

from __future__ import annotations

import pytest

from trustlens.imports.services import import_path
from trustlens.interventions import services
from trustlens.interventions.choices import Programme
from trustlens.interventions.models import Intervention
from trustlens.synth.generate import generate_trust
from trustlens.synth.interventions import SPECS

pytestmark = pytest.mark.django_db


def test_the_synthetic_trusts_programmes_are_in_the_register_vocabulary():
    assert {spec.programme for spec in SPECS} <= set(Programme.values)


def test_synthetic_trust_imports_and_its_planted_effects_are_recovered(settings, tmp_path):
    settings.STORE_DIR = tmp_path / "store"
    truth = generate_trust(tmp_path / "synth", academies=4, seed=3).to_dict()
    outcome = import_path(tmp_path / "synth", "demo", trust_name="Demo Trust")
    assert outcome.report.ok, outcome.report.issues[:5]
    planted = {p["intervention_id"]: p for p in truth["interventions"]}
    assert len(planted) == 6
    found = {}
    for intervention in Intervention.objects.unscoped().filter(trust__slug="demo"):
        evaluation = services.evaluate_intervention(intervention, None)
        found[intervention.intervention_id] = evaluation
        true_effect = planted[intervention.intervention_id]["true_effect_sd"]
        assert evaluation.design == "matched_pre_post", intervention.intervention_id
        assert evaluation.ci_low <= true_effect <= evaluation.ci_high, (
            intervention.intervention_id,
            true_effect,
            evaluation.effect_size,
            evaluation.ci_low,
            evaluation.ci_high,
        )
    assert set(found) == set(planted)
    null = next(i for i, p in planted.items() if p["true_effect_sd"] == 0)
    assert found[null].verdict != "positive"

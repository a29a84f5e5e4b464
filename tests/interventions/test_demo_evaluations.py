"""`trustlens demo-workflow` evaluates the interventions whose windows have passed, once, so the
demo's what-works library shows results (issue 12, item 9)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from typer.testing import CliRunner

from trustlens.assessment.models import AssessmentWindow
from trustlens.cli import build_app
from trustlens.imports.services import import_path
from trustlens.interventions.choices import Verdict
from trustlens.interventions.demo import due_interventions, evaluate_due
from trustlens.interventions.models import Evaluation, Intervention
from trustlens.organisations.models import Trust
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role
from trustlens.synth.generate import generate_trust

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_trust(settings, tmp_path) -> Trust:
    settings.STORE_DIR = tmp_path / "store"
    generate_trust(tmp_path / "synth", academies=4, seed=1)
    outcome = import_path(tmp_path / "synth", "demo", trust_name="Demo Trust")
    assert outcome.report.ok, outcome.report.issues[:5]
    return outcome.trust


def test_demo_workflow_evaluates_every_passed_intervention_once(demo_trust, client_for):
    runner = CliRunner()
    first = runner.invoke(build_app(), ["demo-workflow", "--trust", "demo", "--seed", "1"])
    assert first.exit_code == 0, first.output
    interventions = Intervention.objects.unscoped().filter(trust=demo_trust)
    assert interventions.count() == 6 and "evaluation" in first.output
    evaluated_ids = Evaluation.objects.unscoped().values_list("intervention_id", flat=True)
    assert set(evaluated_ids) == set(interventions.values_list("pk", flat=True))
    evaluated = Evaluation.objects.unscoped().count()
    again = runner.invoke(build_app(), ["demo-workflow", "--trust", "demo", "--seed", "1"])
    assert again.exit_code == 0 and Evaluation.objects.unscoped().count() == evaluated
    verdicts = set(Evaluation.objects.unscoped().values_list("verdict", flat=True))
    assert verdicts - {Verdict.NOT_EVALUATED}
    executive = UserFactory(username="demo_exec")
    grant_role(executive, Role.TRUST_EXECUTIVE, demo_trust)
    page = client_for(executive).get(reverse("interventions:library")).content.decode()
    assert "Not evaluated" not in page


def test_only_interventions_whose_post_window_has_closed_are_due(demo_trust):
    everything = due_interventions(demo_trust, dt.date(2100, 1, 1))
    assert len(everything) == 6
    assert due_interventions(demo_trust, dt.date(2000, 1, 1)) == []
    windows = AssessmentWindow.objects.unscoped().filter(trust=demo_trust)
    first_close = min(
        windows.get(academic_year=i.post_year, term=i.post_term).closes for i in everything
    )
    assert len(due_interventions(demo_trust, first_close)) < 6  # closes *before* today
    assert evaluate_due("demo", first_close).evaluated == []

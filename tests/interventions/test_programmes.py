"""A programme used in several academies: each use is compared with similar pupils in the
academies that do not use it, and the library pools those comparisons (random effects)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.interventions.conftest import add_records, write_store
from trustlens.analytics.impact.simulation import PlantedIntervention, synthetic_trust
from trustlens.interventions import services
from trustlens.interventions.choices import Comparison, Programme
from trustlens.interventions.factories import InterventionFactory
from trustlens.interventions.models import Evaluation, InterventionPupil
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db
EFFECT = 0.3


@pytest.fixture
def three_academies(world, store_dir):
    """A, B and a third academy C; the programme runs at A and B (true effect 0.3), not at C."""
    academy_c = Academy.objects.create(
        trust=world.trust, cluster=world.cluster_b, urn=144004, laestab=9994004,
        name="Cedarfield Academy", phase="secondary", joined_trust=dt.date(2018, 9, 1),
    )  # fmt: skip
    academies = {a.urn: a for a in (world.academy_a, world.academy_b, academy_c)}
    planted = (
        PlantedIntervention(world.academy_a.urn, EFFECT),
        PlantedIntervention(world.academy_b.urn, EFFECT),
    )
    synthetic = synthetic_trust(11, tuple(academies), planted, pupils_per_academy=150)
    write_store(store_dir, world.trust.slug, synthetic.tables)
    pupils = add_records(world.trust, academies, synthetic.tables["pupils"])
    interventions = []
    for academy, participants in zip(
        (world.academy_a, world.academy_b), synthetic.participants, strict=True
    ):
        intervention = InterventionFactory(
            trust=world.trust, academies=[academy], programme=Programme.CATCH_UP,
            subject="Reading", name=f"Reading catch-up at {academy.name}",
        )  # fmt: skip
        InterventionPupil.objects.bulk_create(
            InterventionPupil(intervention=intervention, pupil=pupils[p], academy=academy)
            for p in participants
        )
        interventions.append(intervention)
    return world, academy_c, interventions


def test_each_use_is_compared_with_academies_that_do_not_use_it(three_academies, exec_user):
    world, academy_c, interventions = three_academies
    for intervention in interventions:
        services.evaluate_intervention(intervention, exec_user)
    versus = Evaluation.objects.unscoped().filter(comparison=Comparison.NON_USERS)
    assert versus.count() == 2
    for evaluation in versus:
        assert evaluation.result["excluded_urns"] == sorted(
            [world.academy_a.urn, world.academy_b.urn]
        )
        assert evaluation.effect_size is not None and evaluation.n_comparison > 0


def test_the_library_pools_the_programme_across_academies(three_academies, exec_user, client_for):
    _, _, interventions = three_academies
    for intervention in interventions:
        services.evaluate_intervention(intervention, exec_user)
    response = client_for(exec_user).get(reverse("interventions:library"))
    comparisons = response.context["comparisons"]
    assert [c["programme"] for c in comparisons] == ["Catch-up withdrawal teaching"]
    pooled = comparisons[0]["pooled"]
    assert pooled.k == 2 and comparisons[0]["n_academies"] == 2
    # Every comparison pupil is at the one academy that does not use it: the academy's own
    # progress is inseparable from the programme's, and each evaluation says so.
    for evaluation in comparisons[0]["evaluations"]:
        codes = {c["code"]: c["text"] for c in evaluation.cautions}
        assert "come from only 1 academy" in codes["academy_differences"]
        assert evaluation.result["context_adjusted"] is True

"""Services: the register, participants (scope), evaluation against the store, programme comparison."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.interventions.conftest import TRUE_EFFECT
from trustlens.core.models import AuditEvent
from trustlens.interventions import services
from trustlens.interventions.choices import Comparison, Programme
from trustlens.interventions.factories import InterventionFactory
from trustlens.interventions.models import Evaluation, Intervention, InterventionPupil
from trustlens.pupils.models import Pupil

pytestmark = pytest.mark.django_db


def _new(world, **fields) -> Intervention:
    base = dict(
        name="Maths mastery",
        programme=Programme.MATHS_MASTERY,
        subject="Maths",
        post_year="2024/25",
        post_term="summer",
    )
    return Intervention(**(base | fields))


def test_headteacher_registers_an_intervention_in_own_academy(world, head_a):
    intervention = services.save_intervention(head_a, _new(world), [world.academy_a])
    assert intervention.trust == world.trust
    assert intervention.intervention_id == "INT-0001"
    assert intervention.academy_ids == {world.academy_a.pk}
    event = AuditEvent.objects.get(
        object_type="interventions.intervention", object_id=str(intervention.pk)
    )
    assert event.action == AuditEvent.Action.CREATE and event.user == head_a


@pytest.mark.parametrize("user_fixture", ["head_a", "teacher_a", "trustee_user", "exec_x"])
def test_registering_in_another_academy_or_without_pupil_scope_is_refused(
    request, world, user_fixture
):
    user = request.getfixturevalue(user_fixture)
    academy = world.academy_a if user_fixture in ("teacher_a", "trustee_user") else world.academy_b
    with pytest.raises(PermissionDenied):
        services.save_intervention(user, _new(world), [academy])


def test_update_records_changed_fields_and_academies(world, exec_user):
    intervention = services.save_intervention(exec_user, _new(world), [world.academy_a])
    intervention.name = "Maths mastery (Year 5)"
    services.save_intervention(exec_user, intervention, [world.academy_a, world.academy_b])
    event = AuditEvent.objects.filter(action=AuditEvent.Action.UPDATE).latest("at")
    assert event.changes["name"] == ["Maths mastery", "Maths mastery (Year 5)"]
    assert event.changes["academies"] == [
        [world.academy_a.pk],
        sorted([world.academy_a.pk, world.academy_b.pk]),
    ]


def test_a_head_cannot_change_a_joint_intervention_with_another_academy(world, head_a):
    joint = InterventionFactory(trust=world.trust, academies=[world.academy_a, world.academy_b])
    with pytest.raises(PermissionDenied):
        services.save_intervention(head_a, joint, [world.academy_a])


def test_participants_must_be_on_the_roll_of_the_interventions_academies(world, head_a):
    intervention = InterventionFactory(trust=world.trust, academies=[world.academy_a])
    pupils = world.pupils["A"] + world.pupils["B"]
    added = services.add_participants(head_a, intervention, pupils)
    assert added == 2
    assert set(InterventionPupil.objects.unscoped().values_list("pupil__surname", flat=True)) == {
        "Aardvarkson",
        "Applewhite",
    }
    assert services.add_participants(head_a, intervention, pupils) == 0


def test_pupils_by_ids_reports_unknown_ids(world, head_a):
    intervention = InterventionFactory(trust=world.trust, academies=[world.academy_a])
    found, unknown = services.pupils_by_ids(head_a, intervention, ["A00001", "B00001", "nobody"])
    assert [p.pupil_id for p in found] == ["A00001"]
    assert unknown == ["B00001", "nobody"]


def test_pupils_by_filter_uses_records_and_the_stores_prior_attainment(impact_world, head_a):
    world, intervention = impact_world.world, impact_world.intervention
    everyone = services.pupils_by_filter(
        head_a, intervention, {"academy": world.academy_a, "year_group": 9}
    )
    assert len(everyone) == 152  # 150 synthetic pupils + the two of the world fixture
    disadvantaged = services.pupils_by_filter(
        head_a, intervention, {"academy": world.academy_a, "year_group": 9, "disadvantaged": "yes"}
    )
    assert disadvantaged and all(p.disadvantaged for p in disadvantaged)
    low = services.pupils_by_filter(
        head_a, intervention, {"academy": world.academy_a, "year_group": 9, "prior_below": 100}
    )
    assert 0 < len(low) < 150
    assert all(p.pupil_id.startswith("S") for p in low)


def test_evaluation_recovers_the_planted_effect(impact_world, exec_user):
    evaluation = services.evaluate_intervention(impact_world.intervention, exec_user)
    assert evaluation.design == "matched_pre_post"
    assert evaluation.n_registered == len(impact_world.participants)
    assert evaluation.n_intervention >= 0.9 * len(impact_world.participants)
    assert evaluation.n_comparison == evaluation.n_intervention
    assert evaluation.ci_low <= TRUE_EFFECT <= evaluation.ci_high
    assert evaluation.months is not None and evaluation.cost_per_pupil is not None
    codes = {c["code"] for c in evaluation.cautions}
    assert {"not_randomised", "single_academy", "regression_to_mean"} <= codes
    assert evaluation.result["attendance"] is not None
    assert evaluation.result["prior_measure"] == "ks2_reading"
    assert AuditEvent.objects.filter(
        object_type="interventions.evaluation", user=exec_user
    ).exists()


def test_evaluating_needs_manage_rights(impact_world, head_a, trustee_user):
    services.evaluate_intervention(impact_world.intervention, head_a)
    with pytest.raises(PermissionDenied):
        services.evaluate_intervention(impact_world.intervention, trustee_user)


def test_no_store_data_gives_no_comparison_and_says_so(world, exec_user, store_dir):
    intervention = InterventionFactory(trust=world.trust, academies=[world.academy_a])
    services.add_participants(exec_user, intervention, world.pupils["A"])
    evaluation = services.evaluate_intervention(intervention, exec_user)
    assert evaluation.design == "no_comparison" and evaluation.effect_size is None
    assert evaluation.cautions[0]["code"] == "no_comparison"
    assert evaluation.result["attrition"] == 1.0


def test_a_programme_in_two_academies_is_also_compared_with_academies_not_using_it(
    impact_world, exec_user
):
    world = impact_world.world
    other = InterventionFactory(
        trust=world.trust,
        academies=[world.academy_b],
        programme=Programme.READING,
        subject="Reading",
    )
    low_b = Pupil.objects.unscoped().filter(pupil_id__startswith=f"S{world.academy_b.urn}")[:20]
    services.add_participants(exec_user, other, list(low_b))
    services.evaluate_intervention(impact_world.intervention, exec_user)
    versus = (
        Evaluation.objects.unscoped()
        .filter(intervention=impact_world.intervention, comparison=Comparison.NON_USERS)
        .get()
    )
    assert versus.result["excluded_urns"] == sorted([world.academy_a.urn, world.academy_b.urn])
    assert versus.design == "no_comparison"  # every academy of this trust uses the programme

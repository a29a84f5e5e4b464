"""Views: the library, register, pupils and evaluation pages, as each role sees them."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.interventions.choices import Programme
from trustlens.interventions.factories import EvaluationFactory, InterventionFactory
from trustlens.interventions.models import Evaluation, Intervention, InterventionPupil

pytestmark = pytest.mark.django_db
LIBRARY = reverse("interventions:library")


@pytest.fixture
def at_a(world):
    intervention = InterventionFactory(
        trust=world.trust,
        academies=[world.academy_a],
        name="Alpha phonics",
        programme=Programme.PHONICS,
    )
    InterventionPupil.objects.create(
        intervention=intervention, pupil=world.pupils["A"][0], academy=world.academy_a
    )
    EvaluationFactory(intervention=intervention)
    return intervention


@pytest.fixture
def at_b(world):
    intervention = InterventionFactory(
        trust=world.trust,
        academies=[world.academy_b],
        name="Beta tutoring",
        programme=Programme.TUTORING,
    )
    EvaluationFactory(
        intervention=intervention,
        effect_size=-0.2,
        ci_low=-0.35,
        ci_high=-0.05,
        verdict="negative",
        months=-3,
    )
    return intervention


def test_library_lists_own_academys_interventions_with_result_and_cautions(
    client_for, head_a, at_a, at_b
):
    body = client_for(head_a).get(LIBRARY).content.decode()
    assert "Alpha phonics" in body and "Beta tutoring" not in body
    assert "we cannot tell whether it worked" in body
    assert "Unclear" in body and "+0.21" in body
    assert "Register an intervention" in body


def test_trust_executive_sees_every_academys_including_negative_results(
    client_for, exec_user, at_a, at_b
):
    body = client_for(exec_user).get(LIBRARY).content.decode()
    assert "Alpha phonics" in body and "Beta tutoring" in body
    assert "Negative" in body and "\u22120.20" in body


def test_library_filters(client_for, exec_user, world, at_a, at_b):
    client = client_for(exec_user)
    body = client.get(LIBRARY, {"programme": "tutoring"}).content.decode()
    assert "Beta tutoring" in body and "Alpha phonics" not in body
    world.academy_b.phase = "primary"
    world.academy_b.save()
    body = client.get(LIBRARY, {"phase": "primary"}).content.decode()
    assert "Beta tutoring" in body and "Alpha phonics" not in body
    body = client.get(LIBRARY, {"group": "disadvantaged"}).content.decode()
    assert "disadvantaged pupils" in body


def test_a_joint_intervention_names_only_academies_in_scope(client_for, head_a, world):
    joint = InterventionFactory(
        trust=world.trust, academies=[world.academy_a, world.academy_b], name="Joint oracy"
    )
    body = client_for(head_a).get(reverse("interventions:detail", args=[joint.pk])).content.decode()
    assert "Alderbrook Academy and 1 other academy in the trust" in body
    assert "Bramblewood" not in body


def test_detail_of_another_academys_intervention_is_not_found(client_for, head_a, at_b):
    for name in ("detail", "edit", "pupils"):
        assert (
            client_for(head_a).get(reverse(f"interventions:{name}", args=[at_b.pk])).status_code
            == 404
        )
    assert (
        client_for(head_a).post(reverse("interventions:evaluate", args=[at_b.pk])).status_code
        == 404
    )


def test_trustee_sees_results_but_never_pupils(client_for, trustee_user, at_a):
    client = client_for(trustee_user)
    body = client.get(reverse("interventions:detail", args=[at_a.pk])).content.decode()
    assert "Alpha phonics" in body and "Aardvarkson" not in body
    assert client.get(reverse("interventions:pupils", args=[at_a.pk])).status_code == 403
    assert "Register an intervention" not in client.get(LIBRARY).content.decode()


def test_teacher_sees_only_own_class_pupils_and_cannot_change(client_for, teacher_a, world, at_a):
    InterventionPupil.objects.create(
        intervention=at_a, pupil=world.pupils["A"][1], academy=world.academy_a
    )
    client = client_for(teacher_a)
    body = client.get(reverse("interventions:pupils", args=[at_a.pk])).content.decode()
    assert "Aardvarkson" in body and "Applewhite" not in body
    assert "Remove selected" not in body
    assert client.post(reverse("interventions:evaluate", args=[at_a.pk])).status_code == 403


def test_pupils_page_logs_pupil_level_access(client_for, head_a, at_a):
    client_for(head_a).get(reverse("interventions:pupils", args=[at_a.pk]))
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW_PUPIL, user=head_a).count() == 1


def test_register_then_add_pupils_by_filter_and_by_id(client_for, head_a, world):
    client = client_for(head_a)
    response = client.post(
        reverse("interventions:create"),
        {
            "name": "Reading buddies",
            "programme": "reading",
            "academies": [world.academy_a.pk],
            "subject": "Reading",
            "pre_year": "2024/25",
            "pre_term": "autumn",
            "post_year": "2024/25",
            "post_term": "summer",
            "cost_fixed": "300",
            "cost_per_pupil": "12.50",
        },
    )
    intervention = Intervention.objects.unscoped().get(name="Reading buddies")
    assert response.status_code == 302 and response["Location"] == reverse(
        "interventions:pupils", args=[intervention.pk]
    )
    pupils_url = reverse("interventions:pupils", args=[intervention.pk])
    client.post(
        pupils_url, {"academy": world.academy_a.pk, "year_group": "9", "disadvantaged": "yes"}
    )
    assert list(intervention.participants.unscoped().values_list("pupil__surname", flat=True)) == [
        "Aardvarkson"
    ]
    response = client.post(pupils_url, {"pupil_ids": "A00002, B00001"}, follow=True)
    assert "Not found in this intervention&#x27;s academies: B00001" in response.content.decode()
    assert intervention.participants.unscoped().count() == 2


def test_register_form_checks_windows(client_for, head_a, world):
    response = client_for(head_a).post(
        reverse("interventions:create"),
        {
            "name": "Backwards",
            "programme": "reading",
            "academies": [world.academy_a.pk],
            "subject": "Reading",
            "pre_year": "2024/25",
            "pre_term": "summer",
            "post_year": "2024/25",
            "post_term": "autumn",
            "cost_fixed": "0",
            "cost_per_pupil": "0",
        },
    )
    assert response.status_code == 200
    assert "The post-test must come after the pre-test." in response.content.decode()


def test_evaluate_button_stores_and_shows_the_result(client_for, exec_user, impact_world):
    client = client_for(exec_user)
    intervention = impact_world.intervention
    response = client.post(reverse("interventions:evaluate", args=[intervention.pk]), follow=True)
    body = response.content.decode()
    assert Evaluation.objects.unscoped().filter(intervention=intervention).count() == 1
    assert "Balance: participants and comparison pupils before and after matching" in body
    assert "What this can and cannot show" in body
    assert "regression to the mean" in body


def test_removing_participants(client_for, head_a, world, at_a):
    url = reverse("interventions:pupils", args=[at_a.pk])
    client_for(head_a).post(url, {"remove": [world.pupils["A"][0].pk]})
    assert not at_a.participants.unscoped().exists()

"""Joint CPD (Guskey levels), inquiry and lesson study, leadership and succession pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trustlens.development.choices import GuskeyLevel
from trustlens.development.factories import (
    CpdEvaluationFactory,
    CpdSessionFactory,
    InquiryFactory,
    KeyRoleFactory,
    StaffFactory,
    SuccessorFactory,
)
from trustlens.development.models import CpdAttendance, CpdEvaluation, InquiryProject

pytestmark = pytest.mark.django_db


def test_cpd_register_and_guskey_levels(world, people, head_a, client_for):
    session = CpdSessionFactory(host_academy=world.academy_a, title="Maths network")
    client = client_for(head_a)
    client.post(
        reverse("development:attendance_add", args=[session.pk]), {"staff": people["novice"].pk}
    )
    response = client.post(
        reverse("development:attendance_add", args=[session.pk]), {"staff": people["novice"].pk}
    )
    assert response.status_code == 400 and "already on the register" in response.content.decode()
    assert CpdAttendance.objects.unscoped().filter(session=session).count() == 1
    bad = client.post(
        reverse("development:evaluation_add", args=[session.pk]),
        {"level": GuskeyLevel.USE, "evidence": "Learning walks", "positive_percent": "140"},
    )
    assert bad.status_code == 400 and not CpdEvaluation.objects.unscoped().exists()
    CpdEvaluationFactory(
        session=session, level=GuskeyLevel.USE, positive_percent=61, respondents=12
    )
    body = client.get(reverse("development:cpd")).content.decode()
    assert "4. Use of new knowledge and skills" in body
    body = client.get(reverse("development:cpd_detail", args=[session.pk])).content.decode()
    assert "61%" in body and "Not yet evaluated at this level" in body


def test_inquiry_offered_to_library_needs_findings(world, head_a, client_for):
    response = client_for(head_a).post(
        reverse("development:inquiry_create"),
        {"lead_academy": world.academy_a.pk, "kind": "lesson_study", "question": "Why?",
         "started_on": "2026-01-05", "for_library": "on"},
    )  # fmt: skip
    assert response.status_code == 400 and "Write the findings" in response.content.decode()
    assert not InquiryProject.objects.unscoped().exists()
    project = InquiryFactory(lead_academy=world.academy_a)
    staff = StaffFactory(academy=world.academy_a, name="Ivy Inquirer")
    client_for(head_a).post(
        reverse("development:inquiry_edit", args=[project.pk]),
        {"lead_academy": world.academy_a.pk, "kind": "lesson_study", "question": project.question,
         "started_on": "2026-01-05", "staff": [staff.pk], "findings": "It helped."},
    )  # fmt: skip
    body = (
        client_for(head_a)
        .get(reverse("development:inquiry_detail", args=[project.pk]))
        .content.decode()
    )
    assert "Ivy Inquirer" in body and "It helped." in body


def test_succession_warns_without_a_ready_now_successor(world, head_a, client_for):
    role = KeyRoleFactory(academy=world.academy_a, title="SENCo")
    SuccessorFactory(role=role, readiness="ready_later")
    body = client_for(head_a).get(reverse("development:leadership")).content.decode()
    assert "1 key role without a successor ready now" in body
    SuccessorFactory(role=role, readiness="ready_now")
    body = client_for(head_a).get(reverse("development:leadership")).content.decode()
    assert "without a successor ready now" not in body

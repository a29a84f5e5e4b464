"""The staff directory and expertise register: search, scope, who may write."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.development.factories import DeploymentFactory
from trustlens.development.models import Expertise, StaffMember

pytestmark = pytest.mark.django_db


def test_directory_searches_by_topic_academy_cluster_and_availability(
    world, people, exec_user, client_for
):
    client = client_for(exec_user)
    url = reverse("development:directory")
    body = client.get(url, {"q": "maths"}).content.decode()
    assert "Bea Expert" in body and "Nia Novice" in body and "Hal Head" not in body
    body = client.get(url, {"academy": world.academy_a.pk}).content.decode()
    assert "Nia Novice" in body and "Bea Expert" not in body
    body = client.get(url, {"cluster": world.cluster_b.pk}).content.decode()
    assert "Bea Expert" in body and "Nia Novice" not in body
    DeploymentFactory(staff=people["expert"], to_academy=world.academy_a, days=Decimal(10))
    body = client.get(url, {"q": "maths", "available": "yes"}).content.decode()
    assert "Bea Expert" not in body and "Sam Accredited" in body  # Bea's 10 days are committed


def test_head_sees_own_academys_staff_only(world, people, head_a, client_for):
    client = client_for(head_a)
    body = client.get(reverse("development:directory")).content.decode()
    assert "Nia Novice" in body and "Bea Expert" not in body
    assert (
        client.get(reverse("development:staff_detail", args=[people["expert"].pk])).status_code
        == 404
    )


def test_head_adds_staff_and_expertise_audited(world, head_a, client_for):
    client = client_for(head_a)
    response = client.post(
        reverse("development:staff_create"),
        {
            "academy": world.academy_a.pk,
            "name": "Ada New",
            "job_title": "Teacher",
            "days_available": "5",
        },
    )
    assert response.status_code == 302
    staff = StaffMember.objects.unscoped().get(name="Ada New")
    client.post(
        reverse("development:expertise_add", args=[staff.pk]),
        {"area": "subject", "topic": "physics", "level": "secure"},
    )
    assert Expertise.objects.unscoped().filter(staff=staff, topic="physics").exists()
    assert AuditEvent.objects.filter(
        object_type="development.staffmember", action="create"
    ).exists()


def test_negative_days_available_refused(world, head_a, client_for):
    response = client_for(head_a).post(
        reverse("development:staff_create"),
        {"academy": world.academy_a.pk, "name": "Neg Days", "days_available": "-1"},
    )
    assert response.status_code == 400 and "cannot be negative" in response.content.decode()
    assert not StaffMember.objects.unscoped().exists()


def test_teacher_cannot_add_staff_and_head_cannot_add_to_b(world, teacher_a, head_a, client_for):
    assert client_for(teacher_a).get(reverse("development:staff_create")).status_code == 403
    response = client_for(head_a).post(
        reverse("development:staff_create"), {"academy": world.academy_b.pk, "name": "Intruder"}
    )
    assert response.status_code == 400  # B is not a choice for A's head
    assert not StaffMember.objects.unscoped().exists()


def test_trustee_sees_counts_only(world, people, trustee_user, client_for):
    client = client_for(trustee_user)
    body = client.get(reverse("development:index")).content.decode()
    assert "4 people" in body and "Bea Expert" not in body
    assert client.get(reverse("development:directory")).status_code == 403

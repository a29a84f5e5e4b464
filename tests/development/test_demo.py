"""The demo seed: the weak academy's maths need is met by a maths expert from the strong one,
capacity is breached where planted, everything is written once."""

from __future__ import annotations

import datetime as dt

import pytest

from trustlens.development import reports
from trustlens.development.demo import seed_demo
from trustlens.development.models import Deployment, Need, StaffMember
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db
TODAY = dt.date(2026, 11, 20)


@pytest.fixture
def staged(world):
    Academy.objects.unscoped().filter(pk=world.academy_a.pk).update(
        improvement_stage="stabilise", ofsted_grade="4"
    )
    Academy.objects.unscoped().filter(pk=world.academy_b.pk).update(
        improvement_stage="lead", ofsted_grade="1"
    )
    return world


def test_weak_academy_gets_a_maths_expert_from_the_strong_one(staged, exec_user):
    counts = seed_demo(staged.trust.slug, 1, TODAY)
    assert counts["staff"] == 12 and counts["deployment"] >= 1
    need = Need.objects.unscoped().get(academy=staged.academy_a, topic="maths")
    deployment = Deployment.objects.unscoped().get(need=need)
    assert deployment.from_academy_id == staged.academy_b.pk and deployment.days == 10
    assert (
        deployment.staff.expertise.model.objects.unscoped()
        .filter(staff=deployment.staff, topic="maths", level="accredited")
        .exists()
    )
    assert deployment.backfill_by and deployment.backfill_paid_by
    found = reports.match(exec_user, need, TODAY, lambda a: a.improvement_stage)
    assert not any(c.staff.academy_id == staged.academy_a.pk for c in found["ranked"])


def test_seed_is_idempotent(staged):
    first = seed_demo(staged.trust.slug, 1, TODAY)
    names = sorted(StaffMember.objects.unscoped().values_list("name", flat=True))
    assert seed_demo(staged.trust.slug, 1, TODAY) == {}
    assert StaffMember.objects.unscoped().count() == first["staff"]
    assert names == sorted(StaffMember.objects.unscoped().values_list("name", flat=True))


def test_seed_with_more_academies_plants_a_capacity_breach(staged, exec_user, client_for):
    from trustlens.organisations.factories import AcademyFactory

    AcademyFactory(
        trust=staged.trust, cluster=None, name="Clusterless Academy", improvement_stage="sustain"
    )
    AcademyFactory(
        trust=staged.trust,
        cluster=staged.cluster_b,
        name="Fourth Academy",
        improvement_stage="improve",
    )
    today = dt.date.today()
    counts = seed_demo(staged.trust.slug, 2, today)
    assert counts["deployment"] == 4  # the maths deployment, two leaders of one academy, one more
    academies = list(Academy.objects.unscoped().filter(trust=staged.trust))
    over = [
        r.academy.name for r in reports.capacity_rows(academies, reports.term_of(today)) if r.over
    ]
    assert len(over) == 1
    body = client_for(exec_user).get("/people/capacity/").content.decode()
    assert "Over the limit" in body

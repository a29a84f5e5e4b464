"""The match view: people ranked by topic fit, level, same cluster, load; never from an
academy whose stage or capacity says it cannot give, and each exclusion says why."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from trustlens.development import reports
from trustlens.development.choices import Area, Level
from trustlens.development.factories import (
    DeploymentFactory,
    ExpertiseFactory,
    NeedFactory,
    StaffFactory,
)
from trustlens.development.models import Need
from trustlens.improvement.services import stage_label
from trustlens.organisations.factories import AcademyFactory
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _label(academy):
    return stage_label(academy.trust_id, academy.improvement_stage)


def _names(found, key="ranked"):
    return [c.staff.name for c in found[key]]


def test_ranking_by_level_then_cluster_then_load(world, people, exec_user):
    need = NeedFactory(academy=world.academy_a, level_needed=Level.EXPERT)
    # a second academy in A's own cluster with an expert: same cluster comes before B's expert
    near = AcademyFactory(trust=world.trust, cluster=world.cluster_a, name="Nearby Academy")
    close = StaffFactory(academy=near, name="Cleo Close")
    found = reports.match(exec_user, need, TODAY, _label)
    assert _names(found) == ["Sam Accredited", "Bea Expert"]  # accredited above expert
    ExpertiseFactory(staff=close, topic="maths", level=Level.EXPERT)
    found = reports.match(exec_user, need, TODAY, _label)
    assert _names(found) == ["Sam Accredited", "Cleo Close", "Bea Expert"]
    # load: once Cleo has days committed this term, equal-level Bea in another cluster still
    # follows (cluster first), but among B's people the lighter load ranks first
    DeploymentFactory(staff=people["sle"], to_academy=world.academy_a, days=Decimal(4))
    ExpertiseFactory(staff=people["expert"], topic="maths", level=Level.ACCREDITED)
    found = reports.match(exec_user, need, TODAY, _label)
    assert _names(found)[:2] == ["Bea Expert", "Sam Accredited"]


def test_topic_and_area_fit(world, people, exec_user):
    need = NeedFactory(academy=world.academy_a, area=Area.SEND, topic="autism")
    assert reports.match(exec_user, need, TODAY, _label)["ranked"] == []
    senco = StaffFactory(academy=world.academy_b, name="Sena Senco")
    ExpertiseFactory(staff=senco, area=Area.SEND, topic="autism and ADHD", level=Level.SECURE)
    found = reports.match(exec_user, need, TODAY, _label)
    assert _names(found) == ["Sena Senco"]
    assert any("below the Expert" in r for r in found["ranked"][0].reasons)


def test_academy_at_a_stage_that_does_not_give_is_excluded_with_the_reason(
    world, people, exec_user
):
    Academy.objects.unscoped().filter(pk=world.academy_b.pk).update(improvement_stage="stabilise")
    need = NeedFactory(academy=world.academy_a)
    found = reports.match(exec_user, need, TODAY, _label)
    assert found["ranked"] == []
    assert _names(found, "excluded") == ["Sam Accredited", "Bea Expert"]
    assert (
        "Stabilise" in found["excluded"][0].excluded
        and "do not give" in found["excluded"][0].excluded
    )


def test_academy_over_its_capacity_share_is_excluded(world, people, exec_user):
    DeploymentFactory(
        staff=people["expert"], to_academy=world.academy_a, days=Decimal(24)
    )  # 20% of 120
    need = NeedFactory(academy=world.academy_a)
    found = reports.match(exec_user, need, TODAY, _label)
    assert found["ranked"] == []
    assert "already gives 20% of its leaders' time" in found["excluded"][0].excluded


def test_no_consent_and_no_days_left_are_reasons(world, people, exec_user):
    people["sle"].consent_to_deploy = False
    people["sle"].save()
    people["expert"].days_available = Decimal(0)
    people["expert"].save()
    found = reports.match(exec_user, NeedFactory(academy=world.academy_a), TODAY, _label)
    reasons = {c.staff.name: c.excluded for c in found["excluded"]}
    assert reasons["Sam Accredited"] == "Has not agreed to be deployed."
    assert reasons["Bea Expert"].startswith("No days left this term")


def test_match_page_for_exec_and_head(world, people, exec_user, head_a, client_for):
    need = NeedFactory(academy=world.academy_a, title="Maths at Alderbrook")
    url = reverse("development:need_match", args=[need.pk])
    body = client_for(exec_user).get(url).content.decode()
    assert "Sam Accredited" in body and "Deploy" in body
    body = client_for(head_a).get(url).content.decode()
    assert "Bea Expert" not in body and "for the trust, regional and cluster leads" in body


def test_need_form_refuses_zero_days_and_writes_nothing(world, head_a, client_for):
    response = client_for(head_a).post(
        reverse("development:need_create"),
        {"academy": world.academy_a.pk, "title": "Maths", "area": "subject", "topic": "maths",
         "level_needed": "expert", "days_needed": "0", "raised_on": "2026-01-10", "status": "open"},
    )  # fmt: skip
    assert response.status_code == 400 and "more than zero" in response.content.decode()
    assert not Need.objects.unscoped().exists()


def test_a_support_request_becomes_a_need(world, head_a, client_for):
    from trustlens.improvement.factories import SupportFactory

    support = SupportFactory(
        academy=world.academy_a, description="Help with KS3 maths", status="requested"
    )
    client = client_for(head_a)
    body = client.get(reverse("development:needs")).content.decode()
    assert "Help with KS3 maths" in body and "Record as a need" in body
    client.post(
        reverse("development:need_create"),
        {"academy": world.academy_a.pk, "title": "KS3 maths", "area": "subject", "topic": "maths",
         "level_needed": "expert", "days_needed": "5", "support": support.pk,
         "raised_on": "2026-01-10", "status": "open"},
    )  # fmt: skip
    need = Need.objects.unscoped().get(support=support)
    assert need.academy_id == world.academy_a.pk
    assert "Help with KS3 maths" not in client.get(reverse("development:needs")).content.decode()

"""Support ledger (issue 6, build 6): support requested and given (central team, another
academy, cluster, external), days and cost, linked to priorities; what academies at each stage
received and what followed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement import reports, services
from trustlens.improvement.factories import (
    PlanFactory,
    PriorityFactory,
    StageChangeFactory,
    SupportFactory,
)
from trustlens.improvement.models import Support
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db


def _stage(academy, code):
    Academy.objects.unscoped().filter(pk=academy.pk).update(improvement_stage=code)
    academy.improvement_stage = code


def test_support_keeps_the_stage_when_requested(world, head_a):
    _stage(world.academy_a, "stabilise")
    priority = PriorityFactory(plan=PlanFactory(academy=world.academy_a))
    support = services.save_support(
        head_a,
        Support(
            academy=world.academy_a,
            provider="academy",
            provider_academy=world.academy_b,
            description="Maths lead coaching",
            priority=priority,
            requested_on=dt.date.today(),
            days=Decimal("3.5"),
            cost=Decimal("1200"),
        ),
    )
    assert support.stage_at_request == "stabilise" and support.created_by == head_a
    assert AuditEvent.objects.filter(object_type="improvement.support", action="create").exists()


def test_provider_rules(world, head_a):
    base = {"academy": world.academy_a, "description": "x", "requested_on": dt.date.today()}
    with pytest.raises(ValidationError):
        services.save_support(head_a, Support(provider="academy", **base))
    with pytest.raises(ValidationError):
        services.save_support(
            head_a, Support(provider="academy", provider_academy=world.academy_a, **base)
        )
    other = PriorityFactory(plan=PlanFactory(academy=world.academy_b))
    with pytest.raises(ValidationError):
        services.save_support(head_a, Support(provider="central", priority=other, **base))


@pytest.mark.parametrize("user_fixture", ["teacher_a", "trustee_user", "head_b"])
def test_only_leaders_record_support(request, world, user_fixture):
    with pytest.raises(PermissionDenied):
        services.save_support(
            request.getfixturevalue(user_fixture),
            Support(
                academy=world.academy_a,
                provider="central",
                description="x",
                requested_on=dt.date.today(),
            ),
        )


def test_support_by_stage_and_what_followed(world, exec_user):
    _stage(world.academy_a, "stabilise")
    SupportFactory(
        academy=world.academy_a,
        stage_at_request="stabilise",
        requested_on=dt.date(2025, 9, 1),
        days=4,
        cost=2000,
    )
    SupportFactory(
        academy=world.academy_b,
        stage_at_request="improve",
        requested_on=dt.date(2025, 9, 1),
        days=1,
    )
    StageChangeFactory(
        academy=world.academy_a,
        previous_stage="stabilise",
        stage="improve",
        changed_on=dt.date(2026, 1, 10),
    )
    report = reports.support_by_stage(exec_user)
    by_stage = {g["stage"]: g for g in report["summary"]}
    assert by_stage["Stabilise"]["days"] == 4 and by_stage["Stabilise"]["forward"] == 1
    assert by_stage["Improve"]["forward"] == 0
    row_a = next(r for r in report["rows"] if r["support"].academy_id == world.academy_a.pk)
    assert row_a["movement"] == "forward" and row_a["next_stage"] == "Improve"


def test_ledger_view_and_scoping(world, head_a, exec_user, client_for):
    SupportFactory(academy=world.academy_a, description="Coaching for Alderbrook", days=2, cost=500)
    SupportFactory(
        academy=world.academy_b, description="Coaching for Bramblewood", days=1, cost=100
    )
    head_page = client_for(head_a).get(reverse("improvement:ledger")).content.decode()
    assert "Coaching for Alderbrook" in head_page and "Coaching for Bramblewood" not in head_page
    exec_page = client_for(exec_user).get(reverse("improvement:ledger")).content.decode()
    assert "3 days, £600" in exec_page


def test_trustee_sees_support_by_stage_summary_only(world, trustee_user, client_for):
    SupportFactory(
        academy=world.academy_a, description="Confidential coaching", stage_at_request="stabilise"
    )
    client = client_for(trustee_user)
    assert client.get(reverse("improvement:ledger")).status_code == 403
    page = client.get(reverse("improvement:support_by_stage")).content.decode()
    assert "Stabilise" in page and "Confidential coaching" not in page


def test_support_create_view_from_a_peer_review(world, exec_user, review_a, client_for):
    client = client_for(exec_user)
    url = (
        reverse("improvement:support_create")
        + f"?academy={world.academy_a.pk}&activity={review_a.pk}"
    )
    assert "Peer review of Alderbrook" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "provider": "academy",
            "provider_academy": world.academy_b.pk,
            "description": "Reading lead visits",
            "activity": review_a.pk,
            "status": "agreed",
            "requested_on": "2026-01-10",
            "days": "2",
            "cost": "0",
        },
    )
    assert response.status_code == 302
    support = Support.objects.unscoped().get(description="Reading lead visits")
    assert support.activity == review_a and support.provider_academy == world.academy_b


def test_head_names_a_provider_academy_outside_their_scope(world, head_a, client_for):
    """A head sees only their academy, so names the providing academy instead of choosing it."""
    url = reverse("improvement:support_create") + f"?academy={world.academy_a.pk}"
    page = client_for(head_a).get(url).content.decode()
    assert "Bramblewood" not in page
    base = {
        "provider": "academy",
        "description": "Maths lead visits",
        "status": "requested",
        "requested_on": "2026-01-10",
        "days": "1",
        "cost": "0",
    }
    assert client_for(head_a).post(url, base).status_code == 400
    assert (
        client_for(head_a)
        .post(url, {**base, "provider_name": "Maths lead of a partner academy"})
        .status_code
        == 302
    )


def test_support_create_refuses_other_academies(world, head_a, exec_user, client_for):
    # ?academy of an academy the user does not lead: falls back to their own academy
    page = client_for(head_a).get(
        reverse("improvement:support_create") + f"?academy={world.academy_b.pk}"
    )
    assert "Alderbrook Academy" in page.content.decode()
    # someone leading several academies is asked which
    assert (
        "Continue"
        in client_for(exec_user).get(reverse("improvement:support_create")).content.decode()
    )


def test_support_edit_and_delete(world, head_a, head_b, client_for):
    support = SupportFactory(academy=world.academy_a)
    assert (
        client_for(head_b).get(reverse("improvement:support_edit", args=[support.pk])).status_code
        == 404
    )
    client_for(head_a).post(reverse("improvement:support_delete", args=[support.pk]))
    assert not Support.objects.unscoped().filter(pk=support.pk).exists()

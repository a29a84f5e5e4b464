"""What applies to an academy: versions, earned autonomy by improvement stage, deviations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.governance import services
from trustlens.governance.factories import DeviationFactory, RuleFactory
from trustlens.governance.models import Deviation

pytestmark = pytest.mark.django_db
TODAY = dt.date(2025, 3, 1)


def _applies(user, academy, code="assessment"):
    return next(r for r in services.applies_to(user, academy, TODAY) if r.domain.code == code)


def test_the_version_for_the_academys_phase_applies(matrix, world, head_a):
    row = _applies(head_a, world.academy_a)
    assert row.stance == "align" and row.version.number == 1 and row.rule is None


@pytest.mark.parametrize(
    ("stage", "stance"), [("improve", "align"), ("sustain", "align"), ("lead", "autonomy")]
)
def test_earned_autonomy_follows_the_improvement_stage(matrix, world, head_a, stage, stance):
    RuleFactory(domain=matrix, phase="secondary", min_stage="lead", stance="autonomy")
    world.academy_a.improvement_stage = stage
    world.academy_a.save()
    assert _applies(head_a, world.academy_a).stance == stance


def test_a_tighter_rule_never_overrides(matrix, world, head_a):
    RuleFactory(domain=matrix, phase="secondary", min_stage="stabilise", stance="standardise")
    assert _applies(head_a, world.academy_a).stance == "align"


def test_request_and_approve_with_review_date(matrix, world, head_a, exec_user):
    deviation = services.request_deviation(
        head_a,
        Deviation(academy=world.academy_a, domain=matrix, reason="Exam board", review_on=TODAY),
    )
    assert deviation.requested_by == head_a and deviation.status == "requested"
    with pytest.raises(PermissionDenied):
        deviation.status = "approved"
        services.decide_deviation(head_a, deviation)
    deviation.status, deviation.review_on = "approved", TODAY  # not ahead of today
    with pytest.raises(ValidationError) as error:
        services.decide_deviation(exec_user, deviation, today=TODAY)
    assert "review_on" in error.value.error_dict
    deviation.review_on = TODAY + dt.timedelta(days=90)
    services.decide_deviation(exec_user, deviation, today=TODAY)
    assert _applies(head_a, world.academy_a).approved == deviation
    assert not _applies(head_a, world.academy_a).expired


def test_expired_deviation_is_flagged(matrix, world, exec_user, client_for):
    DeviationFactory(
        academy=world.academy_a, domain=matrix, status="approved", review_on=dt.date(2020, 1, 1)
    )
    [flagged] = services.expired_deviations(exec_user)
    assert flagged.academy == world.academy_a
    page = client_for(exec_user).get(reverse("governance:index")).content.decode()
    assert "past its review date" in page
    page = client_for(exec_user).get(reverse("governance:deviations")).content.decode()
    assert "Review overdue" in page


def test_heads_cannot_request_for_another_academy(matrix, world, head_a, client_for):
    url = reverse("governance:deviation_request", args=[world.academy_b.pk])
    assert client_for(head_a).get(url).status_code == 404
    with pytest.raises(PermissionDenied):
        services.request_deviation(
            head_a,
            Deviation(academy=world.academy_b, domain=matrix, reason="x", review_on=TODAY),
        )


def test_a_deviation_request_through_the_page(matrix, world, head_a, client_for):
    url = reverse("governance:deviation_request", args=[world.academy_a.pk])
    response = client_for(head_a).post(
        url, {"domain": matrix.pk, "reason": "", "review_on": "2026-01-01"}
    )
    assert response.status_code == 400 and not Deviation.objects.unscoped().exists()
    assert "Reason" in response.content.decode()
    response = client_for(head_a).post(
        url, {"domain": matrix.pk, "reason": "Exam board", "review_on": "2026-01-01"}
    )
    assert response.status_code == 302 and Deviation.objects.unscoped().get().reason == "Exam board"


def test_trustees_see_status_not_narrative(matrix, world, trustee_user, client_for):
    DeviationFactory(academy=world.academy_a, domain=matrix, reason="Secret exam-board reason")
    page = client_for(trustee_user).get(reverse("governance:deviations")).content.decode()
    assert "Alderbrook Academy" in page and "Requested" in page
    assert "Secret exam-board reason" not in page

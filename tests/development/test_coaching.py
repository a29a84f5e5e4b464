"""Coaching: a coach is never their own coachee; who sees what (teacher: own; head: the
academy's; exec: patterns without notes); cadence warnings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trustlens.development import reports, services
from trustlens.development.factories import (
    CoachingModelFactory,
    CoachingPairFactory,
    CoachingSessionFactory,
    StaffFactory,
)
from trustlens.development.models import CoachingPair

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def test_coach_cannot_be_their_own_coachee(world, head_a, client_for):
    staff = StaffFactory(academy=world.academy_a, name="Solo Self")
    with pytest.raises(ValidationError) as error:
        services.save_pair(head_a, CoachingPair(coach=staff, coachee=staff, started_on=TODAY))
    assert "cannot be their own coachee" in error.value.message_dict["coachee"][0]
    response = client_for(head_a).post(
        reverse("development:pair_create"),
        {"coach": staff.pk, "coachee": staff.pk, "started_on": TODAY.isoformat(), "active": "on"},
    )
    assert (
        response.status_code == 400 and "cannot be their own coachee" in response.content.decode()
    )
    assert not CoachingPair.objects.unscoped().exists()


@pytest.fixture
def coaching(world, teacher_a):
    mine = StaffFactory(academy=world.academy_a, name="Theo Mine", user=teacher_a)
    coach = StaffFactory(academy=world.academy_a, name="Cora Coach")
    other = StaffFactory(academy=world.academy_a, name="Olly Other")
    own = CoachingPairFactory(coach=coach, coachee=mine)
    CoachingSessionFactory(pair=own, focus="Secret focus of Theo", notes="Private note for Theo")
    theirs = CoachingPairFactory(coach=coach, coachee=other)
    CoachingSessionFactory(pair=theirs, focus="Secret focus of Olly")
    return own, theirs


def test_teacher_sees_only_their_own_coaching(coaching, teacher_a, client_for):
    own, theirs = coaching
    client = client_for(teacher_a)
    body = client.get(reverse("development:coaching")).content.decode()
    assert "Theo Mine" in body and "Olly Other" not in body
    assert client.get(reverse("development:pair_detail", args=[theirs.pk])).status_code == 404
    assert (
        "Private note for Theo"
        in client.get(reverse("development:pair_detail", args=[own.pk])).content.decode()
    )


def test_head_sees_the_academys_coaching_with_notes(coaching, head_a, client_for):
    own, theirs = coaching
    body = (
        client_for(head_a)
        .get(reverse("development:pair_detail", args=[theirs.pk]))
        .content.decode()
    )
    assert "Secret focus of Olly" in body


def test_exec_sees_patterns_not_notes(coaching, exec_user, client_for):
    own, _ = coaching
    client = client_for(exec_user)
    body = client.get(reverse("development:coaching")).content.decode()
    assert "Patterns by academy" in body and "Secret focus" not in body
    body = client.get(reverse("development:pair_detail", args=[own.pk])).content.decode()
    assert "Private note for Theo" not in body and "You see the pattern" in body


def test_cadence_rushed_long_gap_and_lapsed(world):
    model = CoachingModelFactory(trust=world.trust, min_days_between=7, max_days_between=14)
    pair = CoachingPairFactory(coachee=StaffFactory(academy=world.academy_a), model=model,
                               started_on=TODAY - dt.timedelta(days=80))  # fmt: skip
    for days_ago in (80, 78, 50):  # 2 days (rushed), then 28 days (long gap); 50 days since
        CoachingSessionFactory(pair=pair, held_on=TODAY - dt.timedelta(days=days_ago))
    found = reports.cadence(pair, TODAY)
    assert (found.sessions, found.rushed, found.long_gaps, found.lapsed) == (3, 1, 1, True)
    CoachingSessionFactory(pair=pair, held_on=TODAY - dt.timedelta(days=3))
    assert not reports.cadence(pair, TODAY).lapsed


def test_session_before_the_pair_started_is_refused(world, head_a):
    pair = CoachingPairFactory(coachee=StaffFactory(academy=world.academy_a))
    from trustlens.development.models import CoachingSession

    with pytest.raises(ValidationError) as error:
        services.save_session(head_a, CoachingSession(pair=pair, held_on=pair.started_on - dt.timedelta(days=1),
                                                      focus="x", action_step="y"))  # fmt: skip
    assert "before the coaching started" in error.value.message_dict["held_on"][0]

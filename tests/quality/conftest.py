"""Fixtures for QA tests: a head of academy B (a reviewer from another academy) and a peer
review of academy A."""

from __future__ import annotations

import datetime as dt

import pytest

from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role
from trustlens.quality.choices import ActivityKind
from trustlens.quality.factories import ActivityFactory


def make_user(username: str, role: str, node):
    user = UserFactory(
        username=username, first_name=username.split("_")[0].title(), last_name="Tester"
    )
    grant_role(user, role, node)
    return user


@pytest.fixture
def head_b(world):
    return make_user("headb_bramble", Role.HEADTEACHER, world.academy_b)


@pytest.fixture
def review_a(world):
    """A peer review of academy A, planned in a fortnight."""
    return ActivityFactory(
        academy=world.academy_a,
        kind=ActivityKind.PEER_REVIEW,
        title="Peer review of Alderbrook",
        scheduled_on=dt.date.today() + dt.timedelta(days=14),
        review_stage="self_review",
        self_review="We think reading is strong; maths less so.",
    )

"""Fixtures for the people tests: staff with expertise in academies A and B of the world."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.quality.conftest import head_b, make_user  # noqa: F401
from trustlens.development.choices import Area, Level
from trustlens.development.factories import ExpertiseFactory, StaffFactory


@pytest.fixture
def people(world):
    """A maths expert and a maths SLE in B, a developing maths teacher in A, and A's head."""
    expert = StaffFactory(academy=world.academy_b, name="Bea Expert", is_leader=True)
    ExpertiseFactory(staff=expert, area=Area.SUBJECT, topic="maths", level=Level.EXPERT)
    sle = StaffFactory(academy=world.academy_b, name="Sam Accredited", is_leader=True)
    ExpertiseFactory(
        staff=sle,
        area=Area.SUBJECT,
        topic="Maths (KS3)",
        level=Level.ACCREDITED,
        accreditation="SLE",
    )
    novice = StaffFactory(academy=world.academy_a, name="Nia Novice", days_available=Decimal(5))
    ExpertiseFactory(staff=novice, area=Area.SUBJECT, topic="maths", level=Level.DEVELOPING)
    head = StaffFactory(academy=world.academy_a, name="Hal Head", is_leader=True)
    return {"expert": expert, "sle": sle, "novice": novice, "head": head}

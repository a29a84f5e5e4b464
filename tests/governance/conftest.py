"""Fixtures for how the trust works: the matrix's first versions for Riverside."""

from __future__ import annotations

import datetime as dt

import pytest

from trustlens.governance import services
from trustlens.governance.factories import VersionFactory
from trustlens.governance.models import Domain


@pytest.fixture
def matrix(world):
    return make_matrix(world)


def make_matrix(world) -> Domain:
    """Riverside's default domains; assessment is "align" (v1) for secondaries."""
    services.ensure_domains(world.trust)
    assessment = Domain.objects.unscoped().get(trust=world.trust, code="assessment")
    VersionFactory(
        domain=assessment,
        phase="secondary",
        number=1,
        stance="align",
        fixed="Three windows a year.",
        effective_from=dt.date(2024, 9, 1),
    )
    return assessment

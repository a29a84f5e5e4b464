"""Fixtures for the API tests: token clients, and the dashboards' small synthetic trust (records,
analytical store and summaries) for the figures endpoints and the contract tests."""

from __future__ import annotations

import pandas as pd
import pytest
from rest_framework.test import APIClient

from tests.dashboards.conftest import (
    SLUG,
    Dash,
    create_records,
    create_users,
    remove_records,
    write_store,
)
from tests.dashboards.trust_fixture import build_tables
from trustlens.api.services import issue_token


def token_client(user) -> APIClient:
    """A client that sends a fresh token of ``user`` (no session)."""
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_token(user, 'test').secret}")
    return client


@pytest.fixture(autouse=True)
def fresh_throttle():
    """Each test starts with every token's request budget unused (the cache is per process)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_for():
    return token_client


def academy_table(academies: dict) -> pd.DataFrame:
    """The store's ``academies`` snapshot, as ``trustlens import`` writes it (the measures
    read the academies from the store)."""
    return pd.DataFrame(
        [
            {
                "urn": a.urn,
                "laestab": a.laestab,
                "name": a.name,
                "phase": a.phase,
                "academy_type": a.academy_type or "",
                "region": a.cluster.region.name if a.cluster else "",
                "cluster": a.cluster.name if a.cluster else "",
                "joined_trust": a.joined_trust,
                "ofsted_grade": "",
                "ofsted_date": None,
            }
            for a in academies.values()
        ]
    )


@pytest.fixture(scope="package")
def seaward(django_db_setup, django_db_blocker) -> Dash:
    """The dashboards' five-academy trust, committed once for this package."""
    from trustlens.dashboards import services

    data = build_tables()
    with django_db_blocker.unblock():
        trust, academies = create_records(data)
        users, group = create_users(trust, academies)
        write_store(SLUG, {**data.tables, "academies": academy_table(academies)})
        meta = services.rebuild_summaries(SLUG)
    yield Dash(
        trust=trust, data=data, meta=meta, academies=academies, users=users, teacher_class=group
    )
    with django_db_blocker.unblock():
        from trustlens.api.models import ApiToken

        ApiToken.objects.filter(user__in=users.values()).delete()
        remove_records(SLUG, users.values())

"""Fixtures for the practice tests: staff of academy A, a store with a planted trust."""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
import polars as pl
import pytest

from trustlens.analytics.practice import AREA_CODES
from trustlens.ingest import registry
from trustlens.ingest.store import AnalyticalStore
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role

sys.path.insert(0, str(Path(__file__).parents[1] / "analytics"))
from planted import planted_trust  # noqa: E402

YEAR = "2022/23"


def make_user(username: str, role: str, node):
    user = UserFactory(username=username, first_name=username.title(), last_name="Staff")
    grant_role(user, role, node)
    return user


@pytest.fixture
def staff_a(world):
    """Five teachers of academy A."""
    return [make_user(f"teacher{i}_a", Role.TEACHER, world.academy_a) for i in range(5)]


def write_store(store_dir, trust_slug: str, tables: dict[str, pd.DataFrame]) -> None:
    """Write pandas frames into the analytical store as an import does."""
    with AnalyticalStore(store_dir).transaction(trust_slug, durable=False) as tx:
        for name, frame in tables.items():
            spec = registry.spec(name)
            tx.write_partitions(
                name, pl.from_pandas(frame), spec.store_schema(), spec.partition_by,
                spec.year_column,
            )  # fmt: skip
        tx.commit()


def doubled_trust(copies: int = 2) -> tuple[dict[str, pd.DataFrame], dict[int, float]]:
    """The analytics suite's planted trust repeated ``copies`` times with new URNs and pupil
    ids; its 6 academies with in-year results keep their planted value added effects."""
    base = planted_trust()
    tables: dict[str, list[pd.DataFrame]] = {}
    effects: dict[int, float] = {}
    for k in range(copies):
        for name in ("academies", "pupils", "assessment_results", "prior_attainment"):
            frame = base.tables[name].copy()
            if "urn" in frame:
                frame["urn"] = frame["urn"] + 10000 * k
            if "pupil_id" in frame:
                frame["pupil_id"] = frame["pupil_id"].astype(str) + f"-{k}"
            tables.setdefault(name, []).append(frame)
        effects |= {urn + 10000 * k: e for urn, e in base.va_effect.items()}
    return {name: pd.concat(parts, ignore_index=True) for name, parts in tables.items()}, effects


def planted_profile(effects: dict[int, float], year: str = YEAR, respondents: int = 8):
    """Profiles where behaviour tracks the planted VA effect (plus noise); other areas are
    noise only."""
    rng = np.random.default_rng(12)
    rows = [
        {
            "academic_year": year,
            "urn": urn,
            "area": area,
            "score": float(np.clip(3.2 + (3 * e if area == "behaviour" else 0) + rng.normal(0, .3), 1, 5)),
            "respondents": respondents,
        }
        for urn, e in effects.items()
        for area in AREA_CODES
    ]  # fmt: skip
    return pd.DataFrame(rows)

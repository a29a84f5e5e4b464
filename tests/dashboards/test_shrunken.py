"""Shrunken estimates for small groups: computed in the build, shown beside the raw figure,
never for a withheld group."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from tests.dashboards.conftest import SLUG
from trustlens.analytics.summaries.shrunken import with_shrinkage
from trustlens.dashboards.formatting import SMALL_GROUP
from trustlens.dashboards.reading import summaries_for


def _planted(rng: np.random.Generator, academies: int = 40) -> tuple[pd.DataFrame, np.ndarray]:
    """One pupil group per academy: true means ~ N(0, 0.2^2), n from 3 to 120, pupil SD 1."""
    truth = rng.normal(0.0, 0.2, academies)
    n = rng.integers(3, 120, academies)
    se = 1.0 / np.sqrt(n)
    rows = pd.DataFrame(
        {
            "level": "academy",
            "unit": [str(i) for i in range(academies)],
            "measure": "va",
            "period": "2023/24 summer",
            "breakdown": "sen",
            "group": "K",
            "pupils": n.astype(float),
            "score": truth + rng.normal(0, se),
            "se": se,
        }
    )
    return rows, truth


def test_shrunken_estimates_are_closer_to_the_planted_truth_and_small_groups_move_most():
    rng = np.random.default_rng(21)
    raw_error, shrunk_error = [], []
    for _ in range(30):
        rows, truth = _planted(rng)
        out = with_shrinkage(rows)
        raw_error.append(np.mean((out["score"] - truth) ** 2))
        shrunk_error.append(np.mean((out["shrunk"] - truth) ** 2))
        small, large = out["pupils"].idxmin(), out["pupils"].idxmax()
        assert out.loc[small, "reliability"] < out.loc[large, "reliability"] <= 1
    assert np.mean(shrunk_error) < 0.8 * np.mean(raw_error)


def test_whole_academy_rows_and_lone_groups_are_not_shrunk():
    rows, _ = _planted(np.random.default_rng(1), academies=2)
    assert with_shrinkage(rows)["shrunk"].isna().all()
    rows, _ = _planted(np.random.default_rng(1))
    assert with_shrinkage(rows.assign(breakdown="all"))["shrunk"].isna().all()


@pytest.mark.django_db
def test_small_group_shows_its_shrunken_estimate_beside_the_raw_one(dash):
    summaries = summaries_for(SLUG)
    facts = summaries.facts
    small = facts[
        (facts["level"] == "academy")
        & facts["shrunk"].notna()
        & (facts["pupils"] < SMALL_GROUP)
        & (facts["pupils"] >= 6)
        & (facts["measure"] == "va")
    ]
    assert len(small), "the fixture has small pupil groups with a shrunken estimate"
    urn = small.iloc[0]["unit"]
    html = dash.client("exec").get(reverse("dashboards:academy", args=[urn])).content.decode()
    assert "shrunken estimate" in html and "empirical Bayes" in html
    trustee = dash.client("trustee").get(reverse("dashboards:academy", args=[urn]))
    withheld = facts[(facts["unit"] == urn) & (facts["pupils"] < 6) & facts["shrunk"].notna()]
    if len(withheld):
        assert trustee.content.decode().count("shrunken estimate") < html.count("shrunken estimate")

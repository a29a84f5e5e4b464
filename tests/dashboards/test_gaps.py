"""Gaps between pupil groups (SEN, EAL, sex, prior band, disadvantaged) with n, CI and RAG."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from django.urls import reverse

from trustlens.analytics.summaries.group_gaps import gap_code, with_group_gaps
from trustlens.analytics.summaries.units import FACT_COLUMNS
from trustlens.dashboards.formatting import cell_from
from trustlens.dashboards.rag import rate


def _row(group: str, score: float, se: float, pupils: float, breakdown: str = "sen") -> dict:
    row = dict.fromkeys(FACT_COLUMNS)
    row.update(
        level="academy",
        unit="1",
        measure="va",
        period="2023/24 summer",
        period_order=20233,
        breakdown=breakdown,
        group=group,
        pupils=pupils,
        score=score,
        se=se,
        ci_low=score - 1.96 * se,
        ci_high=score + 1.96 * se,
    )
    return row


def test_gap_is_the_difference_with_a_welch_interval_and_replaces_old_rows():
    facts = pd.DataFrame(
        [_row("N", 0.10, 0.05, 200), _row("K", -0.30, 0.10, 40), _row("E", 0.0, 0.3, 5)]
    )
    once = with_group_gaps(facts)
    again = with_group_gaps(once)
    assert len(again) == len(once) == 5  # rebuilt, not duplicated
    k = once[(once["measure"] == gap_code("va")) & (once["group"] == "K")].iloc[0]
    se = np.sqrt(0.05**2 + 0.10**2)
    assert k["score"] == pytest.approx(-0.40)
    assert k["ci_low"] == pytest.approx(-0.40 - 1.959964 * se, abs=1e-6)
    assert k["pupils"] == 40  # the smaller group


def test_planted_gap_is_recovered_within_its_interval():
    rng = np.random.default_rng(3)
    hits = 0
    for _ in range(200):
        n1, n2 = 40, 160
        a, b = rng.normal(-0.3, 1, n1), rng.normal(0.0, 1, n2)
        facts = pd.DataFrame(
            [
                _row("K", a.mean(), a.std(ddof=1) / np.sqrt(n1), n1),
                _row("N", b.mean(), b.std(ddof=1) / np.sqrt(n2), n2),
            ]
        )
        gap = with_group_gaps(facts).query("measure == 'va_group_gap'").iloc[0]
        hits += gap["ci_low"] <= -0.3 <= gap["ci_high"]
    assert 0.91 <= hits / 200 <= 0.99  # 95% coverage, within simulation error


def test_gap_ratings_name_their_rule():
    wide = rate(
        cell_from(
            _row("K", -0.5, 0.05, 40) | {"measure": "va_group_gap", "note": "K minus N"},
            "va_group_gap",
        )
    )
    behind = rate(
        cell_from(
            _row("K", -0.1, 0.03, 40) | {"measure": "va_group_gap", "note": "K minus N"},
            "va_group_gap",
        )
    )
    unclear = rate(
        cell_from(
            _row("K", -0.1, 0.2, 40) | {"measure": "va_group_gap", "note": "K minus N"},
            "va_group_gap",
        )
    )
    assert (wide.rag, behind.rag, unclear.rag) == ("red", "amber", "green")
    assert "rule gap-wide" in wide.reason and "n=40" in wide.reason and "95% CI" in wide.reason


@pytest.mark.django_db
def test_academy_page_lists_sen_eal_and_sex_gaps(dash):
    urn = next(u for u, a in dash.academies.items() if a.phase == "secondary")
    html = dash.client("exec").get(reverse("dashboards:academy", args=[urn])).content.decode()
    assert "Gaps between pupil groups" in html
    for words in ("SEN support minus No SEN", "EAL minus Not EAL", "Male minus Female"):
        assert words in html, words
    assert "rule gap-" in html

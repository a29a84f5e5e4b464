"""Matching: within year group, without replacement, optimal, within the caliper; balance."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics.impact.matching import IMBALANCE_SMD, match


def _frame(rows: list[tuple]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["pupil_id", "treated", "year_group", "pre"])


def test_pairs_stay_within_year_group():
    frame = _frame(
        [
            ("t7", True, 7, 90),
            ("t8", True, 8, 90),
            ("c7", False, 7, 110),
            ("c8", False, 8, 90.5),
            ("c8b", False, 8, 130),
        ]
    )
    result = match(frame, ("pre",), caliper_sd=10)
    pairs = result.matched.groupby("match_set")["year_group"].nunique()
    assert (pairs == 1).all()
    assert set(result.matched["pupil_id"]) == {"t7", "c7", "t8", "c8"}


def test_without_replacement_each_comparison_pupil_is_used_once():
    rng = np.random.default_rng(0)
    frame = pd.DataFrame(
        {
            "pupil_id": [f"p{i}" for i in range(80)],
            "treated": np.arange(80) < 20,
            "year_group": 7,
            "pre": rng.normal(100, 15, 80),
        }
    )
    result = match(frame, ("pre",), caliper_sd=5)
    comparison = result.matched[~result.matched["treated"]]
    assert comparison["pupil_id"].is_unique
    assert len(comparison) == result.n_matched_intervention == 20


def test_optimal_matching_beats_greedy():
    # Greedy in order t1, t2 takes t1 -> c1 (0.9) and leaves t2 with c2 (2.0): total 2.9.
    # The optimal assignment is t1 -> c2 (1.0) and t2 -> c1 (0.1): total 1.1.
    frame = _frame(
        [
            ("t1", True, 7, 100),
            ("t2", True, 7, 101),
            ("c1", False, 7, 100.9),
            ("c2", False, 7, 99),
            ("c3", False, 7, 130),
        ]
    )
    result = match(frame, ("pre",), caliper_sd=100)
    m = result.matched.set_index("pupil_id")
    partner = {
        t: m[(m["match_set"] == m.loc[t, "match_set"]) & ~m["treated"]].index[0]
        for t in ("t1", "t2")
    }
    assert partner == {"t1": "c2", "t2": "c1"}


def test_caliper_leaves_participants_without_a_close_match_unmatched():
    frame = _frame(
        [
            ("t1", True, 7, 70),
            ("t2", True, 7, 100),
            ("c1", False, 7, 100.5),
            ("c2", False, 7, 120),
            ("c3", False, 7, 115),
        ]
    )
    result = match(frame, ("pre",))
    assert result.unmatched_ids == ["t1"]
    assert result.caliper == pytest.approx(
        0.2 * np.sqrt((np.var([70, 100], ddof=1) + np.var([100.5, 120, 115], ddof=1)) / 2)
    )
    assert set(result.matched["pupil_id"]) == {"t2", "c1"}


def test_balance_table_uses_the_same_denominator_before_and_after():
    rng = np.random.default_rng(5)
    n = 400
    pre = rng.normal(100, 15, n)
    disadvantaged = (rng.random(n) < 0.3).astype(float)
    treated = rng.random(n) < 1 / (1 + np.exp(-(-2 - (pre - 100) / 10 + disadvantaged)))
    frame = pd.DataFrame(
        {
            "pupil_id": range(n),
            "treated": treated,
            "year_group": 7,
            "pre": pre,
            "disadvantaged": disadvantaged,
        }
    )
    result = match(frame, ("pre", "disadvantaged"), labels={"pre": "Pre-test"})
    row = result.balance[0]
    t, c = pre[treated], pre[~treated]
    denominator = np.sqrt((t.var(ddof=1) + c.var(ddof=1)) / 2)
    assert row.label == "Pre-test"
    assert row.smd_before == pytest.approx((t.mean() - c.mean()) / denominator)
    m = result.matched
    after = (m.loc[m["treated"], "pre"].mean() - m.loc[~m["treated"], "pre"].mean()) / denominator
    assert row.smd_after == pytest.approx(after)
    assert row.smd_before < -0.5
    assert abs(row.smd_after) < IMBALANCE_SMD
    assert not row.imbalanced and row.to_dict()["imbalanced"] is False


def test_ratio_two_gives_two_comparison_pupils_each():
    rng = np.random.default_rng(1)
    frame = pd.DataFrame(
        {
            "pupil_id": range(100),
            "treated": np.arange(100) < 10,
            "year_group": 7,
            "pre": rng.normal(100, 15, 100),
        }
    )
    result = match(frame, ("pre",), ratio=2, caliper_sd=10)
    sizes = result.matched.groupby("match_set").size()
    assert (sizes == 3).all() and len(sizes) == 10

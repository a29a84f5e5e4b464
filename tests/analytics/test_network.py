"""Network benchmarks: pooling and the disclosure control (primary and secondary suppression)."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import network as net

THRESHOLD = 6


def _rows(trust: str, academies: list[tuple[int, int, float]], trust_n=None, trust_score=None):
    """measure_rows-shaped rows: academies (urn, pupils, score) and the trust's own row."""
    n = trust_n if trust_n is not None else sum(p for _, p, _ in academies)
    score = trust_score if trust_score is not None else sum(p * s for _, p, s in academies) / n
    records = [
        {"urn": u, "level": "academy", "pupils": p, "score": s, "se": 0.5} for u, p, s in academies
    ]
    records.append({"urn": None, "level": "trust", "pupils": n, "score": score, "se": 0.3})
    frame = pd.DataFrame(records)
    frame["measure"], frame["subject"], frame["term"] = "attendance rate", None, None
    frame["ci_low"], frame["ci_high"] = frame["score"] - 1, frame["score"] + 1
    return net.trust_block(trust, frame, {u: f"Academy {u}" for u, _, _ in academies})


def _table(blocks):
    return net.benchmark(blocks, "Network", THRESHOLD)


def test_pooled_network_row_is_the_pupil_weighted_mean_with_stratified_se():
    a = _rows("A", [(1, 100, 90.0), (2, 100, 94.0)])
    b = _rows("B", [(3, 200, 96.0)])
    table = _table([a, b])
    row = table[table["level"] == "network"].iloc[0]
    assert row["pupils"] == 400
    assert row["score"] == pytest.approx(0.5 * 92.0 + 0.5 * 96.0)
    se = np.sqrt(0.5**2 * 0.3**2 + 0.5**2 * 0.3**2)
    assert row["ci_high"] - row["score"] == pytest.approx(net.Z95 * se)


def test_a_small_academy_is_c_and_so_is_its_complement():
    a = _rows("A", [(1, 4, 70.0), (2, 50, 94.0), (3, 80, 95.0)])
    b = _rows("B", [(4, 60, 96.0), (5, 70, 93.0)])
    table = _table([a, b]).set_index("academy")
    assert table.loc["Academy 1", "score"] == "c" and table.loc["Academy 1", "pupils"] == "c"
    # the next smallest academy of the same trust is withheld too: A's total minus the rest
    # would otherwise give academy 1's figure
    assert table.loc["Academy 2", "score"] == "c"
    assert table.loc["Academy 3", "score"] != "c"


def _derivable(table: pd.DataFrame) -> list[str]:
    """Hidden cells whose pupil count follows from a published total minus published parts."""
    found = []
    partitions = net._partitions(table.reset_index(drop=True))
    rows = table.reset_index(drop=True)
    for parent, children in partitions:
        hidden = [c for c in children if rows.at[c, "pupils"] == "c"]
        if rows.at[parent, "pupils"] != "c" and len(hidden) == 1:
            found.append(f"{rows.at[hidden[0], 'academy']} from {rows.at[parent, 'academy']}")
        if rows.at[parent, "pupils"] == "c" and children and not hidden:
            found.append(f"{rows.at[parent, 'academy']} from its parts")
    return found


@pytest.mark.parametrize("sizes", list(itertools.product([3, 8, 40], repeat=3)))
def test_no_suppressed_cell_can_be_worked_out_from_a_total(sizes):
    """Every combination of small and large academies in two trusts (one of one academy)."""
    a = _rows("A", [(1, sizes[0], 90.0), (2, sizes[1], 92.0)])
    b = _rows("B", [(3, sizes[2], 94.0)])
    c = _rows("C", [(4, 30, 95.0), (5, 31, 91.0)])
    table = _table([a, b, c])
    table = table[table["level"] != "national"]
    for _, row in table.iterrows():
        if row["pupils"] != "c":
            assert row["pupils"] >= THRESHOLD
    assert not _derivable(table), _derivable(table)


def test_a_trust_of_one_small_academy_is_c_in_every_row_that_shows_it():
    a = _rows("A", [(1, 5, 80.0)])
    b = _rows("B", [(2, 60, 95.0), (3, 70, 93.0)])
    table = _table([a, b])
    for _, row in table[table["trust"] == "A"].iterrows():
        assert row["score"] == "c" and row["pupils"] == "c"
    # with A hidden, the network total would reveal it from B's: one of B is hidden too
    hidden_b = table[(table["trust"] == "B") & (table["score"] == "c")]
    assert len(hidden_b) >= 1


def test_national_rows_only_where_analytics_has_a_national_figure():
    rows = net.national_rows(
        [
            ("progress 8", net.ALL_PUPILS, None, None),
            ("attendance rate", net.ALL_PUPILS, None, None),
        ]
    )
    assert [(r["measure"], r["score"]) for r in rows] == [("progress 8", 0.0)]


def test_spending_per_pupil_is_expenditure_over_the_census_roll():
    from trustlens.analytics.network_finance import finance_rows

    finance = pd.DataFrame(
        {
            "urn": [1, 1, 1, 2, 2],
            "period": ["2024/25"] * 5,
            "line": ["teaching_staff", "premises", "grant_income", "teaching_staff", "supplies"],
            "actual": [500_000, 100_000, 900_000, 300_000, 0],
        }
    )
    roll = pd.DataFrame({"urn": [1, 2], "pupils": [200, 100]})
    rows = finance_rows(finance, roll, "2024/25").set_index("level")
    assert rows.loc["trust", "score"] == pytest.approx(900_000 / 300)
    academy = rows.loc["academy"].set_index("urn")
    assert academy.loc[1, "score"] == pytest.approx(3000.0)  # income lines left out
    assert finance_rows(finance, roll, "2025/26").empty


def test_secondary_suppression_on_real_published_school_counts():
    """The January 2019 census (every school in England): EAL pupils per school, three local
    authorities as the 'trusts'. Every school with fewer than 6 is c, and no c can be worked
    out from an LA or the overall total."""
    from tests.real_data import REAL_DATA

    census = pd.read_csv(REAL_DATA / "kspdev_england_census.csv", encoding="utf-8-sig")
    census = census[pd.to_numeric(census["NUMEAL"], errors="coerce").notna()]
    census["NUMEAL"] = census["NUMEAL"].astype(int)
    blocks = []
    for la in (815, 850, 936):
        schools = census[census["LA"] == la]
        academies = [
            (int(u), int(n), 1.0) for u, n in zip(schools["URN"], schools["NUMEAL"], strict=True)
        ]
        blocks.append(_rows(f"LA {la}", academies))
    table = _table(blocks)
    table = table[table["level"] != "national"]
    small = sum(
        int((census[census["LA"] == la]["NUMEAL"] < THRESHOLD).sum()) for la in (815, 850, 936)
    )
    hidden = table[(table["level"] == "academy") & (table["pupils"] == "c")]
    assert small > 50 and len(hidden) >= small
    assert not _derivable(table), _derivable(table)[:3]

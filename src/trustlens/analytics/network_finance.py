"""Spending per pupil for network benchmarks: each academy's and trust's expenditure in the
year's accounts over its pupils on roll on the autumn census day.

Method: the DfE's schools financial benchmarking ("total expenditure per pupil": expenditure
lines of the consistent financial reporting framework over the number of pupils on roll).
Both parts are complete counts, not samples, so the interval is the figure itself.
Pure Python: no Django.
"""

from __future__ import annotations

import pandas as pd

#: Expenditure lines of the synthetic (CFR-like) finance return; income lines are excluded.
EXPENDITURE = ("teaching_staff", "support_staff", "premises", "supplies", "other_costs")
MEASURE = "spending per pupil"


def finance_rows(finance: pd.DataFrame, roll: pd.DataFrame, year: str) -> pd.DataFrame:
    """measure_rows-shaped rows (urn, level, measure, pupils, score, ci_low, ci_high, se):
    ``finance`` (urn, period, line, actual) and ``roll`` (urn, pupils) for the year."""
    spent = finance[(finance["period"] == year) & finance["line"].isin(EXPENDITURE)]
    by_academy = spent.groupby("urn")["actual"].sum()
    by_academy = by_academy[by_academy > 0]  # no accounts for the year yet
    pupils = roll.groupby("urn")["pupils"].sum()
    urns = sorted(set(by_academy.index) & set(pupils.index))
    if not urns:
        return pd.DataFrame(columns=["urn", "level", "measure", "pupils", "score"])
    rows = [_row(u, "academy", by_academy[u], pupils[u]) for u in urns]
    rows.append(_row(None, "trust", by_academy[urns].sum(), pupils[urns].sum()))
    return pd.DataFrame(rows)


def _row(urn, level: str, spent: float, pupils: int) -> dict:
    score = float(spent) / int(pupils) if pupils else float("nan")
    return {
        "urn": urn,
        "level": level,
        "measure": MEASURE,
        "subject": None,
        "term": None,
        "pupils": int(pupils),
        "score": score,
        "ci_low": score,
        "ci_high": score,
        "se": 0.0,
    }

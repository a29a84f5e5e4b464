"""Operational measures: admissions, cover, staff absence, finance and safeguarding.

These are complete counts for the academy (every lesson, every application, every pound), not
samples of pupils, so no sampling interval applies: the interval columns are left empty and the
dashboards show ``z`` (not applicable, GSS symbol) with the count behind each figure. Cluster,
region and trust rows add numerators and denominators, never average the academies' ratios.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trustlens.analytics.summaries.units import FACT_COLUMNS, LEVELS, Inputs, period_order, run


def operational_facts(inputs: Inputs) -> list[pd.DataFrame]:
    parts: list[pd.DataFrame] = []
    for name, builder in (
        ("admissions", admissions),
        ("cover", cover),
        ("staff", staff_absence),
        ("finance", finance),
        ("safeguarding", safeguarding),
    ):
        if inputs.has(name):
            frame = run(inputs.tables[name])
            if not frame.empty:
                parts += _levels(builder(frame), inputs)
    return parts


def _levels(frame: pd.DataFrame, inputs: Inputs) -> list[pd.DataFrame]:
    """Academy rows and summed cluster/region/trust rows; score = num / den x scale."""
    if frame.empty:
        return []
    org = inputs.academies[["urn", "cluster", "region"]].astype({"urn": "int64"})
    frame = frame.merge(org, on="urn", how="inner")
    parts = []
    for level, key in LEVELS:
        data = frame if key is None else frame[frame[key].notna() & (frame[key].astype(str) != "")]
        keys = ["academic_year", "measure"] + ([key] if key else [])
        agg = data.groupby(keys, as_index=False).agg(
            num=("num", "sum"),
            den=("den", "sum"),
            pupils=("pupils", "sum"),
            scale=("scale", "first"),
            note=("note", "first"),
        )
        agg["score"] = agg["num"] / agg["den"].where(agg["den"] != 0) * agg["scale"]
        agg["unit"] = agg[key].astype(str) if key else "trust"
        parts.append(_facts(agg, level))
    return parts


def _facts(agg: pd.DataFrame, level: str) -> pd.DataFrame:
    out = pd.DataFrame(
        {
            "level": level,
            "unit": agg["unit"],
            "measure": agg["measure"],
            "period": agg["academic_year"].astype(str),
            "period_order": [period_order(y) if "/" in str(y) else 0 for y in agg["academic_year"]],
            "breakdown": "all",
            "group": "all",
            "pupils": agg["pupils"].astype(float),
            "score": agg["score"].astype(float),
            "ci_low": np.nan,
            "ci_high": np.nan,
            "se": np.nan,
            "sd": np.nan,
            "band": None,
            "flag": None,
            "note": agg["note"],
        }
    )
    return out[list(FACT_COLUMNS)]


def _rows(
    urn: pd.Series,
    year: pd.Series,
    measure: str,
    num: pd.Series,
    den: pd.Series,
    count: pd.Series,
    scale: float,
    note: str,
) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "urn": urn.astype("int64").to_numpy(),
            "academic_year": year.astype(str).to_numpy(),
            "measure": measure,
            "num": num.astype(float).to_numpy(),
            "den": den.astype(float).to_numpy(),
            "pupils": count.astype(float).to_numpy(),
            "scale": scale,
            "note": note,
        }
    )


@dataclass(frozen=True)
class Ratio:
    """A count over a denominator read straight from a dataset's columns."""

    measure: str
    year: str  #: the column holding the academic (or entry) year
    num: str
    den: str
    scale: float
    note: str

    def rows(self, frame: pd.DataFrame) -> pd.DataFrame:
        return _rows(
            frame["urn"],
            frame[self.year],
            self.measure,
            frame[self.num],
            frame[self.den],
            frame[self.den],
            self.scale,
            self.note,
        )


#: First preferences per place: first-preference applications / PAN (entry year).
ADMISSIONS = Ratio(
    "first_preferences",
    "entry_year",
    "first_preferences",
    "pan",
    1.0,
    "first-preference applications per place; n = places (PAN)",
)
#: Share of timetabled lessons taught by cover or temporary staff (all terms of the year).
COVER = Ratio(
    "cover_share",
    "academic_year",
    "lessons_covered",
    "lessons_total",
    100.0,
    "percent of lessons; n = lessons timetabled",
)


def admissions(frame: pd.DataFrame) -> pd.DataFrame:
    """First preferences per place (``ADMISSIONS``)."""
    return ADMISSIONS.rows(frame)


def cover(frame: pd.DataFrame) -> pd.DataFrame:
    """Share of lessons taught by cover or temporary staff (``COVER``)."""
    return COVER.rows(frame)


def staff_absence(frame: pd.DataFrame) -> pd.DataFrame:
    """Days of staff absence per full-time equivalent."""
    year = (
        frame["academic_year"]
        if "academic_year" in frame
        else pd.Series("all years", index=frame.index)
    )
    year = year.fillna("all years")
    return _rows(
        frame["urn"],
        year,
        "staff_absence",
        frame["absence_days"],
        frame["fte"],
        pd.Series(1.0, index=frame.index),
        1.0,
        "days per full-time equivalent; n = staff",
    )


def finance(frame: pd.DataFrame) -> pd.DataFrame:
    """In-year balance (GBP) = income - expenditure, actuals where known, else budget.

    Lines named "... income" are income; every other line is spending. Monthly rows are used
    for a year when the academy has them, else the whole-year rows.
    """
    frame = frame.copy()
    amount = frame["actual"].where(frame["actual"].notna(), frame["budget"]).astype(float)
    is_income = frame["line"].astype(str).str.lower().str.contains("income")
    frame["signed"] = np.where(is_income, amount.abs(), -amount.abs())
    monthly = ~frame["period"].astype(str).str.contains("/")
    has_months = (
        frame[monthly].groupby(["urn", "academic_year"]).size().rename("months").reset_index()
    )
    frame = frame.merge(has_months, on=["urn", "academic_year"], how="left")
    frame = frame[(frame["months"].fillna(0) > 0) == monthly.to_numpy()]
    grouped = frame.groupby(["urn", "academic_year"], as_index=False).agg(
        signed=("signed", "sum"), lines=("line", "nunique")
    )
    note = "GBP: income minus expenditure (actual, else budget)"
    return _totals(grouped, "finance_balance", grouped["signed"], grouped["lines"], note)


def safeguarding(frame: pd.DataFrame) -> pd.DataFrame:
    """Referrals to children's social care in the year (monthly counts added up)."""
    grouped = frame.groupby(["urn", "academic_year"], as_index=False).agg(
        referrals=("referrals", "sum")
    )
    note = "referrals to children's social care in the year (a count)"
    return _totals(grouped, "safeguarding", grouped["referrals"], grouped["referrals"], note)


def _totals(
    grouped: pd.DataFrame, measure: str, total: pd.Series, count: pd.Series, note: str
) -> pd.DataFrame:
    """Per academy and year totals (denominator 1: the figure is the total itself)."""
    ones = pd.Series(1.0, index=grouped.index)
    year = grouped["academic_year"]
    return _rows(grouped["urn"], year, measure, total, ones, count, 1.0, note)

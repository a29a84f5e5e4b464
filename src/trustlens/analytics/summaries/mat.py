"""The DfE MAT measure for Progress 8: one trust row per year, for the dashboards' facts and
the ``trustlens measure progress8`` output alike (``analytics.rollup.mat_measure``).

A trust is measured on the academies with at least 3 full years in it, each weighted by its
cohort and its years in the trust (DfE, *Multi-academy trust performance measures*); with fewer
than 3 such academies the figure is still shown, labelled "not eligible".
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trustlens.analytics import rollup
from trustlens.analytics.summaries.units import FACT_COLUMNS, period_order

MAT_MEASURE = "p8_mat"
MAT_COLUMNS = ["academic_year", "pupils", "score", "ci_low", "ci_high", "se", "method"]
NOT_ELIGIBLE = "; not eligible: fewer than 3 academies in the trust 3+ years"


def mat_rows(schools: pd.DataFrame, academies: pd.DataFrame, sigma: float | None) -> pd.DataFrame:
    """One MAT-measure row per academic year of ``schools`` (academy P8 summaries with
    ``urn``, ``academic_year``, ``pupils``, ``total``, ``total_sq``); ``sigma``: the national SD
    of pupil P8 (None: pooled from the trust's pupils)."""
    if schools.empty or "joined_trust" not in academies:
        return pd.DataFrame(columns=MAT_COLUMNS)
    found = []
    for year, rows in schools.groupby("academic_year", sort=True):
        rows = rows.sort_values("urn")  # the note lists the academies in a stable order
        row = rollup.mat_measure(rows, academies, str(year), sigma=sigma)
        if row.get("academies"):
            found.append(_row(row))
    return pd.DataFrame(found, columns=MAT_COLUMNS)


def _row(row: dict) -> dict:
    eligible = "" if row["eligible"] else NOT_ELIGIBLE
    return {
        "academic_year": row["academic_year"],
        "pupils": row["pupils"],
        "score": row["score"],
        "ci_low": row["ci_low"],
        "ci_high": row["ci_high"],
        "se": row["se"],
        "method": f"{row['method']}; academies {row['included_urns']}{eligible}",
    }


def mat_facts(rows: pd.DataFrame) -> pd.DataFrame:
    """MAT-measure rows as trust facts (measure ``p8_mat``; ``note`` says who is included)."""
    out = pd.DataFrame(
        {
            "level": "trust",
            "unit": "trust",
            "measure": MAT_MEASURE,
            "period": rows["academic_year"].astype(str),
            "period_order": [period_order(y) for y in rows["academic_year"]],
            "breakdown": "all",
            "group": "all",
            "pupils": rows["pupils"].astype(float),
            "score": rows["score"].astype(float),
            "ci_low": rows["ci_low"].astype(float),
            "ci_high": rows["ci_high"].astype(float),
            "se": rows["se"].astype(float),
            "sd": np.nan,
            "band": None,
            "flag": None,
            "note": rows["method"].astype(str),
        }
    )
    return out[list(FACT_COLUMNS)]


TIME_IN_TRUST = "p8_time_in_trust"


def time_in_trust_facts(
    schools: pd.DataFrame, academies: pd.DataFrame, sigma: float | None
) -> pd.DataFrame:
    """P8 by full years in the trust at the time of each result, over every academy-year of
    ``schools`` (``analytics.rollup.time_in_trust``: pupil-weighted, descriptive: different
    academies sit in different buckets). Trust facts, breakdown ``years_in_trust``."""
    if schools.empty or "joined_trust" not in academies or academies["joined_trust"].isna().all():
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    known = academies[academies["joined_trust"].notna()]
    rows = schools[schools["urn"].isin(known["urn"].astype("int64"))]
    if rows.empty:
        return pd.DataFrame(columns=list(FACT_COLUMNS))
    table = rollup.time_in_trust(rows, known.assign(urn=known["urn"].astype("int64")), sigma=sigma)
    years = sorted(rows["academic_year"].astype(str).unique())
    period = years[-1]
    span = years[0] if len(years) == 1 else f"{years[0]} to {years[-1]}"
    out = pd.DataFrame(
        {
            "level": "trust",
            "unit": "trust",
            "measure": TIME_IN_TRUST,
            "period": period,
            "period_order": period_order(period),
            "breakdown": "years_in_trust",
            "group": table["years_in_trust"].astype(str),
            "pupils": table["pupils"].astype(float),
            "score": table["score"].astype(float),
            "ci_low": table["ci_low"].astype(float),
            "ci_high": table["ci_high"].astype(float),
            "se": table["se"].astype(float),
            "sd": np.nan,
            "band": None,
            "flag": None,
            "note": [f"{n} academy-years, {span}" for n in table["academy_years"]],
        }
    )
    return out[list(FACT_COLUMNS)]

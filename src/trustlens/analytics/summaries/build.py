"""Running the builders: every fact for one trust, merging with a previous build, funnel flags."""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from trustlens.analytics.stats.funnel import funnel
from trustlens.analytics.summaries.group_gaps import with_group_gaps
from trustlens.analytics.summaries.inclusion import PROPORTION_FUNNELS, proportion_funnel
from trustlens.analytics.summaries.registry import BUILDERS, FUNNEL_MEASURES, measures_of
from trustlens.analytics.summaries.shrunken import with_shrinkage
from trustlens.analytics.summaries.units import FACT_COLUMNS, Inputs


def compute(inputs: Inputs, only: list[str] | None = None) -> tuple[pd.DataFrame, dict]:
    """All facts for one trust, and metadata: funnel parameters, timings and any problems.

    A builder that fails (e.g. a dataset with unexpected content) is reported in
    ``meta["problems"]`` and the others still run, so one bad file cannot blank the dashboards.
    """
    parts: list[pd.DataFrame] = []
    problems: dict[str, str] = {}
    timings: dict[str, float] = {}
    for builder in BUILDERS:
        if only is not None and builder.__name__ not in only:
            continue
        start = time.perf_counter()
        try:
            parts += [p for p in builder(inputs) if not p.empty]
        except Exception as error:  # noqa: BLE001 - reported, never silent
            problems[builder.__name__] = f"{type(error).__name__}: {error}"
        timings[builder.__name__] = round(time.perf_counter() - start, 3)
    facts = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FACT_COLUMNS)
    facts, limits = with_funnel_flags(_tidy(facts))
    facts = with_shrinkage(with_group_gaps(facts))
    return facts, {"funnel": limits, "problems": problems, "timings": timings, "rows": len(facts)}


def merge(
    previous: pd.DataFrame, fresh: pd.DataFrame, builders: list[str]
) -> tuple[pd.DataFrame, dict]:
    """Previous facts with the rows of ``builders`` replaced by ``fresh``; funnel flags again."""
    kept = previous[~previous["measure"].isin(measures_of(builders))]
    combined = pd.concat([kept, fresh], ignore_index=True) if len(kept) else fresh
    facts, limits = with_funnel_flags(_tidy(combined))
    return with_shrinkage(with_group_gaps(facts)), limits


def with_funnel_flags(facts: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Funnel flags for academies' progress measures, per period, around 0 (the national
    average for P8; the trust's own average for value added and KS2 progress), with
    robust over-dispersion (Spiegelhalter 2005; analytics.stats.funnel); exit rates around
    the trust's own rate (``inclusion.proportion_funnel``)."""
    facts = facts.copy()
    limits: dict[str, dict] = {}
    mask = (
        (facts["level"] == "academy")
        & (facts["breakdown"] == "all")
        & facts["measure"].isin(FUNNEL_MEASURES)
    )
    for (measure, period), rows in facts[mask].groupby(["measure", "period"]):
        rows = rows[rows["se"].notna() & (rows["se"] > 0) & rows["score"].notna()]
        if len(rows) < 2:
            continue
        out = funnel(rows, target=0.0)
        facts.loc[out.index, "flag"] = out["flag"].to_numpy()
        sigma = float(np.nanmedian(rows["se"] * np.sqrt(rows["pupils"])))
        limits[f"{measure}|{period}"] = {
            "target": 0.0,
            "tau2": float(out["tau2"].iloc[0]),
            "sigma": sigma,
        }
    _proportion_flags(facts, limits)
    return facts, limits


def _proportion_flags(facts: pd.DataFrame, limits: dict[str, dict]) -> None:
    """Funnel flags (in place) for academies' exit rates against the trust's rate of the same
    period (``inclusion.proportion_funnel``), and their limits for drawing."""
    level, breakdown = facts["level"], facts["breakdown"]
    mask = (breakdown == "all") & facts["measure"].isin(PROPORTION_FUNNELS)
    trust = facts[mask & (level == "trust")].set_index(["measure", "period"])["score"]
    for (measure, period), rows in facts[mask & (level == "academy")].groupby(
        ["measure", "period"]
    ):
        rows = rows[rows["score"].notna() & (rows["pupils"] > 0)]
        target = trust.get((measure, period))
        found = None if target is None or len(rows) < 2 else proportion_funnel(rows, target)
        if found is not None:
            facts.loc[found[0].index, "flag"] = found[0]["flag"].to_numpy()
            limits[f"{measure}|{period}"] = found[1]


def _tidy(facts: pd.DataFrame) -> pd.DataFrame:
    facts = facts.astype({"period_order": "int64"})
    for column in ("pupils", "score", "ci_low", "ci_high", "se", "sd"):
        facts[column] = pd.to_numeric(facts[column], errors="coerce").astype("float64")
    for column in (
        "level",
        "unit",
        "measure",
        "period",
        "breakdown",
        "group",
        "band",
        "flag",
        "note",
    ):
        values = facts[column].astype(object)
        facts[column] = values.where(values.notna(), None).map(
            lambda v: None if v is None else str(v)
        )
    return facts.reset_index(drop=True)

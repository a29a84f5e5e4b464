"""Precomputed dashboard summaries ("facts"): every measure for every academy, cluster,
region, class and the trust, for every year or assessment window, in one small long table.

:func:`trustlens.dashboards.services.rebuild_summaries` gathers the inputs (store tables,
organisation tree, class lists) and calls :func:`compute` after each import; the dashboards
then read a few thousand precomputed rows instead of millions of results. This package takes
Ibis tables and pandas frames and never touches the records database.

Columns of the facts table (``FACT_COLUMNS``): ``level`` (academy, cluster, region, trust,
class), ``unit`` (URN, cluster id, region id, "trust", class id), ``measure`` (a code from
``dashboards.choices.MEASURES``), ``period`` ("2023/24" or "2023/24 spring"), ``period_order``,
``breakdown`` ("all" or a pupil group such as "disadvantaged"), ``group``, ``pupils`` (n),
``score``, ``ci_low``/``ci_high`` (95%), ``se``, ``sd``, ``band`` (DfE band where one applies),
``flag`` (funnel position) and ``note`` (method notes, e.g. which national estimates).
"""

from __future__ import annotations

import time

import numpy as np
import pandas as pd

from trustlens.analytics.stats.funnel import funnel
from trustlens.dashboards.summaries.operational import operational_facts
from trustlens.dashboards.summaries.outcomes import (
    ks2_facts,
    ks4_attainment_facts,
    progress8_facts,
    value_added_facts,
)
from trustlens.dashboards.summaries.pastoral import attendance_facts, exclusion_facts, roll_facts
from trustlens.dashboards.summaries.units import FACT_COLUMNS, Inputs, period_order

__all__ = [
    "BUILDERS",
    "FACT_COLUMNS",
    "FUNNEL_MEASURES",
    "Inputs",
    "compute",
    "period_order",
    "with_funnel_flags",
]

BUILDERS = (
    progress8_facts,
    ks4_attainment_facts,
    ks2_facts,
    value_added_facts,
    attendance_facts,
    exclusion_facts,
    roll_facts,
    operational_facts,
)
FUNNEL_MEASURES = ("p8", "va", "ks2_reading", "ks2_writing", "ks2_maths")
YEAR_SOURCES = {"attendance", "assessment_results", "ks4", "ks2"}
#: builder -> (store datasets it reads, measure codes it writes). An import of other datasets
#: leaves its rows as they were (incremental rebuild).
BUILDER_IO: dict[str, tuple[set[str], set[str]]] = {
    "progress8_facts": ({"ks4", "pupils"}, {"p8", "p8_gap"}),
    "ks4_attainment_facts": ({"ks4", "pupils"}, {"a8", "em4"}),
    "ks2_facts": (
        {"ks2", "pupils"},
        {"ks2_rwm", "ks2_rwm_gap", "ks2_reading", "ks2_writing", "ks2_maths"},
    ),
    "value_added_facts": (
        {"assessment_results", "prior_attainment", "pupils", "classes", "class_members"},
        {"va"},
    ),
    "attendance_facts": ({"attendance", "pupils"}, {"attendance", "persistent_absence"}),
    "exclusion_facts": (
        {"suspensions", "enrolments", "pupils"} | YEAR_SOURCES,
        {"suspensions", "permanent_exclusions"},
    ),
    "roll_facts": ({"enrolments", "pupils"} | YEAR_SOURCES, {"sen_share", "disadvantaged_share"}),
    "operational_facts": (
        {"admissions", "cover", "staff", "finance", "safeguarding"},
        {"first_preferences", "cover_share", "staff_absence", "finance_balance", "safeguarding"},
    ),
}


def builders_for(datasets: set[str] | None, years_changed: bool = True) -> list[str] | None:
    """The builders an import of ``datasets`` affects; None means everything (a full rebuild:
    no list given, or the organisation tree changed). Roll and exclusions depend on which
    academic years have data, not on the rows, unless ``years_changed``."""
    if datasets is None or "academies" in datasets:
        return None
    out = []
    for name, (reads, _writes) in BUILDER_IO.items():
        if name in ("exclusion_facts", "roll_facts") and not years_changed:
            reads = reads - YEAR_SOURCES
        if reads & set(datasets):
            out.append(name)
    return out


def inputs_needed(builders: list[str] | None) -> set[str] | None:
    """Store datasets the given builders read (None: all)."""
    if builders is None:
        return None
    return set().union(*(BUILDER_IO[name][0] for name in builders)) if builders else set()


def measures_of(builders: list[str]) -> set[str]:
    return set().union(*(BUILDER_IO[name][1] for name in builders)) if builders else set()


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
    return facts, {"funnel": limits, "problems": problems, "timings": timings, "rows": len(facts)}


def merge(
    previous: pd.DataFrame, fresh: pd.DataFrame, builders: list[str]
) -> tuple[pd.DataFrame, dict]:
    """Previous facts with the rows of ``builders`` replaced by ``fresh``; funnel flags again."""
    kept = previous[~previous["measure"].isin(measures_of(builders))]
    combined = pd.concat([kept, fresh], ignore_index=True) if len(kept) else fresh
    return with_funnel_flags(_tidy(combined))


def with_funnel_flags(facts: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Funnel flags for academies' progress measures, per period, around 0 (the national
    average for P8; the trust's own average for value added and KS2 progress), with
    DerSimonian-Laird over-dispersion (Spiegelhalter 2005; analytics.stats.funnel)."""
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
    return facts, limits


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

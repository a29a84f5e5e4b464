"""Inclusion: unexplained exits and moves off roll Year 10 to Year 11, for every unit.

The counts come from :mod:`trustlens.analytics.measures.exits` (EPI 2019, *Unexplained pupil
exits from schools*; Ofsted IDSR moves off roll): per academy, year, measure and group, the
cohort (``pupils``), unexplained exits, explained moves and permanent exclusions. Counts are
additive (one row per pupil and academy), so they are summed into clusters, regions and the
trust (``units.rollup``) and the Wilson interval is applied to the sums, exactly as
``exits.exits`` computes it for one unit. Funnel flags against the trust's rate are added with
the other funnels (``build.with_funnel_flags``).

Fact rows (measure codes): ``exits`` (unexplained exits, % of the 1 September cohort),
``exits_moves`` (unexplained moves off roll between the Year 10 and Year 11 censuses, % of the
Year 10 census cohort), ``exits_explained`` (explained moves, % of the cohort) and
``exits_excluded`` (permanent exclusions, % of the cohort). Breakdowns: ``all``,
``exit_group`` (SEN support, EHC plan, disadvantaged, looked after, low prior attainment) and
``exit_timing`` (Year 10, Year 11, Year 11 before the January census).
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd

from trustlens.analytics.measures import exits
from trustlens.analytics.stats import intervals
from trustlens.analytics.summaries.pastoral import roll_years
from trustlens.analytics.summaries.units import Inputs, facts, rollup, run

COUNTS = list(exits.COUNTS)
#: measure code of the facts -> (exits.py measure, count column of the numerator)
MEASURE_CODES = {
    "exits": (exits.EXITS, "exits"),
    "exits_moves": (exits.MOVES, "exits"),
    "exits_explained": (exits.EXITS, "explained_moves"),
    "exits_excluded": (exits.EXITS, "permanent_exclusions"),
}
#: The measures whose academies are placed on a funnel against the trust's rate.
PROPORTION_FUNNELS = ("exits", "exits_moves")
GROUP_BREAKDOWN = "exit_group"
TIMING_BREAKDOWN = "exit_timing"


def breakdown_of(group: str) -> str:
    """``all``, ``exit_timing`` (Year 10, Year 11, before the census) or ``exit_group``."""
    if group == exits.ALL:
        return "all"
    return TIMING_BREAKDOWN if group in exits.TIMING_GROUPS else GROUP_BREAKDOWN


def exit_cells(inputs: Inputs, years: list[str]) -> pd.DataFrame:
    """Per-academy counts (``exits.exit_measures``): urn, academic_year, measure, group, counts."""
    optional = {"pupils": _pupils(inputs), "prior": inputs.tables.get("prior_attainment")}
    cells = run(exits.exit_measures(inputs.tables["enrolments"], years, **optional))
    return cells[["urn", "academic_year", "measure", "group", *COUNTS]]


def _pupils(inputs: Inputs) -> ibis.Table | None:
    """Pupil characteristics with every column ``exits`` reads (missing ones as null)."""
    pupils = inputs.tables.get("pupils")
    if pupils is None:
        return None
    types = {"sen": "string", "disadvantaged": "boolean", "looked_after": "boolean"}
    types |= {"birth_year": "int64", "birth_month": "int64"}
    missing = {c: ibis.null().cast(t) for c, t in types.items() if c not in pupils.columns}
    return pupils.mutate(**missing) if missing else pupils


def exit_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """Unexplained exits, moves off roll, explained moves and permanent exclusions (Wilson 95%),
    every unit, year and group (``exits``; see the module docstring)."""
    if not inputs.has("enrolments"):
        return []
    years = roll_years(inputs) or _enrolment_years(inputs)
    cells = exit_cells(inputs, years)
    if cells.empty:
        return []
    units = rollup(cells, inputs, COUNTS, ["academic_year", "measure", "group"])
    units["breakdown"], units["grp"] = units["group"].map(breakdown_of), units["group"]
    return [
        _rates(units, code, measure, column) for code, (measure, column) in MEASURE_CODES.items()
    ]


def _rates(units: pd.DataFrame, code: str, measure: str, column: str) -> pd.DataFrame:
    """Share of the cohort with a Wilson interval (as ``exits._summarise``), per cent."""
    rows = units[units["measure"] == measure].copy()
    hits, n = rows[column].to_numpy(float), rows["pupils"].to_numpy(float)
    low, high = intervals.wilson_interval(hits, n)
    rows["score"] = hits / n * 100.0
    rows["ci_low"], rows["ci_high"] = (np.clip(v * 100.0, 0.0, 100.0) for v in (low, high))
    rows["note"] = [_note(r) for r in rows[COUNTS].itertuples(index=False)]
    return facts(rows, code)


def _note(counts: tuple) -> str:
    """The counts behind a row, for tables and reasons (never shown for withheld groups)."""
    pupils, unexplained, explained, excluded = (int(v) for v in counts)
    return (
        f"{unexplained:,} unexplained exits, {explained:,} explained moves, "
        f"{excluded:,} permanent exclusions of {pupils:,} pupils"
    )


def _enrolment_years(inputs: Inputs) -> list[str]:
    """Academic years with an enrolment spell starting (when no outcome data is loaded)."""
    starts = run(inputs.tables["enrolments"].select("start_date").distinct())["start_date"]
    dates = pd.to_datetime(starts.dropna())
    first = sorted({d.year if d.month >= 9 else d.year - 1 for d in dates})
    return [f"{y}/{str(y + 1)[2:]}" for y in first]


def proportion_funnel(rows: pd.DataFrame, target: float) -> tuple[pd.DataFrame, dict] | None:
    """Academies' rates on a funnel around the trust's rate ``target`` (%): the standard error
    at the target, ``sqrt(p0 (1 - p0) / n)`` (Spiegelhalter 2005), robust over-dispersion; as
    ``exits.with_flags``. None when the trust rate is 0 or 100 (no limits)."""
    from trustlens.analytics.stats.funnel import funnel

    p0 = target / 100.0
    if not 0.0 < p0 < 1.0:
        return None
    sigma = float(np.sqrt(p0 * (1.0 - p0)) * 100.0)
    out = funnel(rows.assign(se=sigma / np.sqrt(rows["pupils"].astype(float))), target=target)
    return out, {"target": target, "tau2": float(out["tau2"].iloc[0]), "sigma": sigma}

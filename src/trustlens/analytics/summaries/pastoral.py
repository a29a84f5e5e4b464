"""Attendance, persistent absence, suspensions and exclusions, and the make-up of the roll.

The engine reduces pupils to per-academy cells of sufficient statistics (one query per
dataset); cells are added up into every unit (``units.rollup``) and the analytics layer's
interval formulas are applied to the sums, so each unit's figure equals the measure
function's own (``attendance.attendance_rate``, ``attendance.persistent_absence``,
``behaviour.exclusions``, ``summary.proportion_summary``) for that unit's pupils.
"""

from __future__ import annotations

import ibis
import numpy as np
import pandas as pd
from ibis import _

from trustlens.analytics.measures import attendance, behaviour
from trustlens.analytics.measures.groups import with_pupils
from trustlens.analytics.stats import intervals
from trustlens.analytics.summaries.units import (
    PUPIL_BREAKDOWNS,
    Inputs,
    facts,
    latest_years,
    rollup,
    run,
    years_of,
)

ATTENDANCE_SUMS = [
    "pupils",
    "sessions",
    "total",
    "sum_yy",
    "sum_xx",
    "sum_xy",
    "persistent",
    "flagged",
]
EXCLUSION_SUMS = ["pupils", "susp", "susp_sq", "susp_with", "perm", "perm_sq", "perm_with"]


def _chars(inputs: Inputs, table: ibis.Table) -> tuple[ibis.Table, list[str]]:
    if "pupils" not in inputs.tables:
        return table, []
    return with_pupils(table, inputs.tables["pupils"].select("pupil_id", *PUPIL_BREAKDOWNS)), list(
        PUPIL_BREAKDOWNS
    )


def _recent(cells: pd.DataFrame, inputs: Inputs) -> pd.Series:
    years = latest_years(sorted(set(cells["academic_year"])), inputs.breakdown_years)
    return cells["academic_year"].isin(years).reset_index(drop=True)


def attendance_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """Attendance rate (pupil-clustered ratio interval, Cochran 1977) and persistent absence
    (Wilson), year to date, for every unit; pupil groups for the latest years."""
    if not inputs.has("attendance"):
        return []
    per_pupil, chars = _chars(inputs, attendance.pupil_attendance(inputs.tables["attendance"]))
    cells = run(
        per_pupil.group_by(["urn", "academic_year", *chars]).agg(
            **attendance.ratio_sums(per_pupil),
            persistent=per_pupil.persistent_absent.cast("int64").sum(),
            flagged=per_pupil.persistent_absent.count(),
        )
    )
    units = rollup(cells, inputs, ATTENDANCE_SUMS, ["academic_year"], chars, _recent(cells, inputs))
    rate = units.copy()
    low, high = intervals.ratio_interval(
        *(
            rate[c].to_numpy(float)
            for c in ("pupils", "total", "sessions", "sum_yy", "sum_xx", "sum_xy")
        )
    )
    rate["score"], rate["ci_low"], rate["ci_high"] = (
        rate["total"] * 100.0 / rate["sessions"],
        low * 100.0,
        high * 100.0,
    )
    absent = _wilson(units, "persistent", "flagged")
    return [
        facts(rate, "attendance", "percent of possible sessions attended"),
        facts(absent, "persistent_absence", "percent of pupils missing 10% or more of sessions"),
    ]


def _wilson(units: pd.DataFrame, successes: str, n: str) -> pd.DataFrame:
    """Share with a Wilson interval, as ``summary.proportion_summary`` (percentages)."""
    out = units.copy()
    hits, count = out[successes].to_numpy(float), out[n].to_numpy(float)
    low, high = intervals.wilson_interval(hits, count)
    out["pupils"] = count
    out["score"], out["ci_low"], out["ci_high"] = hits * 100.0 / count, low * 100.0, high * 100.0
    return out


def per_pupil_events(suspensions: ibis.Table, roll: ibis.Table) -> ibis.Table:
    """Suspensions and permanent exclusions per pupil on roll, academy and year, zeros included
    (as ``behaviour.exclusions`` counts them)."""
    events = suspensions.mutate(academic_year=behaviour.academic_year_of(_.start_date))
    counts = events.group_by(["pupil_id", "urn", "academic_year"]).agg(
        susp=(_.kind == "suspension").cast("int64").sum(),
        perm=(_.kind == "permanent_exclusion").cast("int64").sum(),
    )
    joined = roll.left_join(counts, ["pupil_id", "urn", "academic_year"])
    joined = joined.drop("pupil_id_right", "urn_right", "academic_year_right")
    return joined.mutate(susp=_.susp.fill_null(0) * 1.0, perm=_.perm.fill_null(0) * 1.0)


def exclusion_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """Suspensions and permanent exclusions per 100 pupils on roll: Poisson score interval
    inflated by the variance-to-mean ratio of per-pupil counts (``behaviour.exclusions``)."""
    if not inputs.has("suspensions", "enrolments"):
        return []
    years = roll_years(inputs)
    if not years:
        return []
    table, chars = _chars(
        inputs, per_pupil_events(inputs.tables["suspensions"], on_roll(inputs, years))
    )
    cells = run(
        table.group_by(["urn", "academic_year", *chars]).agg(
            pupils=table.pupil_id.count(),
            susp=table.susp.sum(),
            susp_sq=(table.susp * table.susp).sum(),
            susp_with=(table.susp > 0).cast("int64").sum(),
            perm=table.perm.sum(),
            perm_sq=(table.perm * table.perm).sum(),
            perm_with=(table.perm > 0).cast("int64").sum(),
        )
    )
    units = rollup(cells, inputs, EXCLUSION_SUMS, ["academic_year"], chars, _recent(cells, inputs))
    return [
        facts(_rate(units, "susp"), "suspensions"),
        facts(_rate(units, "perm"), "permanent_exclusions"),
    ]


def _rate(units: pd.DataFrame, prefix: str) -> pd.DataFrame:
    out = units.copy()
    n, events, squares = (out[c].to_numpy(float) for c in ("pupils", prefix, f"{prefix}_sq"))
    mean = events / n
    with np.errstate(divide="ignore", invalid="ignore"):
        variance = (squares - events * mean) / (n - 1.0)
        dispersion = np.where(events > 0, variance / mean, 1.0)
    low, high = intervals.poisson_rate_interval(events, n, dispersion)
    out["score"], out["ci_low"], out["ci_high"] = mean * 100.0, low * 100.0, high * 100.0
    out["note"] = [f"{int(e)} events" for e in events]
    return out


def roll_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """Share of pupils on roll with SEN (support or EHC plan) and share disadvantaged (Wilson)."""
    if not inputs.has("enrolments", "pupils"):
        return []
    years = roll_years(inputs)
    if not years:
        return []
    chars = inputs.tables["pupils"].select("pupil_id", "sen", "disadvantaged")
    table = on_roll(inputs, years).inner_join(chars, "pupil_id")
    cells = run(
        table.group_by(["urn", "academic_year"]).agg(
            pupils=table.pupil_id.count(),
            sen=table.sen.isin(["K", "E"]).fill_null(False).cast("int64").sum(),
            disadvantaged=table.disadvantaged.fill_null(False).cast("int64").sum(),
        )
    )
    units = rollup(cells, inputs, ["pupils", "sen", "disadvantaged"], ["academic_year"])
    return [
        facts(_wilson(units, "sen", "pupils"), "sen_share", "percent of pupils on roll"),
        facts(
            _wilson(units, "disadvantaged", "pupils"),
            "disadvantaged_share",
            "percent of pupils on roll",
        ),
    ]


def on_roll(inputs: Inputs, years: list[str]) -> ibis.Table:
    """Pupils on roll per academy and year (``behaviour.on_roll``), computed once per rebuild."""
    key = ("on_roll", tuple(years))
    if key not in inputs.cache:
        roll = behaviour.on_roll(inputs.tables["enrolments"], years)
        inputs.cache[key] = inputs.materialise(roll, "_dash_on_roll")
    return inputs.cache[key]


def roll_years(inputs: Inputs) -> list[str]:
    """Academic years with attendance, results or outcomes (the years the dashboards show)."""
    if "roll_years" not in inputs.cache:
        years: set[str] = set()
        for name in ("attendance", "assessment_results", "ks4", "ks2"):
            if name in inputs.tables:
                years |= set(years_of(inputs.tables[name]))
        inputs.cache["roll_years"] = sorted(years)
    return inputs.cache["roll_years"]

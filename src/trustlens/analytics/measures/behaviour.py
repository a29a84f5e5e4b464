"""Suspensions and permanent exclusions per 100 pupils on roll.

Source: DfE, *Suspensions and permanent exclusions in England* methodology: rates are the number
of suspensions (or permanent exclusions) divided by the number of pupils on roll, times 100; a
pupil can be suspended more than once, so events are counted, and the share of pupils with at
least one suspension is reported beside it.

Pupils on roll come from ``enrolments`` overlapping the academic year (1 September to 31
August). Repeat suspensions make per-pupil counts over-dispersed, so the interval is the
Poisson score interval inflated by the variance-to-mean ratio of per-pupil counts (see
:func:`trustlens.analytics.stats.intervals.poisson_rate_interval`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import ibis
from ibis import _

from trustlens.analytics.measures.groups import with_groups
from trustlens.analytics.stats import intervals

KINDS = {"suspension": "suspensions", "permanent_exclusion": "permanent exclusions"}
DEFAULT_BY = ("urn", "academic_year")


def year_bounds(academic_year: str) -> tuple[dt.date, dt.date]:
    """``"2023/24"`` -> (2023-09-01, 2024-08-31)."""
    start = int(academic_year[:4])
    return dt.date(start, 9, 1), dt.date(start + 1, 8, 31)


def academic_year_of(date: ibis.Value) -> ibis.Value:
    """The academic year (``"2023/24"``) a date falls in."""
    first = (date.month() >= 9).ifelse(date.year(), date.year() - 1)
    second = ((first + 1) % 100).cast("string").lpad(2, "0")
    return first.cast("string").concat("/", second)


def on_roll(enrolments: ibis.Table, academic_years: Sequence[str]) -> ibis.Table:
    """Distinct (pupil_id, urn, academic_year) for enrolments overlapping each year."""
    parts = []
    for year in academic_years:
        start, end = year_bounds(year)
        overlap = (enrolments.start_date <= end) & (
            enrolments.end_date.isnull() | (enrolments.end_date >= start)
        )
        rows = enrolments.filter(overlap).select("pupil_id", "urn")
        parts.append(rows.mutate(academic_year=ibis.literal(year)))
    return ibis.union(*parts, distinct=True)


def _per_pupil(suspensions: ibis.Table, roll: ibis.Table) -> ibis.Table:
    events = suspensions.mutate(academic_year=academic_year_of(_.start_date))
    counts = events.group_by(["pupil_id", "urn", "academic_year"]).agg(
        suspensions=(_.kind == "suspension").cast("int64").sum(),
        permanent_exclusions=(_.kind == "permanent_exclusion").cast("int64").sum(),
    )
    joined = roll.left_join(counts, ["pupil_id", "urn", "academic_year"])
    joined = joined.drop("pupil_id_right", "urn_right", "academic_year_right")
    return joined.mutate(
        suspensions=_.suspensions.fill_null(0),
        permanent_exclusions=_.permanent_exclusions.fill_null(0),
    )


def _rate(table: ibis.Table, column: str, by: Sequence[str], level: float) -> ibis.Table:
    e = table[column].cast("float64")
    agg = table.group_by(list(by)).agg(
        pupils=table.pupil_id.count(),
        events=e.sum(),
        events_sq=(e * e).sum(),
        pupils_with=(e > 0).cast("int64").sum(),
    )
    n = agg.pupils.cast("float64")
    mean = agg.events / n
    var = (agg.events_sq - agg.events * mean) / (n - 1.0)
    dispersion = ((agg.events > 0) & (n > 1)).ifelse(var / mean, 1.0)
    low, high = intervals.poisson_rate_interval(agg.events, n, dispersion, level)
    return agg.mutate(
        score=mean * 100.0,
        ci_low=low * 100.0,
        ci_high=high * 100.0,
        dispersion=intervals.maximum(dispersion, 1.0),
        band=ibis.null().cast("string"),
        measure=ibis.literal(f"{KINDS[column_kind(column)]} per 100 pupils"),
        unit=ibis.literal("per 100 pupils"),
    ).drop("events_sq")


def column_kind(column: str) -> str:
    return "suspension" if column == "suspensions" else "permanent_exclusion"


def exclusions(
    suspensions: ibis.Table,
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Suspensions and permanent exclusions per 100 pupils on roll, long form (``measure``)."""
    per_pupil = with_groups(
        _per_pupil(suspensions, on_roll(enrolments, academic_years)), by, pupils, academies
    )
    return ibis.union(
        _rate(per_pupil, "suspensions", by, level),
        _rate(per_pupil, "permanent_exclusions", by, level),
    )

"""Attendance rate and persistent absence, with pupils as the unit of uncertainty.

Sources:
- DfE, *Pupil absence in schools in England* methodology: overall absence rate = sessions
  missed / possible sessions; a pupil is persistently absent when they miss 10% or more of their
  possible sessions (the threshold since 2015/16).
- Cochran (1977) ratio estimator: sessions are clustered within pupils, so the interval of the
  attendance rate uses the linearised variance over pupils, not a binomial over sessions
  (which would be far too narrow). Persistent absence is a share of pupils: Wilson interval.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
from ibis import _

from trustlens.analytics.measures.groups import with_groups
from trustlens.analytics.measures.summary import proportion_summary
from trustlens.analytics.stats import intervals

PERSISTENT_ABSENCE = 0.10
DEFAULT_BY = ("urn", "academic_year")


def pupil_attendance(attendance: ibis.Table, terms: Sequence[str] | None = None) -> ibis.Table:
    """One row per pupil, academy and year: sessions possible/attended, rate, persistent flag.

    ``terms`` restricts the period (e.g. ``["autumn"]``); by default the whole year so far.
    """
    table = attendance if terms is None else attendance.filter(_.term.isin(list(terms)))
    per_pupil = table.group_by(["pupil_id", "urn", "academic_year"]).agg(
        possible=_.possible_sessions.sum(),
        attended=_.attended_sessions.sum(),
        authorised=_.authorised_absence.sum(),
        unauthorised=_.unauthorised_absence.sum(),
    )
    per_pupil = per_pupil.filter(_.possible > 0)
    missed = (per_pupil.possible - per_pupil.attended).cast("float64")
    return per_pupil.mutate(
        absence_rate=missed / per_pupil.possible,
        persistent_absent=missed / per_pupil.possible >= PERSISTENT_ABSENCE,
    )


def ratio_sums(per_pupil: ibis.Table) -> dict[str, ibis.Value]:
    """The aggregates of :func:`pupil_attendance` rows that the pupil-clustered ratio interval
    needs: ``pupils``, ``sessions`` (possible), ``total`` (attended) and the sums of squares."""
    x, y = per_pupil.possible.cast("float64"), per_pupil.attended.cast("float64")
    return {
        "pupils": per_pupil.pupil_id.count(),
        "sessions": x.sum(),
        "total": y.sum(),
        "sum_yy": (y * y).sum(),
        "sum_xx": (x * x).sum(),
        "sum_xy": (x * y).sum(),
    }


def attendance_rate(
    attendance: ibis.Table,
    *,
    by: Sequence[str] = DEFAULT_BY,
    terms: Sequence[str] | None = None,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Percentage of possible sessions attended per group, with a pupil-clustered interval."""
    table = with_groups(pupil_attendance(attendance, terms), by, pupils, academies)
    agg = table.group_by(list(by)).agg(**ratio_sums(table))
    low, high = intervals.ratio_interval(
        agg.pupils.cast("float64"),
        agg.total,
        agg.sessions,
        agg.sum_yy,
        agg.sum_xx,
        agg.sum_xy,
        level,
    )
    out = agg.mutate(
        score=agg.total * 100.0 / agg.sessions,
        ci_low=low * 100.0,
        ci_high=high * 100.0,
        band=ibis.null().cast("string"),
        measure=ibis.literal("attendance rate"),
        unit=ibis.literal("percent of sessions"),
    )
    return out.drop("sum_yy", "sum_xx", "sum_xy")


def persistent_absence(
    attendance: ibis.Table,
    *,
    by: Sequence[str] = DEFAULT_BY,
    terms: Sequence[str] | None = None,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Percentage of pupils missing 10% or more of possible sessions, Wilson interval."""
    table = with_groups(pupil_attendance(attendance, terms), by, pupils, academies)
    out = proportion_summary(table, "persistent_absent", by, level=level)
    return out.mutate(
        measure=ibis.literal("persistent absence"), unit=ibis.literal("percent of pupils")
    )

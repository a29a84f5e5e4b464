"""Unexplained exits and moves off roll: the off-rolling signal, from enrolment spells.

Sources:
- Education Policy Institute (2019), *Unexplained pupil exits from schools: a growing problem?*
  (Hutchinson & Crenna-Jennings): about 1 in 12 pupils of one GCSE cohort left a school's roll
  with no onward state school recorded, more often disadvantaged, SEN and low-prior-attainment
  pupils. Here: leavers whose reason is ``unknown`` or ``elective_home`` (or no reason at all)
  are *unexplained exits*; moves to another state or independent school and emigration are
  *explained moves*; permanent exclusions are formal and counted apart; ``end_of_phase`` is
  not an exit.
- Ofsted, *Inspection data summary report* (IDSR) guidance: pupils on roll in the January
  census of Year 10 who are not on roll in the January census of Year 11 ("moves off roll").
  The census day is the third Thursday of January (DfE school census guide).

Definitions (see docs/methods.md, "Unexplained exits"):
- **Cohort** of an academic year at an academy: pupils on its roll on 1 September.
- A cohort pupil's **fate** is that of their *last* spell at the academy starting in the year:
  a pupil who leaves and comes back in the same year is not an exit (unless they leave again),
  and two spells in one year count once. They **left** when that spell ends on or before
  31 August (a spell ending on 31 August is a leaver of that year: they are not on the next
  year's 1 September roll, so no leaver falls between two years).
- **Year group** in a year: from the year and month of birth (DfE: the year group of the
  pupil's age, born 1 September to 31 August); when birth is unknown, from the year group
  recorded on a closed spell (its last day on roll).
- **Moves off roll Y10 to Y11** in year Y: pupils in Year 11 in Y who were on roll on the Year 10
  census day (January of Y's first calendar year) and are not on roll on the Year 11 census day;
  pupils whose phase ended between the two days are left out of cohort and moves.

Groups (DfE performance-table breakdowns): SEN support (``K``), EHC plan (``E``), disadvantaged,
looked after, low prior attainment (KS2 fine level below 100, the expected standard; pupils
without KS2 by KS1 APS below 12, the DfE primary low band), and timing: Year 10, Year 11 and
Year 11 exits before the January census (EPI's "classic pattern": off the roll before the
census that fixes the school's GCSE cohort).

Rates are per cent of the cohort with Wilson score intervals
(:func:`trustlens.analytics.stats.intervals.wilson_interval`). Functions return Ibis tables that
run unchanged on DuckDB and PySpark; :func:`output_rows` adds funnel flags against the trust
(95% limits, robust over-dispersion) and suppression to the executed summaries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import ibis
import numpy as np
import pandas as pd
from ibis import _

from trustlens.analytics.measures import behaviour
from trustlens.analytics.stats import intervals
from trustlens.analytics.stats.funnel import funnel
from trustlens.analytics.stats.suppression import DEFAULT_THRESHOLD, suppress

EXPLAINED = ("transfer_state", "transfer_independent", "emigrated")
UNEXPLAINED = ("unknown", "elective_home")
EXCLUSION = "permanent_exclusion"
END_OF_PHASE = "end_of_phase"
#: Outcome of a cohort pupil's year at an academy.
STAYED, EXPLAINED_MOVE, EXCLUDED, UNEXPLAINED_EXIT = (
    "stayed",
    "explained",
    "excluded",
    "unexplained",
)

EXITS = "unexplained exits"
MOVES = "moves off roll Y10 to Y11"
ALL = "all"
BEFORE_CENSUS = "Year 11, left before the January census"
DEFAULT_BY = ("urn", "academic_year")
KEYS = ("measure", "group")
COUNTS = ("pupils", "exits", "explained_moves", "permanent_exclusions")

#: Pupil groups: label -> (column it needs, predicate on a pupil row).
CHARACTERISTIC_GROUPS: dict[str, tuple[str, Callable[[ibis.Table], ibis.Value]]] = {
    "SEN support": ("sen", lambda t: t.sen == "K"),
    "EHC plan": ("sen", lambda t: t.sen == "E"),
    "disadvantaged": ("disadvantaged", lambda t: t.disadvantaged),
    "looked after": ("looked_after", lambda t: t.looked_after),
    "low prior attainment": ("low_prior", lambda t: t.low_prior),
}
TIMING_GROUPS = ("Year 10", "Year 11", BEFORE_CENSUS)
GROUP_ORDER = (ALL, *CHARACTERISTIC_GROUPS, *TIMING_GROUPS)


def census_day(year: int) -> dt.date:
    """The January school census day of calendar ``year``: the third Thursday of January."""
    first = dt.date(year, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def _start_year(date: ibis.Value) -> ibis.Value:
    """First calendar year of the academic year a date falls in."""
    return (date.month() >= 9).ifelse(date.year(), date.year() - 1)


def fates(enrolments: ibis.Table, first: dt.date, last: dt.date) -> ibis.Table:
    """Pupils on an academy's roll on ``first``, and the fate of their last spell there.

    One row per (pupil_id, urn): the last spell at the academy starting on or before ``last``
    (``end_date``, ``leaving_reason``, recorded ``year_group``), ``left`` (it ended on or before
    ``last``) and ``outcome`` (stayed, explained, excluded, unexplained or end_of_phase).
    """
    spells = enrolments.filter(
        (_.start_date <= last) & (_.end_date.isnull() | (_.end_date >= first))
    )
    cohort = spells.filter(_.start_date <= first).select("pupil_id", "urn").distinct()
    latest = spells.group_by(["pupil_id", "urn"]).agg(last_start=_.start_date.max())
    last_spell = spells.join(
        latest, ["pupil_id", "urn", spells.start_date == latest.last_start]
    ).select("pupil_id", "urn", "year_group", "end_date", "leaving_reason")
    rows = cohort.join(last_spell, ["pupil_id", "urn"])
    left = rows.end_date.notnull() & (rows.end_date <= last)
    return rows.mutate(left=left, outcome=_outcome(left, rows.leaving_reason))


def _outcome(left: ibis.Value, reason: ibis.Value) -> ibis.Value:
    """No reason recorded for a leaver = no onward school recorded: unexplained."""
    return ibis.cases(
        (~left, STAYED),
        (reason.isin(EXPLAINED), EXPLAINED_MOVE),
        (reason == EXCLUSION, EXCLUDED),
        (reason == END_OF_PHASE, END_OF_PHASE),
        else_=UNEXPLAINED_EXIT,
    )


def low_prior(prior: ibis.Table) -> ibis.Table:
    """``pupil_id``, ``low_prior``: KS2 fine level below 100, else KS1 APS below 12."""
    fine = (prior.ks2_reading_scaled.cast("float64") + prior.ks2_maths_scaled.cast("float64")) / 2
    fine = fine.fill_null(prior.ks2_reading_scaled.cast("float64")).fill_null(
        prior.ks2_maths_scaled.cast("float64")
    )
    low = ibis.cases((fine.notnull(), fine < 100), else_=prior.ks1_aps.cast("float64") < 12)
    return prior.select("pupil_id", low_prior=low.fill_null(False))


def _characteristics(
    rows: ibis.Table, pupils: ibis.Table | None, prior: ibis.Table | None
) -> ibis.Table:
    if pupils is not None:
        keep = ["pupil_id", "sen", "disadvantaged", "looked_after", "birth_year", "birth_month"]
        rows = rows.left_join(pupils.select(keep), "pupil_id").drop("pupil_id_right")
    if prior is not None:
        rows = rows.left_join(low_prior(prior), "pupil_id").drop("pupil_id_right")
    return rows


def _year_group(rows: ibis.Table, start_year: int) -> ibis.Value:
    """Year group in the academic year starting in ``start_year`` (birth first, then spell)."""
    recorded = rows.end_date.notnull().ifelse(
        rows.year_group - (_start_year(rows.end_date) - start_year), ibis.null().cast("int64")
    )
    if "birth_year" not in rows.columns:
        return recorded.cast("int64")
    birth = rows.birth_year - (rows.birth_month < 9).cast("int64")
    return (start_year - birth - 5).cast("int64").fill_null(recorded.cast("int64"))


def pupil_exits(
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    pupils: ibis.Table | None = None,
    prior: ibis.Table | None = None,
) -> ibis.Table:
    """One row per cohort pupil, academy and year: outcome, end date, year group, census day."""
    parts = []
    for year in academic_years:
        first, last = behaviour.year_bounds(year)
        rows = _characteristics(fates(enrolments, first, last), pupils, prior)
        census = census_day(first.year + 1)
        parts.append(
            rows.mutate(
                academic_year=ibis.literal(year),
                nc_year=_year_group(rows, first.year),
                before_census=rows.left & (rows.end_date < census),
            )
        )
    return ibis.union(*parts)


def pupil_moves(
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    pupils: ibis.Table | None = None,
    prior: ibis.Table | None = None,
) -> ibis.Table:
    """Pupils in Year 11 in each year on roll at the Year 10 census: off roll at Year 11's?"""
    parts = []
    for year in academic_years:
        start = int(year[:4])
        y10, y11 = census_day(start), census_day(start + 1)
        rows = _characteristics(fates(enrolments, y10, y11 - dt.timedelta(days=1)), pupils, prior)
        rows = rows.mutate(academic_year=ibis.literal(year), nc_year=_year_group(rows, start))
        parts.append(rows.filter((rows.nc_year == 11) & (rows.outcome != END_OF_PHASE)))
    return ibis.union(*parts)


def _groups(rows: ibis.Table, timing: bool) -> ibis.Table:
    """Long form: each pupil row once per group it belongs to, ``counted`` = leaver counts."""
    parts = [rows.mutate(group=ibis.literal(ALL), counted=rows.left)]
    for label, (column, predicate) in CHARACTERISTIC_GROUPS.items():
        if column not in rows.columns:
            continue
        member = predicate(rows).fill_null(False)
        parts.append(rows.filter(member).mutate(group=ibis.literal(label), counted=rows.left))
    if timing:
        for number in (10, 11):
            year = rows.filter(rows.nc_year == number)
            parts.append(year.mutate(group=ibis.literal(f"Year {number}"), counted=year.left))
        y11 = rows.filter(rows.nc_year == 11)
        parts.append(y11.mutate(group=ibis.literal(BEFORE_CENSUS), counted=y11.before_census))
    keep = ["pupil_id", "urn", "academic_year", "outcome", "group", "counted"]
    return ibis.union(*[p.select(keep) for p in parts])


def _summarise(long: ibis.Table, by: Sequence[str], measure: str, level: float) -> ibis.Table:
    def count(outcome: str) -> ibis.Value:
        return (long.counted & (long.outcome == outcome)).cast("int64").sum()

    agg = long.group_by([*by, "group"]).agg(
        pupils=long.pupil_id.count(),
        exits=count(UNEXPLAINED_EXIT),
        explained_moves=count(EXPLAINED_MOVE),
        permanent_exclusions=count(EXCLUDED),
    )
    n, events = agg.pupils.cast("float64"), agg.exits.cast("float64")
    low, high = intervals.wilson_interval(events, n, level)
    return agg.mutate(
        measure=ibis.literal(measure),
        score=events / n * 100.0,
        ci_low=_percent(low),
        ci_high=_percent(high),
    )


def _percent(share: ibis.Value) -> ibis.Value:
    """A share as a per cent, clipped to 0-100 (Wilson's bounds at 0 or n round a hair off)."""
    return ibis.cases((share < 0, 0.0), (share > 1, 100.0), else_=share * 100.0)


def exits(
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    prior: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Unexplained exits (``score``, % of the 1 September cohort) by academy, group and year.

    Also ``exits`` (unexplained), ``explained_moves`` and ``permanent_exclusions`` counts; the
    groups need ``pupils`` (characteristics, year of birth) and ``prior`` (prior attainment).
    """
    rows = pupil_exits(enrolments, academic_years, pupils=pupils, prior=prior)
    return _summarise(_groups(rows, timing=True), by, EXITS, level)


def moves_off_roll(
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    prior: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Moves off roll between the Year 10 and Year 11 censuses, split like exits: ``score`` is
    the unexplained share of the Year 10 census cohort; all moves = the three counts' sum."""
    rows = pupil_moves(enrolments, academic_years, pupils=pupils, prior=prior)
    return _summarise(_groups(rows, timing=False), by, MOVES, level)


def exit_measures(
    enrolments: ibis.Table,
    academic_years: Sequence[str],
    *,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    prior: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Both measures, long form (``measure``, ``group``)."""
    kw = {"by": by, "pupils": pupils, "prior": prior, "level": level}
    return ibis.union(
        exits(enrolments, academic_years, **kw), moves_off_roll(enrolments, academic_years, **kw)
    )


# --- output rows: funnel flags against the trust, names, suppression ---------------------------

OUTPUT_COLUMNS = (
    "urn",
    "academy",
    "academic_year",
    "measure",
    "group",
    "pupils",
    "exits",
    "explained_moves",
    "permanent_exclusions",
    "score",
    "ci_low",
    "ci_high",
    "flag",
    "funnel",
    "unit",
    "method",
)
SUPPRESSED_COLUMNS = (*COUNTS[1:], "score", "ci_low", "ci_high", "flag", "funnel")
METHOD = (
    "cohort on roll 1 September; Wilson 95% interval; funnel against the trust "
    "(robust over-dispersion, Spiegelhalter 2005)"
)


def _flag(position: str | None) -> str:
    if not position:
        return ""
    return "above" if position.startswith("high") else "below" if position.startswith("low") else ""


def with_flags(schools: pd.DataFrame, trust: pd.DataFrame) -> pd.DataFrame:
    """``flag`` (``above``, ``below`` or empty: outside the 95% funnel limits) and ``funnel``
    (the 95% / 99.8% position) for each academy row, against the trust's rate.

    The standard error of a proportion is taken at the target, ``sqrt(p0 (1 - p0) / n)``
    (Spiegelhalter 2005), so academies with no exits still have limits; over-dispersion is the
    funnel's robust estimate. A trust rate of 0 gives no flags.
    """
    keys = ["academic_year", *KEYS]
    rates = trust.set_index(keys)["score"]
    parts = []
    for key, part in schools.groupby(keys, sort=False):
        p0 = float(rates.get(key, np.nan)) / 100.0
        if not 0.0 < p0 < 1.0:
            parts.append(part.assign(flag="", funnel=""))
            continue
        se = np.sqrt(p0 * (1.0 - p0) / part["pupils"].astype(float)) * 100.0
        position = funnel(part.assign(se=se), target=p0 * 100.0)["flag"]
        parts.append(part.assign(flag=position.map(_flag), funnel=position.fillna("")))
    if not parts:
        return schools.assign(flag="", funnel="")
    return pd.concat(parts).loc[schools.index]


def output_rows(
    schools: pd.DataFrame,
    trust: pd.DataFrame,
    academies: pd.DataFrame,
    *,
    trust_label: str = "trust",
    suppress_small: bool = True,
    threshold: int = DEFAULT_THRESHOLD,
) -> pd.DataFrame:
    """Academy rows (with flags) then the trust's rows (``urn`` null), in the standard columns,
    ordered by measure, group and academy, small groups suppressed (``c``) unless told not to."""
    names = dict(zip(academies["urn"], academies["name"], strict=False))
    rows = pd.concat(
        [with_flags(schools, trust), trust.assign(urn=None, flag="", funnel="")],
        ignore_index=True,
    )
    rows["academy"] = [names.get(u, str(u)) if pd.notna(u) else trust_label for u in rows["urn"]]
    rows = rows.assign(unit="% of pupils", method=METHOD)
    rows["urn"] = rows["urn"].astype("Int64")
    order = {"measure": (EXITS, MOVES), "group": GROUP_ORDER}
    rows = rows.sort_values(
        ["measure", "group", "urn"],
        key=lambda c: c.map({v: i for i, v in enumerate(order[c.name])}) if c.name in order else c,
        na_position="last",
        kind="stable",
    )
    rows = rows[list(OUTPUT_COLUMNS)].reset_index(drop=True)
    if suppress_small:
        rows = suppress(
            rows,
            threshold=threshold,
            within=["academic_year", *KEYS],
            value_columns=SUPPRESSED_COLUMNS,
        ).drop(columns="suppressed")
    return rows

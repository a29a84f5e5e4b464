"""Outcome summaries: Progress 8, Attainment 8, English and maths 4+, KS2, in-year value added.

Each function turns the trust's store tables into fact rows with the analytics layer's
measures (sources in their docstrings). P8 for each exam year uses the DfE's national
estimates for that year when shipped, else the nearest shipped year's, labelled as such, so a
trend compares like with like.
"""

from __future__ import annotations

from collections import defaultdict

import ibis
import pandas as pd
from ibis import _

from trustlens.analytics.measures import attainment, gaps, ks2
from trustlens.analytics.measures import progress8 as p8
from trustlens.analytics.measures import value_added as va
from trustlens.analytics.measures.groups import with_pupils
from trustlens.analytics.measures.summary import aggregate, with_interval
from trustlens.analytics.national import NationalParameters, available, load_national
from trustlens.analytics.summaries.mat import mat_facts, mat_rows, time_in_trust_facts
from trustlens.analytics.summaries.units import (
    LEVELS,
    PUPIL_BREAKDOWNS,
    UNIT_KEYS,
    Inputs,
    explode,
    facts,
    latest_years,
    period_order,
    rollup,
    run,
    years_of,
)

BY_YEAR = [*UNIT_KEYS, "academic_year"]
BY_WINDOW = [*UNIT_KEYS, "academic_year", "term"]


def _pupils(inputs: Inputs, table: ibis.Table) -> ibis.Table:
    if "pupils" not in inputs.tables:
        return table
    chars = inputs.tables["pupils"].select("pupil_id", *PUPIL_BREAKDOWNS)
    return with_pupils(table, chars)


def _breakdowns(table: ibis.Table, extra: tuple[str, ...] = ()) -> list[str]:
    return [b for b in (*PUPIL_BREAKDOWNS, *extra) if b in table.columns]


def p8_parameters(academic_year: str) -> tuple[NationalParameters | None, str]:
    """National P8 parameters for the exam year of ``academic_year`` (nearest shipped year)."""
    exam_year = int(academic_year[:4]) + 1
    shipped = sorted({year for year, _status in available()})
    if not shipped:
        return None, "estimates from the trust's own cohort"
    nearest = min(shipped, key=lambda y: (abs(y - exam_year), -y))
    params = load_national(nearest)
    if nearest == exam_year:
        return params, f"{params.label} estimates"
    return params, f"{params.label} estimates applied to {academic_year}"


def progress8_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """School P8 (DfE method) for every unit, pupil group and the disadvantaged gap."""
    if not inputs.has("ks4"):
        return []
    ks4 = inputs.tables["ks4"]
    years = years_of(ks4)
    estimates = inputs.p8_estimates or p8_parameters
    by_params: dict[str, list[str]] = defaultdict(list)
    notes = {}
    for year in years:
        params, notes[year] = estimates(year)
        by_params[params.label if params else ""].append(year)
    parts = []
    for label, group_years in by_params.items():
        params = estimates(group_years[0])[0] if label else None
        pupils = p8.pupil_progress8(ks4.filter(_.academic_year.isin(group_years)), params)
        pupils = _pupils(inputs, pupils)
        recent = _.academic_year.isin(latest_years(years, inputs.breakdown_years))
        long = inputs.materialise(
            explode(pupils, inputs, breakdowns=_breakdowns(pupils, ("prior_band",)), recent=recent),
            f"_dash_p8_{len(parts)}",
        )
        summary = _summarise_p8(long, params)
        for year, rows in summary.groupby("academic_year"):
            parts.append(facts(rows, "p8", notes[str(year)]))
        schools = academy_rows(summary)
        parts.append(mat_facts(mat_rows(schools, inputs.academies, _sigma(params))))
        parts.append(time_in_trust_facts(schools, inputs.academies, _sigma(params)))
        parts += _gap(long, "p8_capped", "p8_gap")
    return parts


def _summarise_p8(long: ibis.Table, params: NationalParameters | None) -> pd.DataFrame:
    """P8 for every unit. With national parameters one query does it; with the trust's own
    cohort the SD is pooled over pupils, so each (level, breakdown) is summarised on its own
    (every pupil once, as a separate call per level would)."""
    if params is not None:
        return run(p8.summarise_progress8(long, BY_YEAR, params))
    pairs = run(long.select("level", "breakdown").distinct())
    parts = [
        run(
            p8.summarise_progress8(long.filter((_.level == lv) & (_.breakdown == b)), BY_YEAR, None)
        )
        for lv, b in zip(pairs["level"], pairs["breakdown"], strict=True)
    ]
    return pd.concat(parts, ignore_index=True)


def _sigma(params: NationalParameters | None) -> float | None:
    """The national SD of pupil P8 (None: the trust's own pupils)."""
    return params.sd["overall"] if params else None


def academy_rows(summary: pd.DataFrame) -> pd.DataFrame:
    """The academies' own rows of an exploded summary, keyed by ``urn`` again."""
    rows = summary[(summary["level"] == "academy") & (summary["breakdown"] == "all")]
    return rows.assign(urn=rows["unit_key"].astype("int64")).drop(columns=list(UNIT_KEYS))


def _gap(long: ibis.Table, value: str, measure: str) -> list[pd.DataFrame]:
    """Disadvantaged minus other pupils, per organisation unit (Welch interval)."""
    if "disadvantaged" not in long.columns:
        return []
    rows = long.filter(_.breakdown == "all")
    frame = run(gaps.disadvantaged_gap(rows, value, by=BY_YEAR))
    frame = frame[(frame["pupils_disadvantaged"] > 1) & (frame["pupils_other"] > 1)]
    frame = frame.assign(pupils=frame["pupils_disadvantaged"])
    return [facts(frame, measure, "disadvantaged minus other pupils; n = disadvantaged pupils")]


def ks4_attainment_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """Attainment 8 (t interval) and English and maths grade 4+ (Wilson) for every unit."""
    if not inputs.has("ks4"):
        return []
    ks4 = _pupils(inputs, inputs.tables["ks4"])
    recent = _.academic_year.isin(latest_years(years_of(ks4), inputs.breakdown_years))
    long = inputs.materialise(
        explode(ks4, inputs, breakdowns=_breakdowns(ks4), recent=recent), "_dash_ks4"
    )
    return [
        facts(run(attainment.attainment8(long, by=BY_YEAR)), "a8"),
        facts(run(attainment.english_maths(long, grade=4, by=BY_YEAR)), "em4"),
    ]


def ks2_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """KS2 reading, writing and maths combined (expected standard), KS2 progress (estimates
    from the trust's own cohort: the DfE's national KS2 estimates are not shipped) and the gap."""
    if not inputs.has("ks2"):
        return []
    table = _pupils(inputs, inputs.tables["ks2"])
    recent = _.academic_year.isin(latest_years(years_of(table), inputs.breakdown_years))
    long = inputs.materialise(
        explode(ks2.rwm_flags(table), inputs, breakdowns=_breakdowns(table), recent=recent),
        "_dash_ks2",
    )
    parts = [facts(run(attainment.ks2_rwm(long, by=BY_YEAR)), "ks2_rwm")]
    parts += _gap(long, "rwm_expected", "ks2_rwm_gap")
    progress = ks2.pupil_ks2_progress(inputs.tables["ks2"])
    plong = explode(progress, inputs)
    subjects = []
    for subject in ks2.SUBJECTS:
        agg = aggregate(plong, f"{subject}_progress", BY_YEAR)
        agg = with_interval(
            agg, sigma="cohort", cohort_keys=["level", "breakdown", "academic_year"]
        )
        subjects.append(agg.mutate(subject=ibis.literal(subject)))
    frame = run(ibis.union(*subjects))
    for subject, rows in frame.groupby("subject"):
        parts.append(facts(rows, f"ks2_{subject}", "KS2 estimates from the trust's own cohort"))
    return parts


VA_CELL_KEYS = ["urn", "academic_year", "term", "year_group", "prior_band"]


def value_added_facts(inputs: Inputs) -> list[pd.DataFrame]:
    """In-year value added (SD units; prior attainment model fitted on the trust's results)
    for every window and unit; subject, year group, prior band, pupil groups and classes for
    the latest windows.

    Same computation as ``value_added.value_added`` for each unit: a pupil counts once (the
    mean of their subjects) unless subject is the breakdown, and the interval uses the SD of
    all units of that level and window (``with_interval(sigma="cohort")``). The engine returns
    per-academy cells (n, sum, sum of squares); units are their sums (``units.rollup``).
    """
    if not inputs.has("assessment_results", "prior_attainment"):
        return []
    pupils = inputs.tables.get("pupils") if inputs.va_context else None
    pupil_va = va.pupil_value_added(
        inputs.tables["assessment_results"],
        inputs.tables["prior_attainment"],
        pupils,
        context=inputs.va_context,
    )
    keep = ["pupil_id", "urn", "academic_year", "term", "subject", "year_group", "prior_band", "va"]
    results = inputs.materialise(pupil_va.select(*keep), "_dash_va")
    per_pupil = _pupils(inputs, results.group_by(["pupil_id", *VA_CELL_KEYS]).agg(va=_.va.mean()))
    chars = [c for c in PUPIL_BREAKDOWNS if c in per_pupil.columns]
    cells = {
        "va_cells": run(_sums(per_pupil, [*VA_CELL_KEYS, *chars])),
        "va_subject_cells": run(_sums(results, ["urn", "academic_year", "term", "subject"])),
        "va_class_cells": _class_cells(inputs, results),
    }
    cells = {name: _with_previous(inputs, name, frame) for name, frame in cells.items()}
    inputs.artifacts.update(cells)
    long = pd.concat(_va_units(cells, inputs, chars), ignore_index=True)
    summary = with_interval(
        ibis.memtable(long),
        sigma="cohort",
        cohort_keys=["level", "breakdown", "academic_year", "term"],
    )
    label = va.CONTEXT_LABEL if inputs.va_context else va.PRIOR_LABEL
    return [facts(run(summary), "va", label)]


def _va_units(cells: dict[str, pd.DataFrame], inputs: Inputs, chars: list[str]) -> list:
    """Value-added sums for every unit: all windows by level, year group, prior band and
    pupil group; subjects and classes for the latest windows only."""
    windows = _recent(cells["va_cells"], inputs.breakdown_years)
    recent = _in_windows(cells["va_cells"], windows)
    period = ["academic_year", "term"]
    units = [
        rollup(
            cells["va_cells"], inputs, SUMS, period, ["year_group", "prior_band", *chars], recent
        )
    ]
    subjects = cells["va_subject_cells"][_in_windows(cells["va_subject_cells"], windows).to_numpy()]
    if not subjects.empty:
        by_subject = rollup(subjects, inputs, SUMS, period, ["subject"])
        units.append(by_subject.query("breakdown == 'subject'"))
    classes = cells["va_class_cells"]
    if not classes.empty:
        units.append(classes[_in_windows(classes, windows).to_numpy()])
    return units


def _with_previous(inputs: Inputs, name: str, fresh: pd.DataFrame) -> pd.DataFrame:
    """Fresh cells for the windows loaded now, the previous build's cells for the others."""
    old = inputs.previous.get(name)
    if inputs.va_windows is None or old is None or old.empty:
        return fresh.reset_index(drop=True)
    kept = old[~_in_windows(old, inputs.va_windows).to_numpy()]
    return pd.concat([kept, fresh], ignore_index=True)


def _recent(cells: pd.DataFrame, count: int) -> set[tuple[str, str]]:
    windows = {(y, t) for y, t in zip(cells["academic_year"], cells["term"], strict=True)}
    return set(sorted(windows, key=lambda w: period_order(*w))[-count:])


def _in_windows(cells: pd.DataFrame, windows: set[tuple[str, str]]) -> pd.Series:
    keys = pd.Series(list(zip(cells["academic_year"], cells["term"], strict=True)), dtype=object)
    return keys.isin(list(windows))


SUMS = ["pupils", "total", "total_sq"]


def _sums(table: ibis.Table, keys: list[str]) -> ibis.Table:
    """n, sum and sum of squares of ``va`` per cell (``summary.aggregate``)."""
    return aggregate(table, "va", keys)


def _class_cells(inputs: Inputs, results: ibis.Table) -> pd.DataFrame:
    """Class-level cells: a subject class uses its subject's results, a form class all."""
    members = inputs.memberships
    columns = [*UNIT_KEYS, "academic_year", "term", *SUMS]
    if members is None or members.empty:
        return pd.DataFrame(columns=columns)
    frame = members[["class_id", "pupil_id", "subject"]].fillna("").astype(str)
    frame["subject"] = frame["subject"].str.lower()
    table = results.mutate(subject_key=_.subject.lower())
    joined = table.inner_join(ibis.memtable(frame), "pupil_id")
    joined = joined.filter(
        (joined.subject_right == "") | (joined.subject_right == joined.subject_key)
    )
    per_pupil = joined.group_by(["class_id", "pupil_id", "academic_year", "term"]).agg(
        va=_.va.mean()
    )
    cells = run(_sums(per_pupil, ["class_id", "academic_year", "term"]))
    cells["level"], cells["breakdown"], cells["grp"] = "class", "all", "all"
    return cells.rename(columns={"class_id": "unit_key"})[columns]


__all__ = ["LEVELS", "ks2_facts", "ks4_attainment_facts", "progress8_facts", "value_added_facts"]

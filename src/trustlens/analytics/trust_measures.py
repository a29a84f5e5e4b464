"""One trust's measures for one academic year, as output rows (what ``trustlens measure`` prints).

Each function here takes a ``source`` (dataset name -> Ibis table, e.g. the analytical store's
``AnalyticalStore.table`` bound to a trust and a backend), runs the measure's Ibis expressions
(see :mod:`trustlens.analytics.measures`) and returns a pandas frame of output rows:

``urn``, ``academy``, ``academic_year``, ``level`` ("academy" or "trust"; the trust's own row has
``urn`` null), the measure's extra keys (``subject``, ``term``, ``measure``), ``pupils``,
``score``, ``ci_low``, ``ci_high``, ``band``, ``se``, ``unit``, ``flag`` (funnel-plot outlier flag
at 95% / 99.8% with DerSimonian-Laird over-dispersion, Spiegelhalter 2005, for progress and value
added) and ``method`` (how estimates and intervals were made). Small groups are suppressed with
the GSS symbol ``c`` (fewer than 6 pupils; :mod:`trustlens.analytics.stats.suppression`) unless
the caller turns suppression off for use inside the trust.

Pure Python: no Django. The caller supplies the data and decides where output goes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd
from ibis import _

from trustlens.analytics import engine
from trustlens.analytics.measures import attendance, behaviour, ks2, progress8, value_added
from trustlens.analytics.national import NationalParameters, load_national
from trustlens.analytics.stats.funnel import funnel
from trustlens.analytics.stats.suppression import DEFAULT_THRESHOLD, suppress
from trustlens.analytics.summaries.mat import mat_rows

#: dataset name -> Ibis table of that dataset for the trust.
Source = Callable[[str], ibis.Table]
#: progress callback: (stage description, step done, steps in all).
Report = Callable[[str, int, int], None]

MEASURES = ("progress8", "ks2", "va", "attendance", "exclusions")
#: The keys that tell one measure's rows apart within a year (besides the academy).
ROW_KEYS = ("measure", "subject", "term")
#: A row's figures; ``unit`` is the unit of ``score`` and ``method`` how it was made.
FIGURES = ("pupils", "score", "ci_low", "ci_high", "band", "se", "unit", "flag", "method")
OUTPUT_COLUMNS = ("urn", "academy", "academic_year", "level", *ROW_KEYS, *FIGURES)


@dataclass(frozen=True)
class Options:
    """What to compute: the year, national parameters (P8), VA context, suppression."""

    academic_year: str
    national: int | None = None
    national_status: str | None = None
    term: str | None = None
    context: bool = False
    suppress: bool = True
    threshold: int = DEFAULT_THRESHOLD
    trust_label: str = "trust"


def _noop(stage: str, done: int, total: int) -> None:
    return None


def _year(table: ibis.Table, academic_year: str) -> ibis.Table:
    return table.filter(table.academic_year == academic_year)


def _run(expr: ibis.Table) -> pd.DataFrame:
    return engine.execute(expr)


# --- Progress 8 --------------------------------------------------------------------------------


def _national(options: Options) -> NationalParameters | None:
    if options.national is None:
        return None
    return load_national(int(options.national), options.national_status)


def progress8_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """School P8 with 95% CI and DfE band, the trust's pupil-weighted row and the DfE MAT measure.

    DfE method (see :mod:`trustlens.analytics.measures.progress8`); estimates from the shipped
    national parameters when ``options.national`` is given, else from the trust's own cohort
    (``method`` says which, as the issue requires).
    """
    params = _national(options)
    ks4 = _year(source("ks4"), options.academic_year)
    report("Progress 8: academies", 1, 4)
    schools = _run(progress8.progress8(ks4, params))
    report("Progress 8: trust", 2, 4)
    trust = _run(progress8.progress8(ks4, params, by=("academic_year",)))
    report("Progress 8: MAT measure", 3, 4)
    academies = _run(source("academies"))
    sigma = params.sd["overall"] if params else None
    mat = _mat_row(schools, academies, options.academic_year, sigma)
    method = f"estimates: {params.label if params else 'trust cohort'}"
    rows = _stack(schools, trust, method=method, unit="P8 points")
    rows = pd.concat([rows, mat], ignore_index=True) if mat is not None else rows
    return rows.assign(measure="progress 8")


def _mat_row(
    schools: pd.DataFrame, academies: pd.DataFrame, year: str, sigma: float | None
) -> pd.DataFrame | None:
    """The DfE MAT-measure row (urn null, ``level`` "trust (MAT measure)"), from the same
    function as the dashboards' ``p8_mat`` fact (``analytics.summaries.mat``)."""
    rows = mat_rows(schools, academies, sigma)
    rows = rows[rows["academic_year"] == year]
    if rows.empty:
        return None
    return rows.assign(urn=None, level="trust (MAT measure)", unit="P8 points")


# --- KS2, in-year value added ------------------------------------------------------------------


def ks2_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """KS2 progress in reading, writing and maths per academy and for the trust (``subject``).

    Estimates and SDs from the trust's cohort (the DfE's KS2 national estimates are not shipped).
    """
    table = _year(source("ks2"), options.academic_year)
    report("KS2 progress: academies", 1, 2)
    schools = _run(ks2.ks2_progress(table))
    report("KS2 progress: trust", 2, 2)
    trust = _run(ks2.ks2_progress(table, by=("academic_year",)))
    rows = _stack(schools, trust, method="estimates: trust cohort (KS1 APS groups)", unit="points")
    return rows.assign(measure="KS2 progress")


def va_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """In-year value added (SD units) per academy and term, and the trust's row per term."""
    results = _year(source("assessment_results"), options.academic_year)
    if options.term:
        results = results.filter(results.term == options.term)
    pupils = source("pupils")
    report("Value added: fitting the expected-score model", 1, 3)
    scores = value_added.pupil_value_added(
        results, source("prior_attainment"), pupils, context=options.context
    )
    report("Value added: academies", 2, 3)
    schools = _run(value_added.value_added(scores))
    report("Value added: trust", 3, 3)
    trust = _run(value_added.value_added(scores, by=("academic_year", "term")))
    label = value_added.CONTEXT_LABEL if options.context else value_added.PRIOR_LABEL
    rows = _stack(schools, trust, method=f"expected from {label}; trust's own cohort", unit="SD")
    return rows.assign(measure="in-year value added")


# --- attendance, exclusions --------------------------------------------------------------------


def attendance_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """Attendance rate (% of sessions) and persistent absence (% of pupils missing >= 10%)."""
    table = _year(source("attendance"), options.academic_year)
    terms = [options.term] if options.term else None
    parts = []
    for step, fn in enumerate((attendance.attendance_rate, attendance.persistent_absence), 1):
        report(f"Attendance: {fn.__name__.replace('_', ' ')}", step, 2)
        schools = _run(fn(table, terms=terms))
        trust = _run(fn(table, terms=terms, by=("academic_year",)))
        parts.append(_stack(schools, trust, method=_interval_method(fn.__name__), unit=None))
    return pd.concat(parts, ignore_index=True)


def _interval_method(name: str) -> str:
    if name == "attendance_rate":
        return "ratio estimator, pupils as clusters (Cochran 1977)"
    return "Wilson score interval"


def exclusions_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """Suspensions and permanent exclusions per 100 pupils on roll (``measure`` says which)."""
    years = [options.academic_year]
    susp, enrol = source("suspensions"), source("enrolments")
    report("Exclusions: academies", 1, 2)
    schools = _run(behaviour.exclusions(susp, enrol, years))
    report("Exclusions: trust", 2, 2)
    trust = _run(behaviour.exclusions(susp, enrol, years, by=("academic_year",)))
    method = "Poisson score interval, over-dispersion from repeat suspensions"
    return _stack(schools, trust, method=method, unit=None)


# --- assembling output rows --------------------------------------------------------------------


def _stack(
    schools: pd.DataFrame, trust: pd.DataFrame, *, method: str, unit: str | None
) -> pd.DataFrame:
    """Academy rows then the trust's rows (``urn`` null), with a funnel flag on academies."""
    schools = _with_flags(schools.assign(level="academy"))
    trust = trust.assign(level="trust", urn=None)
    rows = pd.concat([schools, trust], ignore_index=True)
    extra = rows.get("method")
    rows["method"] = method if extra is None else extra.fillna(method)
    for column in ("sigma_source", "estimate_source", "model"):
        if column in rows:
            rows["method"] = (
                rows["method"] + "; " + column.replace("_", " ") + ": " + rows[column].astype(str)
            )
    if unit is not None or "unit" not in rows:
        rows["unit"] = unit
    return rows


def _partitions(frame: pd.DataFrame) -> list[str]:
    return [c for c in ("academic_year", *ROW_KEYS) if c in frame]


def _with_flags(schools: pd.DataFrame) -> pd.DataFrame:
    """Funnel flags (95% / 99.8%, DerSimonian-Laird) where a standard error exists."""
    if "se" not in schools or schools.empty:
        return schools.assign(flag=None)
    parts = [funnel(part) for _, part in schools.groupby(_partitions(schools), dropna=False)]
    flagged = pd.concat(parts).loc[schools.index]
    return schools.assign(flag=flagged["flag"].where(flagged["pupils"] >= 2))


def finish(rows: pd.DataFrame, academies: pd.DataFrame, options: Options) -> pd.DataFrame:
    """Academy names, the standard column order, sorting and (by default) suppression."""
    names = dict(zip(academies["urn"], academies["name"], strict=False))
    rows = rows.copy()
    rows["academy"] = [
        names.get(u, str(u)) if pd.notna(u) else options.trust_label for u in rows["urn"]
    ]
    for column in OUTPUT_COLUMNS:
        if column not in rows:
            rows[column] = None
    rows = rows[list(OUTPUT_COLUMNS)]
    rows["urn"] = rows["urn"].astype("Int64")
    order = [*ROW_KEYS, "level", "urn"]
    rows = rows.sort_values(order, na_position="last", kind="stable").reset_index(drop=True)
    if options.suppress:
        rows = suppress(
            rows,
            threshold=options.threshold,
            within=["academic_year", *ROW_KEYS],
            value_columns=("score", "ci_low", "ci_high", "band", "se", "flag"),
        ).drop(columns="suppressed")
    return rows


COMPUTE: dict[str, Callable[[Source, Options, Report], pd.DataFrame]] = {
    "progress8": progress8_rows,
    "ks2": ks2_rows,
    "va": va_rows,
    "attendance": attendance_rows,
    "exclusions": exclusions_rows,
}


def trust_measure(
    name: str, source: Source, options: Options, report: Report = _noop
) -> pd.DataFrame:
    """Compute measure ``name`` (one of :data:`MEASURES`) for the trust behind ``source``."""
    if name not in COMPUTE:
        raise ValueError(f"unknown measure {name!r}; choose one of {', '.join(MEASURES)}")
    rows = COMPUTE[name](source, options, report)
    academies = _run(source("academies").select("urn", "name"))
    return finish(rows, academies, options)


def available_years(source: Source, datasets: Sequence[str]) -> list[str]:
    """Academic years present in any of ``datasets`` (for messages when a year has no data)."""
    years: set[str] = set()
    for dataset in datasets:
        table = source(dataset)
        if "academic_year" in table.columns:
            years |= set(_run(table.select(_.academic_year).distinct()).academic_year.dropna())
    return sorted(years)


#: Datasets each measure reads (for "no data for that year" messages).
DATASETS = {
    "progress8": ("ks4",),
    "ks2": ("ks2",),
    "va": ("assessment_results",),
    "attendance": ("attendance",),
    "exclusions": ("suspensions",),
}


def to_records(rows: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: NaN -> None, numpy scalars -> Python numbers."""
    clean = rows.astype(object).where(rows.notna(), None)
    return [{k: _plain(v) for k, v in rec.items()} for rec in clean.to_dict("records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value

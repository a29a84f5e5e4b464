"""One trust's measures for one academic year, as output rows (what ``trustlens measure`` prints).

The rows come from the same summary builders as the dashboards (``trustlens.analytics.summaries``):
the trust's tables for the year (and term) go through the measure's builder, and its academy
and trust facts (breakdown "all") become output rows. So the CLI, the dashboards and the board
pack show the same figures, the DfE MAT measure included.

Columns: ``urn``, ``academy``, ``academic_year``, ``level`` ("academy", "trust", or "trust (MAT
measure)"; trust rows have ``urn`` null), ``measure``, ``subject``, ``term``, ``pupils``,
``score``, ``ci_low``, ``ci_high``, ``band``, ``se``, ``unit``, ``flag`` (funnel-plot position at
95% / 99.8% with DerSimonian-Laird over-dispersion, Spiegelhalter 2005, for progress and value
added) and ``method``. Small groups are suppressed with the GSS symbol ``c`` (fewer than 6
pupils; :mod:`trustlens.analytics.stats.suppression`) unless the caller turns suppression off
for use inside the trust.

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
from trustlens.analytics.national import NationalParameters, load_national
from trustlens.analytics.stats.suppression import DEFAULT_THRESHOLD, suppress
from trustlens.analytics.summaries import Inputs, compute
from trustlens.analytics.summaries.mat import MAT_MEASURE

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


def _run(expr: ibis.Table) -> pd.DataFrame:
    return engine.execute(expr)


@dataclass(frozen=True)
class Block:
    """One fact measure of a builder as output rows: the CLI's label, unit and method."""

    fact: str
    label: str
    unit: str | None
    method: str = "{note}"  #: ``{note}``: the fact's own note (which estimates, which model)
    subject: str | None = None


KS2_METHOD = "estimates: trust cohort (KS1 APS groups); sigma source: cohort"
VA_METHOD = "expected from {note}; trust's own cohort; sigma source: cohort; model: {note}"
EXCLUSIONS_METHOD = "Poisson score interval, over-dispersion from repeat suspensions"
#: measure -> (its builder, the datasets it reads, its output blocks)
PLANS: dict[str, tuple[str, tuple[str, ...], tuple[Block, ...]]] = {
    "progress8": (
        "progress8_facts",
        ("ks4", "pupils"),
        (Block("p8", "progress 8", "P8 points"), Block(MAT_MEASURE, "progress 8", "P8 points")),
    ),
    "ks2": (
        "ks2_facts",
        ("ks2", "pupils"),
        tuple(
            Block(f"ks2_{s}", "KS2 progress", "points", KS2_METHOD, s)
            for s in ("reading", "writing", "maths")
        ),
    ),
    "va": (
        "value_added_facts",
        ("assessment_results", "prior_attainment", "pupils"),
        (Block("va", "in-year value added", "SD", VA_METHOD),),
    ),
    "attendance": (
        "attendance_facts",
        ("attendance", "pupils"),
        (
            Block(
                "attendance",
                "attendance rate",
                "percent of sessions",
                "ratio estimator, pupils as clusters (Cochran 1977)",
            ),
            Block(
                "persistent_absence",
                "persistent absence",
                "percent of pupils",
                "Wilson score interval",
            ),
        ),
    ),
    "exclusions": (
        "exclusion_facts",
        ("suspensions", "enrolments", "pupils"),
        (
            Block("suspensions", "suspensions per 100 pupils", "per 100 pupils", EXCLUSIONS_METHOD),
            Block(
                "permanent_exclusions",
                "permanent exclusions per 100 pupils",
                "per 100 pupils",
                EXCLUSIONS_METHOD,
            ),
        ),
    ),
}


def _estimates(options: Options) -> Callable[[str], tuple[NationalParameters | None, str]]:
    """P8 estimates as the options ask: the shipped national year, else the trust's cohort."""
    params = None
    if options.national is not None:
        params = load_national(int(options.national), options.national_status)
    sigma = "national" if params else "cohort"
    label = params.label if params else "trust cohort"
    source = params.label if params else "cohort"
    note = f"estimates: {label}; sigma source: {sigma}; estimate source: {source}"
    return lambda _year: (params, note)


def _inputs(source: Source, options: Options, datasets: Sequence[str]) -> Inputs:
    """The builder's inputs: the trust's tables for the year (and term), its academies."""
    tables = {name: _window(source(name), name, options) for name in datasets}
    academies = _run(source("academies"))
    for column in ("cluster", "region"):
        academies[column] = academies.get(column, pd.Series("", index=academies.index))
    inputs = Inputs(
        tables=tables,
        academies=academies.fillna({"cluster": "", "region": ""}),
        breakdown_years=1,
        p8_estimates=_estimates(options),
        va_context=options.context,
    )
    inputs.cache["roll_years"] = [options.academic_year]
    return inputs


#: Datasets cut to the year (and term) asked for; the others are read whole (prior
#: attainment, pupils, enrolments and suspensions are matched to the year by the builder).
BY_YEAR = {"ks4", "ks2", "assessment_results", "attendance"}
BY_TERM = {"assessment_results", "attendance"}


def _window(table: ibis.Table, name: str, options: Options) -> ibis.Table:
    if name not in BY_YEAR:
        return table
    table = table.filter(table.academic_year == options.academic_year)
    if options.term and name in BY_TERM:
        table = table.filter(table.term == options.term)
    return table


def measure_rows(
    name: str, source: Source, options: Options, report: Report = _noop
) -> pd.DataFrame:
    """The measure's academy, trust (and MAT) rows from its summary builder."""
    builder, datasets, blocks = PLANS[name]
    report(f"{name}: reading the trust's data", 1, 3)
    inputs = _inputs(source, options, datasets)
    report(f"{name}: computing", 2, 3)
    facts, meta = compute(inputs, only=[builder])
    if meta["problems"] and facts.empty:
        return pd.DataFrame(columns=list(OUTPUT_COLUMNS))
    report(f"{name}: output rows", 3, 3)
    parts = [_block_rows(facts, block, options.academic_year) for block in blocks]
    return pd.concat(parts, ignore_index=True)


def _block_rows(facts: pd.DataFrame, block: Block, year: str) -> pd.DataFrame:
    rows = facts[
        (facts["measure"] == block.fact)
        & (facts["breakdown"] == "all")
        & facts["level"].isin(["academy", "trust"])
        & facts["period"].str.startswith(year)
    ]
    level = "trust (MAT measure)" if block.fact == MAT_MEASURE else rows["level"]
    out = pd.DataFrame(
        {
            "urn": [
                int(u) if lv == "academy" else None
                for lv, u in zip(rows["level"], rows["unit"], strict=True)
            ],
            "academic_year": year,
            "level": level,
            "measure": block.label,
            "subject": block.subject,
            "term": [p[len(year) + 1 :] or None for p in rows["period"]],
        }
    )
    for column in ("pupils", "score", "ci_low", "ci_high", "band", "se", "flag"):
        out[column] = rows[column].to_numpy()
    out["pupils"] = out["pupils"].astype("int64")
    out["unit"] = block.unit
    out["method"] = [block.method.format(note=note) for note in rows["note"]]
    return out


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


def trust_measure(
    name: str, source: Source, options: Options, report: Report = _noop
) -> pd.DataFrame:
    """Compute measure ``name`` (one of :data:`MEASURES`) for the trust behind ``source``."""
    if name not in PLANS:
        raise ValueError(f"unknown measure {name!r}; choose one of {', '.join(MEASURES)}")
    rows = measure_rows(name, source, options, report)
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


# --- unexplained exits and moves off roll (own row shape) ------------------------------------


def exits_rows(source: Source, options: Options, report: Report = _noop) -> pd.DataFrame:
    """Unexplained exits and moves off roll Y10 to Y11 by academy and group, and the trust's rows.

    See :mod:`trustlens.analytics.measures.exits`. The rows are finished here (names, funnel flag
    against the trust, suppression) because they have their own columns (``group``, ``exits``,
    ``explained_moves``, ``permanent_exclusions``), so they do not go through :func:`finish`.
    """
    from trustlens.analytics.measures import exits

    enrolments, years = source("enrolments"), [options.academic_year]
    groups = {"pupils": source("pupils"), "prior": source("prior_attainment")}
    report("Exits: academies", 1, 2)
    schools = _run(exits.exit_measures(enrolments, years, **groups))
    report("Exits: trust", 2, 2)
    trust = _run(exits.exit_measures(enrolments, years, by=("academic_year",), **groups))
    academies = _run(source("academies").select("urn", "name"))
    return exits.output_rows(
        schools,
        trust,
        academies,
        trust_label=options.trust_label,
        suppress_small=options.suppress,
        threshold=options.threshold,
    )


DATASETS["exits"] = ("enrolments",)


def to_records(rows: pd.DataFrame) -> list[dict]:
    """JSON-ready rows: NaN -> None, numpy scalars -> Python numbers."""
    clean = rows.astype(object).where(rows.notna(), None)
    return [{k: _plain(v) for k, v in rec.items()} for rec in clean.to_dict("records")]


def _plain(value: object) -> object:
    if isinstance(value, np.generic):
        return value.item()
    return value

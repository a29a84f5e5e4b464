"""CLI commands of the measures area: ``trustlens measure progress8|ks2|va|attendance|exclusions|exits``.

Each command reads one trust's pupil-level facts from the analytical store, runs the measure on
DuckDB (default) or PySpark, and prints academy rows and the trust's own row (``urn`` null) as
a table, JSON (a list of rows) or CSV. Figures for groups of fewer than 6 pupils are shown as
``c`` unless ``--no-suppress`` is given (for use inside the trust only).

This module must import without Django (``tests/analytics/test_no_django.py``): Django is set
up only when the store's location has to come from the settings (no ``--store``).
"""

from __future__ import annotations

import enum
import inspect
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from trustlens.cli._progress import progress_bar

err_console = Console(stderr=True)
measure_app = typer.Typer(
    help="Measures with honest uncertainty for one trust and year (from the analytical store).",
    no_args_is_help=True,
)


class OutputFormat(enum.StrEnum):
    table = "table"
    json = "json"
    csv = "csv"


class Backend(enum.StrEnum):
    duckdb = "duckdb"
    pyspark = "pyspark"


TrustOpt = Annotated[str, typer.Option("--trust", help="Slug of the trust in the store.")]
YearOpt = Annotated[str, typer.Option("--year", help='Academic year, e.g. "2023/24".')]
FormatOpt = Annotated[
    OutputFormat, typer.Option("--format", help="table (default), json (a list of rows) or csv.")
]
StoreOpt = Annotated[
    Path | None,
    typer.Option("--store", help="Analytical store folder (default: the configured STORE_DIR)."),
]
BackendOpt = Annotated[Backend, typer.Option("--backend", help="Engine: duckdb or pyspark.")]
SuppressOpt = Annotated[
    bool,
    typer.Option(
        "--suppress/--no-suppress",
        help="Show groups of fewer than --threshold pupils as 'c' (default; use --no-suppress "
        "only for output that stays inside the trust).",
    ),
]
ThresholdOpt = Annotated[int, typer.Option("--threshold", min=1, help="Suppression threshold.")]
TermOpt = Annotated[
    str | None, typer.Option("--term", help="Only this term (autumn, spring, summer).")
]


def _store_root(store: Path | None) -> Path:
    if store is not None:
        return store
    from trustlens.cli._django import setup_django

    setup_django()
    from django.conf import settings

    return Path(settings.STORE_DIR)


def _progress() -> Progress:
    return progress_bar(err_console)


def _validate_year(year: str) -> None:
    parts = year.split("/")
    ok = len(parts) == 2 and parts[0].isdigit() and parts[1].isdigit() and len(parts[0]) == 4
    if not ok or (int(parts[0]) + 1) % 100 != int(parts[1]):
        err_console.print(f'[red]--year must look like "2023/24", not {year!r}[/red]')
        raise typer.Exit(2)


def _compute(
    name: str, trust: str, store: Path | None, backend: Backend, options, compute=None
) -> object:
    """Rows of measure ``name`` (``compute(source, options, report)``, default: trust_measure)."""
    from trustlens.analytics import engine
    from trustlens.analytics.trust_measures import DATASETS, available_years, trust_measure
    from trustlens.ingest.store import AnalyticalStore

    reader = AnalyticalStore(_store_root(store))
    if not reader.datasets(trust):
        err_console.print(f"[red]The store has no data for trust {trust!r}[/red]")
        raise typer.Exit(1)
    with _progress() as progress:
        task = progress.add_task(f"Connecting to {backend.value}", total=1)

        def report(stage: str, done: int, total: int) -> None:
            progress.update(task, description=stage, completed=done - 1, total=total)

        con = engine.connect(backend.value)

        def source(dataset: str):
            return reader.table(con, trust, dataset)

        if compute is None:
            rows = trust_measure(name, source, options, report)
        else:
            rows = compute(source, options, report)
    if rows.empty:
        years = ", ".join(available_years(source, DATASETS[name])) or "none"
        err_console.print(
            f"[yellow]No {name} results for {options.academic_year}[/yellow] (years held: {years})"
        )
        raise typer.Exit(1)
    return rows


def _emit(rows, fmt: OutputFormat, title: str) -> None:
    from trustlens.analytics.trust_measures import to_records

    if fmt is OutputFormat.json:
        import json

        print(json.dumps(to_records(rows), indent=1, default=str))
    elif fmt is OutputFormat.csv:
        from trustlens.core.exports import safe_frame

        safe_frame(rows).to_csv(sys.stdout, index=False)
    else:
        Console().print(_rich_table(rows, title))


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    if isinstance(value, float):
        return f"{value:,.2f}"
    return str(value)


def _interval(record: dict) -> str:
    low, high = record["ci_low"], record["ci_high"]
    if isinstance(low, str) or isinstance(high, str):
        return str(low) if low == high else f"{low} to {high}"
    return f"{_cell(low)} to {_cell(high)}"


def _rich_table(rows, title: str) -> Table:
    """Academy rows then the trust (bold); keys shown only where they vary."""
    keys = [c for c in ("measure", "subject", "term") if rows[c].nunique(dropna=True) > 1]
    table = Table(title=title, caption=_caption(rows))
    table.add_column("urn")
    table.add_column("academy")
    for key in keys:
        table.add_column(key)
    for column in ("pupils", "score", "95% CI"):
        table.add_column(column, justify="right")
    table.add_column("band")
    table.add_column("flag")
    for record in rows.to_dict("records"):
        style = "bold" if record.get("level") != "academy" else None
        label = record["academy"] if record["level"] in ("academy", "trust") else record["level"]
        cells = [_cell(record["urn"]), str(label), *[_cell(record[k]) for k in keys]]
        cells += [_cell(record["pupils"]), _cell(record["score"]), _interval(record)]
        cells += [_cell(record["band"]), _cell(record["flag"])]
        table.add_row(*cells, style=style)
    return table


def _caption(rows) -> str:
    methods = "; ".join(dict.fromkeys(str(m) for m in rows["method"].dropna()))
    unit = ", ".join(dict.fromkeys(str(u) for u in rows["unit"].dropna()))
    return (
        f"Units: {unit}. 95% confidence intervals; c = fewer pupils than the threshold; "
        f"x = not available; z = not applicable. Method: {methods}"
    )


def _run(name: str, trust: str, year: str, fmt: OutputFormat, store, backend, options) -> None:
    _validate_year(year)
    rows = _compute(name, trust, store, backend, options)
    _emit(rows, fmt, f"{_TITLES[name]}: {trust}, {year}")


_TITLES = {
    "progress8": "Progress 8",
    "ks2": "KS2 progress",
    "va": "In-year value added",
    "attendance": "Attendance",
    "exclusions": "Suspensions and permanent exclusions",
}


def _options(year: str, trust: str, suppress: bool, threshold: int, **kw):
    from trustlens.analytics.trust_measures import Options

    return Options(
        academic_year=year, suppress=suppress, threshold=threshold, trust_label=trust, **kw
    )


NationalOpt = Annotated[
    int | None,
    typer.Option(
        "--national",
        help="Exam year of the shipped DfE estimates (2022-2024); default: the trust's cohort.",
    ),
]
StatusOpt = Annotated[
    str | None, typer.Option("--status", help="provisional or revised (default: revised).")
]
ContextOpt = Annotated[
    bool,
    typer.Option("--context", help="Contextualised (disadvantaged, SEN, EAL, month of birth)."),
]
#: (name, annotation, default) of the options every measure command takes, before and after
#: the measure's own.
LEADING = (("trust", TrustOpt, inspect.Parameter.empty), ("year", YearOpt, inspect.Parameter.empty))
TRAILING = (
    ("fmt", FormatOpt, OutputFormat.table),
    ("store", StoreOpt, None),
    ("backend", BackendOpt, Backend.duckdb),
    ("suppress", SuppressOpt, True),
    ("threshold", ThresholdOpt, 6),
)


def _national_options(national: int | None, status: str | None) -> dict:
    """``--national`` must name a shipped year (else exit 2)."""
    from trustlens.analytics.national import available

    if national is not None and national not in {y for y, _ in available()}:
        shipped = ", ".join(f"{y} {s}" for y, s in available())
        err_console.print(f"[red]No national parameters for {national}[/red] (shipped: {shipped})")
        raise typer.Exit(2)
    return {"national": national, "national_status": status}


def _measure_command(name: str, summary: str, own: tuple = (), prepare=None) -> None:
    """Register ``trustlens measure <name>``: the common options plus the measure's ``own``
    ((name, annotation, default) triples), turned into ``Options`` by ``prepare`` (default:
    passed through by name). Built from one signature so every command reads the same."""

    def command(**given) -> None:
        common = {key: given.pop(key) for key, _a, _d in (*LEADING, *TRAILING)}
        extra = prepare(**given) if prepare else given
        trust, year = common["trust"], common["year"]
        options = _options(year, trust, common["suppress"], common["threshold"], **extra)
        _run(name, trust, year, common["fmt"], common["store"], common["backend"], options)

    params = [
        inspect.Parameter(key, inspect.Parameter.KEYWORD_ONLY, annotation=kind, default=default)
        for key, kind, default in (*LEADING, *own, *TRAILING)
    ]
    command.__signature__ = inspect.Signature(params)
    command.__doc__ = summary
    command.__name__ = f"{name}_command"
    measure_app.command(name)(command)


_measure_command(
    "progress8",
    "Progress 8 as the DfE computes it: academies, the trust, and the DfE MAT measure.",
    (("national", NationalOpt, None), ("status", StatusOpt, None)),
    _national_options,
)
_measure_command("ks2", "KS2 progress in reading, writing and maths from KS1 prior attainment.")
_measure_command(
    "va",
    "In-year value added on each assessment window (SD units), by academy and for the trust.",
    (("term", TermOpt, None), ("context", ContextOpt, False)),
)
_measure_command(
    "attendance",
    "Attendance rate and persistent absence (10% or more of sessions missed).",
    (("term", TermOpt, None),),
)
_measure_command("exclusions", "Suspensions and permanent exclusions per 100 pupils on roll.")


@measure_app.command("exits")
def exits_command(
    trust: TrustOpt,
    year: YearOpt,
    fmt: FormatOpt = OutputFormat.table,
    store: StoreOpt = None,
    backend: BackendOpt = Backend.duckdb,
    suppress: SuppressOpt = True,
    threshold: ThresholdOpt = 6,
) -> None:
    """Unexplained exits and moves off roll Y10 to Y11, by academy and pupil group."""
    from trustlens.analytics.trust_measures import exits_rows

    _validate_year(year)
    options = _options(year, trust, suppress, threshold)
    rows = _compute("exits", trust, store, backend, options, compute=exits_rows)
    if fmt is not OutputFormat.table:
        _emit(rows, fmt, "")
        return
    Console().print(_exits_table(rows, f"Unexplained exits and moves off roll: {trust}, {year}"))


def _exits_table(rows, title: str) -> Table:
    """One row per measure, group and academy; the trust's rows bold."""
    table = Table(title=title, caption=_caption(rows))
    for column in ("measure", "group", "urn", "academy"):
        table.add_column(column)
    for column in ("pupils", "unexplained", "explained", "excluded", "rate %", "95% CI"):
        table.add_column(column, justify="right")
    table.add_column("flag")
    for record in rows.astype(object).where(rows.notna(), None).to_dict("records"):
        cells = [str(record["measure"]), str(record["group"]), _cell(record["urn"])]
        cells += [str(record["academy"]), _cell(record["pupils"])]
        cells += [_cell(record[c]) for c in ("exits", "explained_moves", "permanent_exclusions")]
        cells += [_cell(record["score"]), _interval(record), _cell(record["flag"])]
        table.add_row(*cells, style="bold" if record["urn"] is None else None)
    return table


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.add_typer(measure_app, name="measure")

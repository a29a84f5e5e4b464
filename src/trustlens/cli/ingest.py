"""CLI commands of the ingest area: ``import``, ``import-dfe`` and ``store``."""

from __future__ import annotations

import datetime as dt
import enum
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from trustlens.cli._django import setup_django
from trustlens.cli._progress import progress_bar

console = Console()
SHOWN_ERRORS = 30


class DfeKind(enum.StrEnum):
    ks4 = "ks4"
    ks2 = "ks2"
    gias_groups = "gias-groups"
    census = "census"
    absence = "absence"


def _progress() -> Progress:
    return progress_bar(console)


def _reporter(progress: Progress):
    task = progress.add_task("Starting", total=1)

    def report(stage: str, done: int, total: int) -> None:
        progress.update(task, description=stage, completed=done, total=max(total, 1))

    return report


def _read_with_progress(path: Path, report):
    from trustlens.ingest.readers import discover, read_path

    tables = []
    sources = discover(path)
    for done, source in enumerate(sources):
        size = source.stat().st_size / 1e6
        report(f"Reading {source.name} ({size:,.1f} MB)", done, len(sources))
        tables += read_path(source)
    return tables


PathArg = Annotated[
    Path,
    typer.Argument(exists=True, help="A CSV, XLSX or zip file, or a folder of them."),
]
TrustOpt = Annotated[
    str | None,
    typer.Option("--trust", help="Slug of the trust (created if the folder has academies.csv)."),
]
TrustNameOpt = Annotated[
    str | None, typer.Option("--trust-name", help="Name for a trust the import creates.")
]
DryRunOpt = Annotated[bool, typer.Option("--dry-run", help="Validate only: load nothing.")]
ReportOpt = Annotated[
    Path | None, typer.Option("--report", help="Write the JSON report to this file.")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print the JSON report instead of tables.")]


def import_data(
    path: PathArg,
    trust: TrustOpt = None,
    trust_name: TrustNameOpt = None,
    dry_run: DryRunOpt = False,
    report_file: ReportOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Validate and load data-standard files, all or nothing (exit status 1 on any error)."""
    setup_django()
    from trustlens.imports.services import default_trust_slug, import_path

    slug = trust or default_trust_slug()
    if not slug:
        console.print(
            "[red]Name the trust with --trust SLUG[/red] (there is not exactly one trust)."
        )
        raise typer.Exit(2)
    started = time.perf_counter()
    with _progress() as progress:
        report = _reporter(progress)
        outcome = import_path(
            path,
            slug,
            dry_run=dry_run,
            trust_name=trust_name,
            progress=report,
            reader=lambda p: _read_with_progress(p, report),
        )
    seconds = time.perf_counter() - started
    written = _write_report(outcome, report_file)
    if as_json:
        print(outcome.report.to_json())
    else:
        _print_outcome(outcome, dry_run, seconds, written)
    raise typer.Exit(0 if outcome.report.ok and (dry_run or outcome.report.loaded) else 1)


def _write_report(outcome, report_file: Path | None) -> Path:
    from django.conf import settings

    if report_file is None:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        run = f"-run{outcome.run.pk}" if outcome.run and outcome.run.pk else ""
        report_file = Path(settings.DATA_DIR) / "import-reports" / f"import-{stamp}{run}.json"
    report_file.parent.mkdir(parents=True, exist_ok=True)
    report_file.write_text(outcome.report.to_json())
    return report_file


def _print_outcome(outcome, dry_run: bool, seconds: float, written: Path) -> None:
    report = outcome.report
    for note in report.notes:
        console.print(f"[cyan]{note}[/cyan]")
    console.print(_files_table(report))
    for warning in report.warnings:
        console.print(f"[yellow]Warning:[/yellow] {warning}")
    if not report.ok:
        console.print(_errors_table(report))
        console.print(f"[red bold]{report.summary_line()}[/red bold]")
    elif dry_run:
        console.print(f"[green]{report.summary_line()}[/green]: dry run, nothing was loaded")
    elif not report.loaded:
        console.print("[red bold]Nothing was loaded[/red bold]")
    else:
        console.print(
            f"[green bold]Imported[/green bold] {report.summary_line()} into trust {outcome.trust.slug!r} in {seconds:.1f} s"
        )
    console.print(f"Report (JSON): {written}")


def _files_table(report) -> Table:
    table = Table(title="Files", show_lines=False)
    for column in ("file", "dataset", "rows", "errors", "note"):
        table.add_column(column, justify="right" if column in {"rows", "errors"} else "left")
    for f in report.files:
        note = (
            f"skipped: {f.skipped_reason}"
            if f.skipped_reason
            else (f"replaces {len(f.partitions)} partition(s)" if f.partitions else "")
        )
        table.add_row(f.file, f.dataset or "-", f"{f.rows:,}", f"{f.errors:,}", note)
    return table


def _errors_table(report) -> Table:
    table = Table(
        title=f"Errors (first {min(SHOWN_ERRORS, len(report.issues))} of {report.total_errors:,})"
    )
    for column in ("file", "row", "column", "value", "reason"):
        table.add_column(column)
    for issue in report.issues[:SHOWN_ERRORS]:
        table.add_row(
            issue.file,
            "" if issue.row is None else str(issue.row),
            issue.column or "",
            issue.value or "",
            issue.reason,
        )
    return table


KindArg = Annotated[
    DfeKind, typer.Argument(help="Which DfE file: ks4, ks2, gias-groups, census or absence.")
]
FileArg = Annotated[
    Path, typer.Argument(exists=True, dir_okay=False, help="The file as the DfE publishes it.")
]
YearOpt = Annotated[
    str | None,
    typer.Option("--year", help='Academic year, e.g. "2018/19" (else read from the file name).'),
]


def import_dfe(kind: KindArg, file: FileArg, year: YearOpt = None) -> None:
    """Load a DfE public file (performance tables, census, GIAS) into the national tables."""
    setup_django()
    from django.conf import settings

    from trustlens.core.audit import log_event
    from trustlens.core.models import AuditEvent
    from trustlens.ingest.dfe import read_dfe, store_dfe
    from trustlens.ingest.readers import ReadError
    from trustlens.ingest.store import AnalyticalStore

    try:
        result = read_dfe(kind.value, file, year)
    except ReadError as error:
        console.print(f"[red]{file.name}: {error}[/red]")
        raise typer.Exit(1) from None
    store_dfe(result, AnalyticalStore(settings.STORE_DIR))
    log_event(
        None,
        AuditEvent.Action.IMPORT,
        "ingest.national",
        f"DfE {kind.value} {file.name}: {result.summary()}",
        kind=kind.value,
        file=file.name,
        year=result.academic_year,
        rows=result.frame.height,
    )
    console.print(f"[green]Loaded[/green] {result.summary()}")


StoreTrustOpt = Annotated[
    str | None, typer.Option("--trust", help="Trust slug (default: every trust and _national).")
]


def store_info(trust: StoreTrustOpt = None) -> None:
    """List the analytical store's live datasets with their partitions and rows."""
    setup_django()
    from django.conf import settings

    from trustlens.ingest.store import AnalyticalStore

    store = AnalyticalStore(settings.STORE_DIR)
    keys = (
        [trust]
        if trust
        else sorted(p.name for p in Path(settings.STORE_DIR).glob("*") if (p / "CURRENT").exists())
    )
    table = Table(title=f"Analytical store: {settings.STORE_DIR}")
    for column in ("trust", "dataset", "partitions", "rows", "last written"):
        table.add_column(column)
    for key in keys:
        for dataset in store.datasets(key):
            parts = store.partitions(key, dataset)
            latest = max((p.written_at or "" for p in parts), default="")
            table.add_row(key, dataset, str(len(parts)), f"{sum(p.rows for p in parts):,}", latest)
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add this area's commands to ``app``."""
    app.command("import")(import_data)
    app.command("import-dfe")(import_dfe)
    app.command("store")(store_info)

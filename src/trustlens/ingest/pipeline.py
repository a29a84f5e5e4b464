"""The import pipeline without the records database: read, validate in dependency order, store.

``trustlens.imports.services`` wraps these steps with the records database (keys held, the
importer's scope, loaders inside one transaction). The benchmark and the store tests use
``import_to_store`` directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from trustlens.ingest import registry
from trustlens.ingest.readers import RawTable, discover, read_path
from trustlens.ingest.report import FileSummary, Report
from trustlens.ingest.schema import DatasetSpec, StoreMode
from trustlens.ingest.store import AnalyticalStore, StoreTransaction
from trustlens.ingest.validate import KeyContext, ValidatedTable, validate_table

#: progress(stage, done, total): e.g. ("Validating pupils.csv", 1, 4)
Progress = Callable[[str, int, int], None]


def _no_progress(stage: str, done: int, total: int) -> None:
    return None


@dataclass
class ImportPlan:
    """Validated tables in dependency order, and the report."""

    report: Report
    tables: list[ValidatedTable] = field(default_factory=list)

    def table(self, dataset: str) -> ValidatedTable | None:
        return next((t for t in self.tables if t.spec.name == dataset), None)

    @property
    def datasets(self) -> list[str]:
        return [t.spec.name for t in self.tables]

    @property
    def rows(self) -> int:
        return sum(t.frame.height for t in self.tables)


def read_sources(path: Path) -> list[RawTable]:
    """Every table of a file or folder (unknown files come back marked as skipped)."""
    tables: list[RawTable] = []
    for source in discover(path):
        tables += read_path(source)
    return tables


def order(tables: list[RawTable]) -> list[RawTable]:
    """Known datasets in dependency order, then the skipped files."""
    ranks = {r.spec.name: i for i, r in enumerate(registry.registrations())}
    known = [t for t in tables if t.dataset in ranks and t.skipped_reason is None]
    return sorted(known, key=lambda t: ranks[t.dataset]) + [t for t in tables if t not in known]


def validate_tables(
    tables: list[RawTable],
    context: KeyContext,
    report: Report | None = None,
    progress: Progress = _no_progress,
) -> ImportPlan:
    """Validate every table; each one's keys become known to the tables after it."""
    plan = ImportPlan(report or Report())
    seen: dict[str, str] = {}
    ordered = order(tables)
    for done, table in enumerate(ordered):
        progress(f"Validating {table.source}", done, len(ordered))
        summary = FileSummary(
            table.source,
            table.dataset,
            encoding=table.encoding,
            skipped_reason=table.skipped_reason,
        )
        plan.report.files.append(summary)
        if table.skipped_reason:
            continue
        if table.dataset in seen:
            plan.report.error(
                table.source,
                f"{table.dataset} is also in {seen[table.dataset]}: give each dataset once",
            )
            continue
        seen[str(table.dataset)] = table.source
        _validate_one(table, context, plan, summary)
    progress("Validated", len(ordered), len(ordered))
    if not plan.tables and plan.report.ok:
        plan.report.error("(import)", nothing_to_import(tables))
    _note_encodings(plan.report)
    _sort_issues(plan.report, [t.source for t in ordered])
    return plan


#: A file with a header and no data rows is refused: it would replace nothing.
NO_ROWS = (
    "the file has a header row but no data rows: nothing to import for {dataset} "
    "(leave the file out when there is nothing to send)"
)


def nothing_to_import(tables: list[RawTable]) -> str:
    """Why an import with no dataset file at all is refused (never "0 valid rows")."""
    if not tables:
        return "no CSV, XLSX or zip file to import"
    names = ", ".join(t.source for t in tables)
    return f"no file of the data standard to import (only {names}): nothing would be loaded"


def _sort_issues(report: Report, sources: list[str]) -> None:
    """Errors file by file in import order, then by row (file-level errors first)."""
    rank = {source: i for i, source in enumerate(sources)}
    report.issues.sort(
        key=lambda i: (rank.get(i.file, len(rank)), i.row if i.row is not None else -1)
    )


def _validate_one(
    table: RawTable, context: KeyContext, plan: ImportPlan, summary: FileSummary
) -> None:
    report = plan.report
    before = report.total_errors
    if table.error is not None:
        report.error(table.source, str(table.error), row=table.error.row)
    elif table.frame is not None and table.frame.height == 0:
        report.error(table.source, NO_ROWS.format(dataset=table.dataset))
    else:
        spec = registry.spec(str(table.dataset))
        try:
            validated = validate_table(table, spec, context, report)
        except Exception as error:  # noqa: BLE001 - never crash: report the file instead
            report.error(table.source, f"could not validate the file: {error}")
            validated = None
        if validated is not None:
            summary.rows = validated.frame.height
            summary.partitions = partition_keys(spec, validated.frame)
            remember_keys(spec, validated.frame, context)
            plan.tables.append(validated)
    summary.errors = report.total_errors - before


def _note_encodings(report: Report) -> None:
    for summary in report.files:
        if summary.encoding in {"cp1252", "utf-16"}:
            name = {"cp1252": "Windows-1252", "utf-16": "UTF-16"}[summary.encoding]
            report.warnings.append(
                f"{summary.file} was read as {name} text; CSV UTF-8 is preferred"
            )


def remember_keys(spec: DatasetSpec, frame: pl.DataFrame, context: KeyContext) -> None:
    """Make this file's keys available to foreign keys of later files (FKs name the target's key)."""
    if spec.name not in foreign_key_targets():
        return
    keys = frame.select(list(spec.key)).drop_nulls().unique()
    if len(spec.key) == 1:
        context.add(spec.name, spec.key, keys.to_series().to_list())
    else:
        context.add(spec.name, spec.key, keys.iter_rows())
    if spec.name == "classes":
        context.class_urns.update(dict(frame.select("class_id", "urn").drop_nulls().iter_rows()))


def foreign_key_targets() -> set[str]:
    """Datasets that some dataset's foreign key refers to."""
    return {fk.dataset for r in registry.registrations() for fk in r.spec.foreign_keys}


def partition_keys(spec: DatasetSpec, frame: pl.DataFrame) -> list[str]:
    """Human-readable partitions a file replaces, e.g. "academic_year=2023/24, urn=141001"."""
    if spec.store_mode is not StoreMode.PARTITIONS or not spec.partition_by or frame.height == 0:
        return []
    rows = (
        frame.select(list(spec.partition_by))
        .unique()
        .sort(list(spec.partition_by), nulls_last=True)
        .head(500)
    )
    return [
        ", ".join(
            f"{c}={'all' if v is None else v}" for c, v in zip(spec.partition_by, r, strict=True)
        )
        for r in rows.iter_rows()
    ]


def write_store(
    plan: ImportPlan,
    tx: StoreTransaction,
    skip: set[str] | frozenset[str] = frozenset(),
    progress: Progress = _no_progress,
) -> None:
    """Write every validated table with a store mode (except ``skip``) into the transaction."""
    tables = [
        t
        for t in plan.tables
        if t.spec.store_mode is not StoreMode.NONE and t.spec.name not in skip
    ]
    for done, table in enumerate(tables):
        progress(f"Writing {table.spec.name} to the store", done, len(tables))
        write_table(table, tx)
    progress("Written", len(tables), len(tables))


def write_table(table: ValidatedTable, tx: StoreTransaction) -> None:
    spec = table.spec
    schema = spec.store_schema()
    if spec.store_mode is StoreMode.SNAPSHOT:
        tx.upsert_snapshot(spec.name, table.frame, schema, spec.key)
    elif spec.store_mode is StoreMode.PARTITIONS:
        tx.write_partitions(
            spec.name,
            table.frame,
            schema,
            spec.partition_by,
            spec.year_column,
            file_by=spec.file_by,
        )


def context_from_store(store: AnalyticalStore, trust_slug: str) -> KeyContext:
    """Keys held in the store's snapshots (academies, pupils, windows), for imports without
    the records database."""
    context = KeyContext()
    for dataset in ("academies", "pupils", "assessment_windows"):
        spec = registry.spec(dataset)
        if dataset in store.datasets(trust_slug):
            keys = store.polars(trust_slug, dataset).select(list(spec.key)).drop_nulls()
            values = keys.to_series().to_list() if len(spec.key) == 1 else list(keys.iter_rows())
            context.add(dataset, spec.key, values)
    return context


def import_to_store(
    path: Path,
    store: AnalyticalStore,
    trust_slug: str,
    context: KeyContext | None = None,
    dry_run: bool = False,
    progress: Progress = _no_progress,
) -> Report:
    """Read, validate and (if every row is valid) store a file or folder, all or nothing."""
    context = context or context_from_store(store, trust_slug)
    plan = validate_tables(read_sources(path), context, progress=progress)
    if plan.report.ok and not dry_run:
        with store.transaction(trust_slug) as tx:
            write_store(plan, tx, progress=progress)
            tx.commit()
        plan.report.loaded = True
    return plan.report

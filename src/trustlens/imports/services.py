"""Imports with the records database: validate against what is held, then load all or nothing.

Order of a committed import (docs/import-formats.md, "What happens on a crash"):

1. every file is read and validated against the keys the records database and the earlier
   files hold, and against the importer's scope (``build_context``); any error: nothing loaded;
2. a store transaction takes the trust's store lock and writes the new Parquet partition files
   (invisible until step 5);
3. one database transaction runs every dataset's records loader in dependency order, then the
   store snapshots of records (academies, pupils, enrolments, windows) are written from the
   database as it now stands, and the ImportRun is marked committed;
4. the database transaction commits;
5. the store's pointer is switched to the new manifest (``os.replace``);
6. the ``trustlens.core.hooks.after_import`` signal is sent (the dashboards connect their
   summary rebuild). A receiver that fails never undoes the import: the report carries a warning.

A crash before 4 leaves both stores as they were. A crash between 4 and 5 (a window of one
``os.replace``) leaves the records loaded and the store as it was: importing the same files
again completes it, since every load replaces or upserts.
"""

from __future__ import annotations

import logging
import shutil
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from trustlens.core import hooks
from trustlens.core.audit import log_event
from trustlens.core.models import AuditEvent
from trustlens.core.scoping import Scope, scope_of
from trustlens.imports.choices import ImportSource, ImportStatus
from trustlens.imports.models import ImportRun
from trustlens.ingest import registry
from trustlens.ingest.faults import checkpoint
from trustlens.ingest.pipeline import (
    ImportPlan,
    Progress,
    read_sources,
    validate_tables,
    write_store,
)
from trustlens.ingest.readers import RawTable, read_path
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.report import Report
from trustlens.ingest.schema import StoreMode
from trustlens.ingest.store import NATIONAL, AnalyticalStore, StoreTransaction, partition_key
from trustlens.ingest.validate import KeyContext
from trustlens.organisations.models import Academy, Trust
from trustlens.organisations.services import ensure_trust

PREVIEW_ROWS = 10
logger = logging.getLogger(__name__)


def _noop(stage: str, done: int, total: int) -> None:
    return None


def analytical_store() -> AnalyticalStore:
    return AnalyticalStore(settings.STORE_DIR)


@dataclass
class ImportOutcome:
    report: Report
    run: ImportRun | None = None
    trust: Trust | None = None
    created_trust: bool = False
    plan: ImportPlan | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- what the import may refer to, and who may write what -------------------------------


def build_context(trust: Trust | None, scope: Scope | None = None) -> KeyContext:
    """Keys held for ``trust`` and, for a scoped (web) importer, what they may write."""
    context = KeyContext()
    other = Academy.objects.unscoped().exclude(trust=trust) if trust else Academy.objects.unscoped()
    context.other_trust_urns = frozenset(other.values_list("urn", flat=True))
    academies: list[tuple[int, int]] = []
    if trust is not None:
        academies = _held_keys(trust, context)
    if scope is not None:
        _scope_context(trust, academies, scope, context)
    return context


def _held_keys(trust: Trust, context: KeyContext) -> list[tuple[int, int]]:
    from trustlens.assessment.models import AssessmentWindow
    from trustlens.pupils.models import Pupil, TeachingGroup

    academies = list(Academy.objects.unscoped().filter(trust=trust).values_list("pk", "urn"))
    context.add("academies", ("urn",), [urn for _, urn in academies])
    pupils = set(Pupil.objects.unscoped().filter(trust=trust).values_list("pupil_id", flat=True))
    context.add("pupils", ("pupil_id",), pupils)
    context.existing_pupils = frozenset(pupils)
    windows = (
        AssessmentWindow.objects.unscoped().filter(trust=trust).values_list("academic_year", "term")
    )
    context.add("assessment_windows", ("academic_year", "term"), windows)
    classes = TeachingGroup.objects.unscoped().filter(academy__trust=trust).exclude(class_id="")
    context.class_urns = dict(classes.values_list("class_id", "academy__urn"))
    context.add("classes", ("class_id",), context.class_urns)
    for registration in registry.registrations():
        provider = registration.resolve_existing_keys()
        for column, values in (provider(trust) if provider else {}).items():
            context.add(registration.spec.name, (column,), values)
    return academies


def _scope_context(
    trust: Trust | None, academies: list[tuple[int, int]], scope: Scope, context: KeyContext
) -> None:
    from trustlens.pupils.models import Enrolment

    can = scope.can_import_academy_ids
    allowed = [pk for pk, _ in academies if pk in can]
    context.trust_wide = bool(
        trust and academies and len(allowed) == len(academies) and trust.pk in scope.trust_ids
    )
    context.allowed_urns = (
        None if context.trust_wide else frozenset(urn for pk, urn in academies if pk in can)
    )
    enrolled = (
        Enrolment.objects.unscoped()
        .filter(academy_id__in=allowed)
        .values_list("pupil__pupil_id", flat=True)
    )
    context.pupils_in_scope = frozenset(enrolled)


def importable_trusts(user) -> list[Trust]:
    """Trusts in which ``user`` may import for at least one academy."""
    ids = scope_of(user).can_import_academy_ids
    return list(Trust.objects.unscoped().filter(academies__in=ids).distinct().order_by("name"))


def visible_runs(user):
    """Import runs the user may see: their own uploads, and runs in their trusts touching only
    academies they can import for (a run's report may name pupils of every academy it touches)."""
    scope = scope_of(user)
    if not scope.can_import_academy_ids:
        return ImportRun.objects.none()
    outside = Academy.objects.unscoped().exclude(pk__in=scope.can_import_academy_ids)
    touching_outside = ImportRun.objects.unscoped().filter(academies__in=outside).values("pk")
    return ImportRun.objects.restrict(user).filter(Q(created_by=user) | ~Q(pk__in=touching_outside))


# --- the import -------------------------------------------------------------------------


def _resolve_trust(
    slug: str, tables: list[RawTable], report: Report, create: bool
) -> tuple[Trust | None, bool]:
    """The target trust, or (None, True) when this import will create it."""
    if not slug or slug.startswith("_") or slug == NATIONAL:
        report.error("(import)", f"{slug!r} cannot name a trust")
        return None, False
    trust = Trust.objects.unscoped().filter(slug=slug).first()
    if trust is not None:
        return trust, False
    if create and any(t.dataset == "academies" and t.skipped_reason is None for t in tables):
        report.notes.append(f"Trust {slug!r} does not exist yet: the import creates it")
        return None, True
    report.error(
        "(import)", f"no trust {slug!r}: check --trust, or include academies.csv to create it"
    )
    return None, False


def validate_import(
    tables: list[RawTable],
    trust_slug: str,
    *,
    scope: Scope | None = None,
    create_trust: bool = True,
    progress: Progress = _noop,
) -> tuple[ImportPlan, Trust | None, bool]:
    """Validate every table against the records held and the importer's scope."""
    report = Report()
    trust, will_create = _resolve_trust(trust_slug, tables, report, create_trust and scope is None)
    if not report.ok:
        plan = validate_tables(tables, build_context(None, scope), report, progress)
        return plan, None, False
    plan = validate_tables(tables, build_context(trust, scope), report, progress)
    return plan, trust, will_create


def run_import(
    tables: list[RawTable],
    trust_slug: str,
    *,
    user=None,
    scope: Scope | None = None,
    dry_run: bool = False,
    trust_name: str | None = None,
    source: str = ImportSource.CLI,
    run: ImportRun | None = None,
    progress: Progress = _noop,
    create_trust: bool = True,
) -> ImportOutcome:
    """Validate ``tables`` and, if every row is valid and not ``dry_run``, load them all or nothing."""
    try:
        plan, trust, will_create = validate_import(
            tables, trust_slug, scope=scope, create_trust=create_trust, progress=progress
        )
    except Exception as error:  # noqa: BLE001 - the importer reports, it does not crash
        logger.exception("import validation failed")
        plan, trust, will_create = ImportPlan(Report()), None, False
        plan.report.error(
            "(import)", f"could not validate the import: {type(error).__name__}: {error}"
        )
    report = plan.report
    run = run or ImportRun(
        source=source, created_by=user if getattr(user, "is_authenticated", False) else None
    )
    run.trust = trust
    _describe(run, tables, plan)
    if not report.ok or dry_run:
        run.status = (
            ImportStatus.INVALID
            if not report.ok
            else (ImportStatus.READY if source == ImportSource.WEB else ImportStatus.DRY_RUN)
        )
        _finish_run(run, plan, trust)
        if not report.ok:
            _audit(user, run, "rejected")
        return ImportOutcome(report, run, trust, False, plan)
    return _commit(plan, run, trust_slug, trust, will_create, user, trust_name, progress)


def _commit(
    plan: ImportPlan,
    run: ImportRun,
    slug: str,
    trust: Trust | None,
    will_create: bool,
    user,
    trust_name: str | None,
    progress: Progress,
) -> ImportOutcome:
    report = plan.report
    if run.pk is None:
        run.status = ImportStatus.READY
        run.save()
    store = analytical_store()
    records_committed = False
    try:
        with store.transaction(slug, import_id=f"run{run.pk}-{uuid.uuid4().hex[:6]}") as tx:
            write_store(plan, tx, skip=set(hooks.record_snapshots()), progress=progress)
            with transaction.atomic():
                trust = trust or ensure_trust(slug, trust_name)[0]
                _load_records(plan, LoadTarget(trust, user, run), tx, progress)
                run.trust, run.status, run.committed_at = (
                    trust,
                    ImportStatus.COMMITTED,
                    timezone.now(),
                )
                report.loaded = True
                _finish_run(run, plan, trust)
                _audit(user, run, "loaded")
                checkpoint("records")
                tx.prepare()  # manifest written while the records transaction can still roll back
            records_committed = True
            tx.commit()
    except Exception as error:  # noqa: BLE001 - report, never crash half-way
        logger.exception("import %s failed while loading", run.pk)
        return _failed(plan, run, trust, error, records_committed)
    if will_create:
        report.notes.append(f"Created trust {slug!r} ({trust.name})")
    progress("Rebuilding the dashboards' summaries", 0, 1)
    after_import(slug, report)
    run.report = report.as_dict() | {"preview": run.report.get("preview", {})}
    run.save(update_fields=["report"])
    return ImportOutcome(report, run, trust, will_create, plan)


def after_import(slug: str, report: Report) -> None:
    """Send ``hooks.after_import``; the import has landed whatever the receivers do (warnings)."""
    for receiver, result in hooks.after_import.send_robust(sender=None, trust_slug=slug):
        if isinstance(result, BaseException):
            name = getattr(receiver, "__name__", str(receiver))
            logger.error("after-import receiver %s failed for %s: %r", name, slug, result)
            report.warnings.append(
                f"The data were loaded, but {name} failed "
                f"({type(result).__name__}: {result}); dashboards may show the previous figures"
            )


def _load_records(
    plan: ImportPlan, target: LoadTarget, tx: StoreTransaction, progress: Progress
) -> None:
    """Every dataset's records loader in dependency order, then the records' store snapshots."""
    tables = [t for t in plan.tables if (r := registry.get(t.spec.name)) and r.loader]
    for done, table in enumerate(tables):
        progress(f"Loading {table.spec.name} into the records database", done, len(tables))
        loader = registry.get(table.spec.name).resolve_loader()  # type: ignore[union-attr]
        loader(target, table.frame)
    progress("Updating record snapshots in the store", len(tables), len(tables))
    for dataset, snapshot in hooks.record_snapshots().items():
        frame: pl.DataFrame = snapshot(target.trust)
        spec = registry.spec(dataset)
        if spec.store_mode is StoreMode.PARTITIONS:
            tx.write_partitions(
                dataset,
                frame,
                spec.store_schema(),
                spec.partition_by,
                spec.year_column,
                replace_all=True,
                file_by=spec.file_by,
            )
        else:
            tx.write_snapshot(dataset, frame, spec.store_schema())


def _failed(
    plan: ImportPlan, run: ImportRun, trust: Trust | None, error: Exception, records_committed: bool
) -> ImportOutcome:
    report = plan.report
    report.loaded = records_committed
    if records_committed:
        report.warnings.append(
            f"The records were loaded but the analytical store was not updated ({error}): run the same import again"
        )
        run.status = ImportStatus.COMMITTED
    else:
        report.error("(import)", f"loading failed, nothing was loaded: {error}")
        run.status = ImportStatus.FAILED
    run.trust = (
        trust
        if trust and trust.pk and Trust.objects.unscoped().filter(pk=trust.pk).exists()
        else None
    )
    _finish_run(run, plan, run.trust)
    return ImportOutcome(report, run, run.trust, False, plan)


def _describe(run: ImportRun, tables: list[RawTable], plan: ImportPlan) -> None:
    run.file_names = sorted({t.source.split(" [")[0] for t in tables})
    run.datasets = plan.datasets
    run.rows = plan.rows


def _finish_run(run: ImportRun, plan: ImportPlan, trust: Trust | None) -> None:
    report = plan.report
    run.error_count = report.total_errors
    run.summary = report.summary_line()[:300]
    run.report = report.as_dict() | {"preview": preview(plan, trust)}
    run.save()
    if trust is not None and trust.pk:
        links = ImportRun.academies.through  # its manager is Django's plain one (no scope guard)
        links.objects.filter(importrun=run).delete()
        urns = touched_urns(plan)
        ids = (
            Academy.objects.unscoped()
            .filter(trust=trust, urn__in=urns)
            .values_list("pk", flat=True)
        )
        links.objects.bulk_create(links(importrun=run, academy_id=pk) for pk in ids)


def touched_urns(plan: ImportPlan) -> set[int]:
    urns: set[int] = set()
    for table in plan.tables:
        if table.spec.urn_column and table.spec.urn_column in table.frame.columns:
            urns.update(
                u for u in table.frame[table.spec.urn_column].unique().to_list() if u is not None
            )
    return urns


def _audit(user, run: ImportRun, outcome: str) -> None:
    trust = run.trust.slug if run.trust else None
    log_event(
        user,
        AuditEvent.Action.IMPORT,
        "imports.importrun",
        f"Import {run.pk} {outcome}: {run.summary}",
        run=run.pk,
        trust=trust,
        files=run.file_names,
        datasets=run.datasets,
        rows=run.rows,
        source=run.source,
    )


# --- preview --------------------------------------------------------------------------------


def preview(plan: ImportPlan, trust: Trust | None) -> dict:
    """Per dataset: rows, first rows, partitions replaced (with the rows they hold now)."""
    store = analytical_store() if trust is not None else None
    out = {}
    for table in plan.tables:
        frame = table.frame.head(PREVIEW_ROWS)
        out[table.spec.name] = {
            "source": table.source,
            "rows": table.frame.height,
            "columns": frame.columns,
            "sample": [[_cell(v) for v in row] for row in frame.iter_rows()],
            "replaces": _replaces(table, store, trust),
        }
    return out


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Y" if value else "N"
    return str(value)


def _replaces(table, store: AnalyticalStore | None, trust: Trust | None) -> list[dict]:
    spec = table.spec
    if (
        spec.store_mode is not StoreMode.PARTITIONS
        or not spec.partition_by
        or table.frame.height == 0
    ):
        return []
    held = {}
    if store is not None and trust is not None:
        held = {s.key: s.rows for s in store.slices(trust.slug, spec.name)}
    counts = (
        table.frame.group_by(list(spec.partition_by))
        .len()
        .sort(list(spec.partition_by), nulls_last=True)
        .head(200)
    )
    return [
        {
            "partition": ", ".join(
                f"{c}={'all' if v is None else v}"
                for c, v in zip(spec.partition_by, row[:-1], strict=True)
            ),
            "new_rows": row[-1],
            "held_rows": held.get(
                partition_key(dict(zip(spec.partition_by, row[:-1], strict=True))), 0
            ),
        }
        for row in counts.iter_rows()
    ]


# --- web uploads ------------------------------------------------------------------------------


def upload_root() -> Path:
    return Path(settings.MEDIA_ROOT) / "imports"


def save_upload(files: list[Any]) -> Path:
    """Keep uploaded files (Django UploadedFile objects) until the import is confirmed."""
    folder = upload_root() / uuid.uuid4().hex
    folder.mkdir(parents=True, exist_ok=True)
    for upload in files:
        name = Path(upload.name).name
        with open(folder / name, "wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
    return folder


def tables_in(folder: Path) -> list[RawTable]:
    return read_sources(folder)


def validate_upload(user, files: list[Any], trust: Trust) -> ImportRun:
    """Save, validate (against the user's scope) and keep the run for preview or errors."""
    scope = scope_of(user)
    if not scope.can_import_academy_ids:
        raise PermissionDenied("Your role cannot import data.")
    folder = save_upload(files)
    run = ImportRun(
        source=ImportSource.WEB,
        created_by=user,
        upload_dir=str(folder.relative_to(settings.MEDIA_ROOT)),
    )
    outcome = run_import(
        tables_in(folder),
        trust.slug,
        user=user,
        scope=scope,
        dry_run=True,
        source=ImportSource.WEB,
        run=run,
        create_trust=False,
    )
    if outcome.run and outcome.run.status != ImportStatus.READY:
        _discard_upload(outcome.run)
    return outcome.run  # type: ignore[return-value]


def confirm_run(user, run: ImportRun) -> ImportOutcome:
    """Load a validated upload (validated again: the records may have changed meanwhile)."""
    if not run.can_confirm or run.trust is None:
        raise PermissionDenied("This import cannot be confirmed.")
    folder = Path(settings.MEDIA_ROOT) / run.upload_dir
    outcome = run_import(
        tables_in(folder),
        run.trust.slug,
        user=user,
        scope=scope_of(user),
        source=ImportSource.WEB,
        run=run,
        create_trust=False,
    )
    _discard_upload(run)
    return outcome


def _discard_upload(run: ImportRun) -> None:
    if run.upload_dir:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / run.upload_dir, ignore_errors=True)


# --- command line -----------------------------------------------------------------------------


def import_path(
    path: Path,
    trust_slug: str,
    *,
    dry_run: bool = False,
    trust_name: str | None = None,
    progress: Progress = _noop,
    reader: Callable[[Path], list[RawTable]] | None = None,
) -> ImportOutcome:
    """``trustlens import PATH``: a file or a folder, as the system (unscoped), audited."""
    tables = (reader or (read_sources if path.is_dir() else read_path))(path)
    return run_import(
        tables,
        trust_slug,
        dry_run=dry_run,
        trust_name=trust_name,
        source=ImportSource.CLI,
        progress=progress,
    )


def default_trust_slug() -> str | None:
    """The only trust, when there is exactly one."""
    slugs = list(Trust.objects.unscoped().values_list("slug", flat=True)[:2])
    return slugs[0] if len(slugs) == 1 else None

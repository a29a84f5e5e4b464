"""Writes for pupils: the record-side loaders of pupils, enrolments, classes and class members.

Called by ``trustlens.imports.services`` inside the import's transaction with the typed rows of
validated files (``trustlens.ingest.standard``). Replacement rules (documented in
docs/data-standard.md): pupils are added or updated by pupil_id and never deleted; an academy's
enrolments are replaced by the file's; the classes of each academy and academic year in the
file are replaced (kept ones updated in place, so teacher assignments survive; a teacher's
name is updated only by a file with the optional ``teacher`` column); each listed
class's members are replaced.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import polars as pl
from django.apps import apps
from django.conf import settings
from django.core import serializers
from django.db import models, transaction
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import timezone

from trustlens.core import hooks
from trustlens.core.models import AuditEvent
from trustlens.core.scoping import Scope, scope_of
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.standard import ENROLMENTS, PUPILS
from trustlens.ingest.store import AnalyticalStore, conform
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup

BATCH = 2000
#: The characteristics the analytical store keeps (no names, no UPN, no full date of birth).
CHARACTERISTICS = (
    "sex",
    "disadvantaged",
    "sen",
    "sen_primary_need",
    "eal",
    "looked_after",
    "ethnicity",
)
PUPIL_FIELDS = ("upn", "surname", "forename", "date_of_birth", *CHARACTERISTICS)
BLANK_WHEN_NULL = {"upn", "sen_primary_need", "ethnicity"}


def _pupil(trust: Trust, row: dict) -> Pupil:
    values = {f: row.get(f) for f in PUPIL_FIELDS}
    for name in BLANK_WHEN_NULL:
        values[name] = values[name] or ""
    return Pupil(trust=trust, pupil_id=row["pupil_id"], **values)


def load_pupils(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Add or update pupils by pupil_id (one upsert per batch)."""
    pupils = [_pupil(target.trust, row) for row in frame.iter_rows(named=True)]
    update = [f for f in PUPIL_FIELDS if f in frame.columns]  # an optional column left out is kept
    Pupil.objects.bulk_create(
        pupils,
        batch_size=BATCH,
        update_conflicts=True,
        unique_fields=["trust", "pupil_id"],
        update_fields=update,
    )
    return len(pupils)


def pupil_pks(trust: Trust) -> dict[str, int]:
    return dict(Pupil.objects.unscoped().filter(trust=trust).values_list("pupil_id", "pk"))


def academy_pks(trust: Trust) -> dict[int, int]:
    return dict(Academy.objects.unscoped().filter(trust=trust).values_list("urn", "pk"))


def load_enrolments(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Replace the enrolments of every academy in the file with the file's rows."""
    pupils, academies = pupil_pks(target.trust), academy_pks(target.trust)
    urns = frame["urn"].unique().to_list()
    Enrolment.objects.unscoped().filter(academy_id__in=[academies[u] for u in urns]).delete()
    rows = [
        Enrolment(
            pupil_id=pupils[r["pupil_id"]],
            academy_id=academies[r["urn"]],
            year_group=r["year_group"],
            start_date=r["start_date"],
            end_date=r["end_date"],
            leaving_reason=r["leaving_reason"] or "",
        )
        for r in frame.iter_rows(named=True)
    ]
    Enrolment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def load_classes(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Replace the classes of each (academy, academic year) in the file; keep ids stable."""
    academies = academy_pks(target.trust)
    groups = list(TeachingGroup.objects.unscoped().filter(academy__trust=target.trust))
    held = {g.class_id: g for g in groups if g.class_id}
    unnamed = {(g.academy_id, g.academic_year, g.name): g for g in groups if not g.class_id}
    seen: set[str] = set()
    scopes: set[tuple[int, str]] = set()
    new, changed = [], []
    fields = CLASS_FIELDS + (("teacher_name",) if "teacher" in frame.columns else ())
    for row in frame.iter_rows(named=True):
        academy_id = academies[row["urn"]]
        scopes.add((academy_id, row["academic_year"]))
        values = _class_values(academy_id, row)
        seen.add(row["class_id"])
        group = held.get(row["class_id"]) or unnamed.pop(
            (academy_id, row["academic_year"], row["name"]), None
        )
        if group is None:
            new.append(TeachingGroup(class_id=row["class_id"], **values))
        else:
            for name, value in {"class_id": row["class_id"], **values}.items():
                setattr(group, name, value)
            changed.append(group)
    _delete_missing_classes(scopes, seen)
    TeachingGroup.objects.unscoped().bulk_update(changed, list(fields), batch_size=BATCH)
    TeachingGroup.objects.bulk_create(new, batch_size=BATCH)
    return len(new) + len(changed)


#: Fields of a class set from every classes.csv row (teacher_name too when the file has it).
CLASS_FIELDS = ("class_id", "academy_id", "academic_year", "name", "subject", "year_group")


def _class_values(academy_id: int, row: dict) -> dict:
    """A row of classes.csv as TeachingGroup fields; the teacher only when the file names one."""
    values = {
        "academy_id": academy_id,
        "academic_year": row["academic_year"],
        "name": row["name"],
        "subject": row["subject"] or "",
        "year_group": row["year_group"],
    }
    if "teacher" in row:
        values["teacher_name"] = row["teacher"] or ""
    return values


def _delete_missing_classes(scopes: set[tuple[int, str]], keep: set[str]) -> None:
    by_academy: dict[int, list[str]] = defaultdict(list)
    for academy_id, year in scopes:
        by_academy[academy_id].append(year)
    for academy_id, years in by_academy.items():
        stale = (
            TeachingGroup.objects.unscoped()
            .filter(academy_id=academy_id, academic_year__in=years)
            .exclude(class_id="")
        )
        stale = stale.exclude(class_id__in=keep)  # classes made in the app (no class_id) are kept
        stale.delete()


def load_class_members(target: LoadTarget, frame: pl.DataFrame) -> int:
    """Replace the members of every class in the file."""
    groups = dict(
        TeachingGroup.objects.unscoped()
        .filter(academy__trust=target.trust)
        .exclude(class_id="")
        .values_list("class_id", "pk")
    )
    pupils = pupil_pks(target.trust)
    class_ids = frame["class_id"].unique().to_list()
    GroupMembership.objects.unscoped().filter(group_id__in=[groups[c] for c in class_ids]).delete()
    rows = [
        GroupMembership(group_id=groups[c], pupil_id=pupils[p])
        for c, p in frame.select("class_id", "pupil_id").iter_rows()
    ]
    GroupMembership.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


# --- which pupils a user sees: the current roll, leavers on request, old leavers to few ------

#: Leavers past the retention period stay visible only at academies where the user is a trust
#: executive (complaints, tribunals, off-rolling reviews across the trust) or a data manager
#: (subject access requests, records transfers, corrections). They are the import roles, so
#: ``Scope.can_import_academy_ids`` is where a user holds one (a test holds the two together).
#: Everyone else sees a leaver only within the period.


def leaver_cutoff(today: dt.date | None = None) -> dt.date:
    """Pupils who left before this day are past the retention period (``LEAVER_RETENTION_YEARS``)."""
    today = today or timezone.localdate()
    years = settings.LEAVER_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def old_leaver_academy_ids(user_or_scope: Any) -> frozenset[int]:
    """Academies whose leavers the user sees however long ago they left."""
    return scope_of(user_or_scope).can_import_academy_ids


def sees_old_leavers(user_or_scope: Any) -> bool:
    return bool(old_leaver_academy_ids(user_or_scope))


def roll_academy_ids(scope: Scope) -> set[int]:
    """Academies whose roll the user sees: pupil-level academies and those of their classes."""
    classes = TeachingGroup.objects.unscoped().filter(pk__in=scope.class_ids)
    return set(scope.pupil_academy_ids) | set(classes.values_list("academy_id", flat=True))


def visible_pupils(
    user: Any, include_leavers: bool = False, today: dt.date | None = None
) -> QuerySet[Pupil]:
    """The pupils ``user`` sees: by default those on the roll today of an academy in their scope;
    with ``include_leavers``, also those who left it within the retention period (any time, at
    the academies where the user is a trust executive or data manager)."""
    today = today or timezone.localdate()
    pupils = Pupil.objects.restrict(user)
    ids = roll_academy_ids(scope_of(user))
    here = Q(enrolments__academy_id__in=ids)
    on_roll = Q(enrolments__end_date__isnull=True) | Q(enrolments__end_date__gte=today)
    if not include_leavers:
        return pupils.filter(here & Q(enrolments__start_date__lte=today) & on_roll).distinct()
    recent = Q(enrolments__end_date__gte=leaver_cutoff(today))
    kept = Q(enrolments__academy_id__in=old_leaver_academy_ids(user) & ids)
    return pupils.filter((here & (on_roll | recent)) | kept).distinct()


# --- snapshots for the analytical store (no names, no UPN, no full date of birth) ------------


def pupils_frame(trust: Trust) -> pl.DataFrame:
    """The trust's pupils as the store holds them: characteristics and year/month of birth only."""
    columns = ("pupil_id", *CHARACTERISTICS, "date_of_birth")
    rows = Pupil.objects.unscoped().filter(trust=trust).order_by("pupil_id").values_list(*columns)
    frame = (
        pl.DataFrame(list(rows), schema=dict.fromkeys(columns), orient="row")
        if rows
        else pl.DataFrame(schema=dict.fromkeys(columns, pl.String))
    )
    frame = frame.with_columns(
        pl.col("date_of_birth").cast(pl.Date).dt.year().cast(pl.Int64).alias("birth_year"),
        pl.col("date_of_birth").cast(pl.Date).dt.month().cast(pl.Int64).alias("birth_month"),
        *(pl.col(c).cast(pl.String).replace("", None) for c in ("sen_primary_need", "ethnicity")),
    )
    return conform(frame, PUPILS.store_schema())


def enrolments_frame(trust: Trust) -> pl.DataFrame:
    """Every enrolment in the trust, keyed by pupil_id and URN."""
    columns = (
        "pupil__pupil_id",
        "academy__urn",
        "year_group",
        "start_date",
        "end_date",
        "leaving_reason",
    )
    rows = (
        Enrolment.objects.unscoped()
        .filter(academy__trust=trust)
        .order_by("academy__urn", "pupil__pupil_id", "start_date")
        .values_list(*columns)
    )
    names = ENROLMENTS.column_names
    schema = ENROLMENTS.store_schema()
    if not rows:
        return pl.DataFrame(schema=schema)
    frame = pl.DataFrame(list(rows), schema=names, orient="row")
    return conform(frame.with_columns(pl.col("leaving_reason").replace("", None)), schema)


# --- subject access, erasure and retention -----------------------------------------------------


def pupil_hash(trust_slug: str, pupil_id: str) -> str:
    """A one-way pseudonym for a pupil (HMAC-SHA256 keyed with SECRET_KEY): the audit log's only
    reference to an erased pupil. The same pupil always gives the same hash on one installation."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{trust_slug}:{pupil_id}".encode(), hashlib.sha256).hexdigest()


def find_pupil(trust_slug: str, pupil_id: str) -> Pupil:
    """The pupil with the trust's ``pupil_id`` (system work: unscoped). Raises ``Pupil.DoesNotExist``."""
    return (
        Pupil.objects.unscoped()
        .select_related("trust")
        .get(trust__slug=trust_slug, pupil_id=pupil_id)
    )


def pupil_foreign_keys() -> list[tuple[type[models.Model], models.ForeignKey]]:
    """Every (model, field) whose field points at Pupil, found from the models' meta."""
    return [
        (model, field)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is Pupil
    ]


def _rows_as_json(rows: Iterable[models.Model]) -> list[dict]:
    return json.loads(serializers.serialize("json", rows))


def database_rows(pupil: Pupil) -> dict[str, list[dict]]:
    """The pupil's own row and every row with a foreign key to it, by model label."""
    held = {Pupil._meta.label_lower: _rows_as_json([pupil])}
    for model, field in pupil_foreign_keys():
        rows = list(model._base_manager.filter(**{field.name: pupil}).order_by("pk"))
        if rows:
            held.setdefault(model._meta.label_lower, []).extend(_rows_as_json(rows))
    return held


def _audit_about(pupil: Pupil) -> QuerySet[AuditEvent]:
    """Audit rows recorded against the pupil's row."""
    return AuditEvent.objects.filter(object_type=Pupil._meta.label_lower, object_id=str(pupil.pk))


def _identifiers(pupil: Pupil) -> list[str]:
    """Strings that identify the pupil in free text (id, UPN, full name)."""
    found = [pupil.pupil_id, pupil.upn, f"{pupil.forename} {pupil.surname}"]
    return [text for text in found if text]


def store_rows(trust_slug: str, pupil_id: str) -> dict[str, list[dict]]:
    """Every analytical-store row with this ``pupil_id``, by dataset (any dataset with the column)."""
    store = AnalyticalStore(settings.STORE_DIR)
    held = {}
    for dataset in store.datasets(trust_slug):
        if "pupil_id" not in store.schema(trust_slug, dataset):
            continue
        frame = store.polars(trust_slug, dataset).filter(pl.col("pupil_id") == pupil_id)
        if frame.height:
            held[dataset] = frame.to_dicts()
    return held


def subject_access_export(trust_slug: str, pupil_id: str, user: Any = None) -> dict:
    """Everything held on one pupil (records database, analytical store, who viewed them);
    the export itself is audited."""
    pupil = find_pupil(trust_slug, pupil_id)
    held = {
        "trust": trust_slug,
        "pupil_id": pupil_id,
        "exported_at": timezone.now().isoformat(timespec="seconds"),
        "records": database_rows(pupil),
        "analytical_store": store_rows(trust_slug, pupil_id),
        "access_log": _rows_as_json(_audit_about(pupil).order_by("at")),
    }
    AuditEvent.objects.create(
        user=user if getattr(user, "is_authenticated", False) else None,
        action=AuditEvent.Action.EXPORT,
        object_type=Pupil._meta.label_lower,
        object_id=str(pupil.pk),
        trust_id=pupil.trust_id,
        summary="subject access export",
    )
    return held


@dataclass
class Erasure:
    """What ``erase_pupil`` removed."""

    pupil_hash: str
    database_rows: dict[str, int]
    store_rows: dict[str, int]
    audit_rows_pseudonymised: int


def erase_pupil(trust_slug: str, pupil_id: str, reason: str, user: Any = None) -> Erasure:
    """Remove a pupil from the records database and the analytical store (all datasets,
    rewritten atomically like an import, earlier store versions purged), pseudonymise the audit
    rows about them, record the erasure under a hash, then rebuild the dashboard summaries."""
    pupil = find_pupil(trust_slug, pupil_id)
    token = pupil_hash(trust_slug, pupil_id)
    store = AnalyticalStore(settings.STORE_DIR)
    with store.transaction(trust_slug, import_id=f"erase{token[:7]}") as tx:
        removed = {
            dataset: n
            for dataset in store.datasets(trust_slug)
            if (n := tx.remove_rows(dataset, "pupil_id", pupil_id))
        }
        tx.prepare()
        with transaction.atomic():
            pseudonymised = _pseudonymise_audit(pupil, token)
            deleted = _delete_records(pupil)
            _log_erasure(user, token, reason, deleted, removed, pupil.trust_id)
            tx.commit()
    tx.collect_garbage(keep=1)
    pseudonymised += _scrub_report_files(pupil, token)
    _rebuild_all_summaries(trust_slug)
    return Erasure(token, deleted, removed, pseudonymised)


def _delete_records(pupil: Pupil) -> dict[str, int]:
    """Delete the pupil and every row that cascades from them; counts by model label."""
    _total, counts = Pupil.objects.unscoped().filter(pk=pupil.pk).delete()
    return {label.lower(): n for label, n in counts.items() if n}


def _pseudonymise_audit(pupil: Pupil, token: str) -> int:
    """Earlier audit rows about the pupil name the hash instead; then every text field of every
    table (audit summaries, import reports' sample rows...) loses the id, UPN and name."""
    by_object = _audit_about(pupil).update(object_id=token)
    return by_object + _scrub_text_fields(pupil, token)


def _text_fields(model: type[models.Model]) -> list[models.Field]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [f for f in model._meta.concrete_fields if isinstance(f, kinds) and not f.choices]


def _scrub_text_fields(pupil: Pupil, token: str) -> int:
    """Replace the pupil's identifiers in every text or JSON value of every other table."""
    changed = 0
    for model in apps.get_models(include_auto_created=True):
        if model is Pupil:
            continue
        for field in _text_fields(model):
            changed += _scrub_field(model, field, pupil, token)
    return changed


def _scrub_field(model: type[models.Model], field: models.Field, pupil: Pupil, token: str) -> int:
    text = Cast(field.name, models.TextField())
    rows = model._base_manager.annotate(_text=text)
    match = Q()
    for identifier in _identifiers(pupil):
        match |= Q(_text__icontains=identifier)
    changed = 0
    for pk, value in rows.filter(match).values_list("pk", field.name):
        scrubbed = _scrubbed_value(value, pupil, token)
        if scrubbed != value:
            model._base_manager.filter(pk=pk).update(**{field.name: scrubbed})
            changed += 1
    return changed


def _scrub_report_files(pupil: Pupil, token: str) -> int:
    """The JSON reports ``trustlens import`` writes under ``DATA_DIR/import-reports``."""
    changed = 0
    for path in sorted((Path(settings.DATA_DIR) / "import-reports").glob("*.json")):
        text = path.read_text()
        scrubbed = _scrub(text, pupil, token)
        if scrubbed != text:
            path.write_text(scrubbed)
            changed += 1
    return changed


def _scrubbed_value(value: Any, pupil: Pupil, token: str) -> Any:
    if isinstance(value, str):
        return _scrub(value, pupil, token)
    return json.loads(_scrub(json.dumps(value), pupil, token))


def _scrub(text: str, pupil: Pupil, token: str) -> str:
    """``text`` with each whole-word occurrence of the pupil's identifiers replaced."""
    for identifier in _identifiers(pupil):
        pattern = rf"(?<![A-Za-z0-9]){re.escape(identifier)}(?![A-Za-z0-9])"
        text = re.sub(pattern, f"pupil:{token[:16]}", text, flags=re.IGNORECASE)
    return text


def _log_erasure(
    user: Any,
    token: str,
    reason: str,
    deleted: dict[str, int],
    removed: dict[str, int],
    trust_id: int | None = None,
) -> None:
    AuditEvent.objects.create(
        trust_id=trust_id,
        user=user if getattr(user, "is_authenticated", False) else None,
        action=AuditEvent.Action.DELETE,
        object_type=Pupil._meta.label_lower,
        object_id=token,
        summary=f"erased a pupil: {reason}"[:300],
        changes={"pupil_hash": token, "database_rows": deleted, "store_rows": removed},
    )


def _rebuild_all_summaries(trust_slug: str) -> None:
    """Ask the app that keeps summaries (the dashboards) to rebuild them with none kept."""
    hooks.store_rewritten.send(sender=None, trust_slug=trust_slug, from_scratch=True)


def past_retention(trust_slug: str, today: dt.date | None = None) -> QuerySet[Pupil]:
    """Pupils of the trust not on any roll who left before ``leaver_cutoff`` (the retention
    rule in docs/deployment.md): candidates for erasure under the trust's retention schedule."""
    cutoff = leaver_cutoff(today)
    current = Enrolment.objects.unscoped().filter(
        Q(end_date__isnull=True) | Q(end_date__gte=cutoff)
    )
    return (
        Pupil.objects.unscoped()
        .filter(trust__slug=trust_slug, enrolments__isnull=False)
        .exclude(pk__in=current.values("pupil_id"))
        .annotate(left=Max("enrolments__end_date"))
        .distinct()
        .order_by("left", "pupil_id")
    )

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
from collections import defaultdict
from typing import Any

import polars as pl
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils import timezone

from trustlens.core.scoping import Scope, scope_of
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.standard import ENROLMENTS, PUPILS
from trustlens.ingest.store import conform
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup

BATCH = 2000
PUPIL_FIELDS = (
    "upn",
    "surname",
    "forename",
    "date_of_birth",
    "sex",
    "disadvantaged",
    "sen",
    "sen_primary_need",
    "eal",
    "looked_after",
    "ethnicity",
)
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
    columns = (
        "pupil_id",
        "sex",
        "disadvantaged",
        "sen",
        "sen_primary_need",
        "eal",
        "looked_after",
        "ethnicity",
        "date_of_birth",
    )
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

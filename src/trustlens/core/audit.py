"""Writing the audit log: pupil-level access, exports and changes to records.

``save_audited`` and ``delete_audited`` are the one way services write a record: permissions are
checked first (``trustlens.core.access.can``), then the row and its audit row are written
together; views never save models themselves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from trustlens.core.models import AuditEvent


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def log_pupil_access(user: Any, pupil: models.Model, academy_id: int | None, summary: str) -> None:
    """Record that ``user`` viewed pupil-level data about ``pupil``."""
    AuditEvent.objects.create(
        user=_user(user),
        action=AuditEvent.Action.VIEW_PUPIL,
        object_type="pupils.pupil",
        object_id=str(pupil.pk),
        academy_id=academy_id,
        summary=summary[:300],
    )


def log_change(
    user: Any, action: str, obj: models.Model, changes: dict | None = None
) -> AuditEvent:
    """Record a create/update/delete of ``obj`` with the changed fields."""
    academy_id = getattr(obj, "academy_id", None)
    return AuditEvent.objects.create(
        user=_user(user),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        academy_id=academy_id,
        summary=str(obj)[:300],
        changes=changes or {},
    )


def log_event(user: Any, action: str, object_type: str, summary: str, **extra: Any) -> AuditEvent:
    """Record an event that is not tied to one row (an import, an export)."""
    return AuditEvent.objects.create(
        user=_user(user),
        action=action,
        object_type=object_type,
        summary=summary[:300],
        changes=extra,
    )


def changed_fields(before: models.Model | None, after: models.Model) -> dict[str, list[str]]:
    """Field-by-field [old, new] differences between two versions of a record."""
    if before is None:
        return {}
    diffs = {}
    for field in after._meta.concrete_fields:
        old, new = getattr(before, field.attname), getattr(after, field.attname)
        if old != new:
            diffs[field.name] = [str(old), str(new)]
    return diffs


Record = TypeVar("Record", bound=models.Model)


def previous_version(obj: models.Model) -> models.Model | None:
    """The stored version of ``obj`` (system read, before a change is written)."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.get_queryset().unscoped().filter(pk=obj.pk).first()


@transaction.atomic
def save_audited(user: Any, obj: Record, extra: dict | None = None) -> Record:
    """Create or update ``obj`` and log the change with the fields that changed."""
    before = previous_version(obj)
    obj.full_clean(exclude=_excluded(obj), validate_unique=False, validate_constraints=False)
    obj.save()
    changes = changed_fields(before, obj) | (extra or {})
    log_change(user, AuditEvent.Action.UPDATE if before else AuditEvent.Action.CREATE, obj, changes)
    return obj


@transaction.atomic
def delete_audited(user: Any, obj: models.Model) -> None:
    """Delete ``obj``, logging it first (the log keeps its id and description)."""
    log_change(user, AuditEvent.Action.DELETE, obj, {})
    obj.delete()


def _excluded(obj: models.Model) -> list[str]:
    """Fields ``full_clean`` skips: unset relations and files (checked by forms).

    Uniqueness is left to forms and the database: Django's unique checks query the default
    manager, which fails closed (no scope) by design.
    """
    return [
        f.name
        for f in obj._meta.concrete_fields
        if isinstance(f, models.FileField) or (f.is_relation and getattr(obj, f.attname) is None)
    ]

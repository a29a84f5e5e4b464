"""Writing the audit log: pupil-level access, exports and changes to records."""

from __future__ import annotations

from typing import Any

from django.db import models

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

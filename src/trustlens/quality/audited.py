"""Save and delete a record with its audit row (who, what, when), for both QA and improvement.

Services check permissions first, then call these; views never save models themselves.
"""

from __future__ import annotations

from typing import Any, TypeVar

from django.db import models, transaction

from trustlens.core.audit import changed_fields, log_change
from trustlens.core.models import AuditEvent

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

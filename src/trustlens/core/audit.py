"""Writing the audit log: pupil-level access, exports and changes to records.

``save_audited`` and ``delete_audited`` are the one way services write a record: permissions are
checked first (``trustlens.core.access.can``), then the row and its audit row are written
together; views never save models themselves.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.db import models, transaction

from trustlens.core.models import AuditEvent

#: ``academy_id -> trust_id`` and ``user -> trust ids`` (registered by the accounts app, which
#: may import organisations and people; core may not).
TrustOfAcademy = Callable[[int], "int | None"]
TrustsOfUser = Callable[[Any], "frozenset[int]"]
_RESOLVERS: dict[str, Any] = {}


def register_trust_resolvers(of_academy: TrustOfAcademy, of_user: TrustsOfUser) -> None:
    """Say how an academy's trust and a user's trusts are found (one indexed query each)."""
    _RESOLVERS["academy"], _RESOLVERS["user"] = of_academy, of_user


def _user(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def trust_of(user: Any, academy_id: int | None = None) -> int | None:
    """The trust an audit row belongs to: the academy's, else the acting user's only trust.

    A scope already built for the request answers without a query when it holds one trust;
    otherwise the registered resolvers look the academy (or the user's grants) up. A user of
    several trusts acting on no academy gives None (the row is then only in the admin).
    """
    scope = getattr(_user(user), "_trustlens_scope", None)
    one_trust = scope is not None and len(scope.trust_ids) == 1
    if one_trust and (academy_id is None or academy_id in scope.academy_ids):
        return next(iter(scope.trust_ids))
    if academy_id is not None and "academy" in _RESOLVERS:
        return _RESOLVERS["academy"](academy_id)
    if _user(user) is not None and "user" in _RESOLVERS:
        trusts = _RESOLVERS["user"](user)
        return next(iter(trusts)) if len(trusts) == 1 else None
    return None


def _write(user: Any, action: str, object_type: str, summary: str, **columns: Any) -> AuditEvent:
    """The one INSERT every audit helper ends in (trust filled in when the caller had none)."""
    academy_id = columns.get("academy_id")
    if columns.get("trust_id") is None:
        columns["trust_id"] = trust_of(user, academy_id)
    return AuditEvent.objects.create(
        user=_user(user), action=action, object_type=object_type, summary=summary[:300], **columns
    )


def record_pupil_read(
    user: Any,
    summary: str,
    *,
    pupil: models.Model | None = None,
    academy_id: int | None = None,
    trust_id: int | None = None,
    object_type: str = "pupils.pupil",
    count: int | None = None,
    action: str = AuditEvent.Action.VIEW_PUPIL,
    **detail: Any,
) -> AuditEvent:
    """Record one read of pupil-level data: a pupil's page, a list, a class, an API response.

    The one function every view (and the API) calls. One row per read, never one per pupil:
    a list or an API page passes ``count`` (how many pupils it showed) and the academy or class
    in ``summary``/``detail``; a single pupil passes ``pupil`` (the row is then found by the
    DPO's pupil filter and pseudonymised on erasure). ``detail`` (JSON-able) lands in
    ``changes``, e.g. ``via="api"``, ``class_id=7``, ``filters={...}``.
    """
    extra = dict(detail)
    if count is not None:
        extra["count"] = count
    if pupil is not None:
        trust_id = trust_id or getattr(pupil, "trust_id", None)
    return _write(
        user,
        action,
        object_type,
        summary,
        object_id=str(pupil.pk) if pupil is not None else "",
        academy_id=academy_id,
        trust_id=trust_id,
        changes=extra,
    )


def log_pupil_access(user: Any, pupil: models.Model, academy_id: int | None, summary: str) -> None:
    """Record that ``user`` viewed pupil-level data about ``pupil`` (see ``record_pupil_read``)."""
    record_pupil_read(user, summary, pupil=pupil, academy_id=academy_id)


def log_change(
    user: Any, action: str, obj: models.Model, changes: dict | None = None
) -> AuditEvent:
    """Record a create/update/delete of ``obj`` with the changed fields."""
    return _write(
        user,
        action,
        obj._meta.label_lower,
        str(obj),
        object_id=str(obj.pk),
        academy_id=getattr(obj, "academy_id", None),
        trust_id=_own_trust(obj),
        changes=changes or {},
    )


def _own_trust(obj: models.Model) -> int | None:
    """The record's trust when it holds it itself (no query); else ``trust_of`` decides."""
    if getattr(obj, "scope_trust_path", None):
        return obj.scope_trust_id
    value = getattr(obj, "trust_id", None)
    return value if isinstance(value, int) else None


def log_event(user: Any, action: str, object_type: str, summary: str, **extra: Any) -> AuditEvent:
    """Record an event that is not tied to one row (an import, an export, a sign-in).

    ``academy_id`` and ``trust_id`` in ``extra`` go to their columns (so the DPO's academy
    filter and trust scope find the row); the rest is kept as JSON in ``changes``.
    """
    academy_id = extra.pop("academy_id", None)
    trust_id = extra.pop("trust_id", None)
    return _write(
        user,
        action,
        object_type,
        summary,
        academy_id=academy_id,
        trust_id=trust_id,
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

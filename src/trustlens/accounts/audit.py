"""The audit log as its trust's data protection officer reads it, and sign-ins written to it.

Sign-ins, failed sign-ins and sign-outs arrive through Django's auth signals
(``user_logged_in``, ``user_login_failed``, ``user_logged_out``; django-axes listens to the
same ones for its lockout). Each is one row in ``core.AuditEvent`` under the user's trust.

A DPO (``Role.DATA_PROTECTION_OFFICER`` at a trust, ``Scope.audit_trust_ids``) reads the rows of
their own trusts only: ``trust_rows`` is the one query behind the page and its CSV export.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from trustlens.core.audit import log_event, record_pupil_read, register_trust_resolvers
from trustlens.core.models import AuditEvent
from trustlens.core.scoping import Scope
from trustlens.organisations.models import Academy, Trust
from trustlens.people.models import RoleGrant
from trustlens.pupils.models import Pupil
from trustlens.pupils.services import pupil_hash

PUPIL_TYPE = Pupil._meta.label_lower


# --- which trust a row belongs to (registered with core.audit in AccountsConfig.ready) -----


def trust_of_academy(academy_id: int) -> int | None:
    return (
        Academy.objects.unscoped().filter(pk=academy_id).values_list("trust_id", flat=True).first()
    )


def trusts_of_user(user: Any) -> frozenset[int]:
    """Every trust the user holds a role in (at the trust or any node under it): one query."""
    rows = RoleGrant.objects.filter(user=user).values_list(
        "trust_id", "region__trust_id", "cluster__region__trust_id", "academy__trust_id"
    )
    return frozenset(t for row in rows for t in row if t is not None)


def register() -> None:
    register_trust_resolvers(trust_of_academy, trusts_of_user)


# --- sign-ins -----------------------------------------------------------------------------


def _address(request: Any) -> str:
    return (getattr(request, "META", None) or {}).get("REMOTE_ADDR", "") if request else ""


def _from(request: Any) -> str:
    address = _address(request)
    return f" from {address}" if address else ""


def _sign_in_event(user: Any, action: str, summary: str, request: Any) -> None:
    """One row per trust of the user (one for nearly everyone; a user of no trust gets one
    row under no trust)."""
    trusts = sorted(trusts_of_user(user)) or [None]
    for trust_id in trusts:
        log_event(
            user,
            action,
            "auth.user",
            summary + _from(request),
            trust_id=trust_id,
            username=user.get_username(),
            address=_address(request),
        )


def on_logged_in(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None:
        _sign_in_event(user, AuditEvent.Action.LOGIN, "signed in", request)


def on_logged_out(sender: Any, request: Any = None, user: Any = None, **kwargs: Any) -> None:
    if user is not None and getattr(user, "is_authenticated", False):
        _sign_in_event(user, AuditEvent.Action.LOGOUT, "signed out", request)


def on_login_failed(
    sender: Any, credentials: dict | None = None, request: Any = None, **kwargs: Any
) -> None:
    """A failed sign-in: under the named account's trust when the username exists (the row names
    the user), else under no trust (an unknown username; the Django admin lists those)."""
    username = str((credentials or {}).get("username") or "")[:150]
    known = get_user_model().objects.filter(username=username).first() if username else None
    trusts = sorted(trusts_of_user(known)) if known else []
    for trust_id in trusts or [None]:
        log_event(
            known,  # the account tried (not necessarily its owner: the summary says "as")
            AuditEvent.Action.LOGIN_FAILED,
            "auth.user",
            f"failed sign-in as {username!r}{_from(request)}",
            trust_id=trust_id,
            username=username,
            address=_address(request),
        )


# --- the DPO's view ------------------------------------------------------------------------


@dataclass(frozen=True)
class AuditFilter:
    """What the DPO asked for (every part optional)."""

    user_id: int | None = None
    pupil_id: str = ""
    academy_id: int | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    action: str = ""

    def described(self) -> dict[str, str]:
        """The filters as JSON-able text (for the audit row of the audit page itself)."""
        values = {
            "user": self.user_id,
            "pupil": self.pupil_id,
            "academy": self.academy_id,
            "from": self.date_from,
            "to": self.date_to,
            "action": self.action,
        }
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


def trust_rows(scope: Scope) -> QuerySet[AuditEvent]:
    """Every audit row of the DPO's trusts (none for any other role). Rows written before the
    trust column existed are found by their academy."""
    trusts = scope.audit_trust_ids
    if not trusts:
        return AuditEvent.objects.none()
    academies = Academy.objects.unscoped().filter(trust_id__in=trusts).values("pk")
    return AuditEvent.objects.filter(
        Q(trust_id__in=trusts) | Q(trust_id__isnull=True, academy_id__in=academies)
    )


def pupil_object_ids(scope: Scope, pupil_id: str) -> list[str]:
    """The ``object_id`` values audit rows use for one pupil of the DPO's trusts: the row's
    primary key while the pupil is held, the one-way hash once they were erased."""
    trusts = Trust.objects.unscoped().filter(pk__in=scope.audit_trust_ids)
    held = Pupil.objects.unscoped().filter(trust__in=trusts, pupil_id=pupil_id)
    ids = [str(pk) for pk in held.values_list("pk", flat=True)]
    return ids + [pupil_hash(trust.slug, pupil_id) for trust in trusts]


def filtered_rows(scope: Scope, wanted: AuditFilter) -> QuerySet[AuditEvent]:
    """The DPO's rows matching ``wanted``, newest first."""
    rows = trust_rows(scope)
    if wanted.user_id:
        rows = rows.filter(user_id=wanted.user_id)
    if wanted.pupil_id:
        rows = rows.filter(
            object_type=PUPIL_TYPE, object_id__in=pupil_object_ids(scope, wanted.pupil_id)
        )
    if wanted.academy_id:
        rows = rows.filter(academy_id=wanted.academy_id)
    if wanted.date_from:
        rows = rows.filter(at__date__gte=wanted.date_from)
    if wanted.date_to:
        rows = rows.filter(at__date__lte=wanted.date_to)
    if wanted.action:
        rows = rows.filter(action=wanted.action)
    return rows.select_related("user").order_by("-at", "-pk")


def trust_users(scope: Scope) -> QuerySet:
    """Logins with a role anywhere in the DPO's trusts (the user filter's choices)."""
    trusts = scope.audit_trust_ids
    grants = RoleGrant.objects.filter(
        Q(trust_id__in=trusts)
        | Q(region__trust_id__in=trusts)
        | Q(cluster__region__trust_id__in=trusts)
        | Q(academy__trust_id__in=trusts)
    )
    users = get_user_model().objects.filter(pk__in=grants.values("user_id"))
    return users.order_by("last_name", "first_name", "username")


def trust_academies(scope: Scope) -> QuerySet[Academy]:
    return Academy.objects.unscoped().filter(trust_id__in=scope.audit_trust_ids).order_by("name")


@dataclass(frozen=True)
class Labels:
    """Names for the ids a page of rows shows: academies and pupils (one query each)."""

    academies: dict[int, str]
    pupils: dict[str, str]

    def academy(self, event: AuditEvent) -> str:
        return self.academies.get(event.academy_id, "") if event.academy_id else ""

    def pupil(self, event: AuditEvent) -> str:
        """The trust's pupil id, "erased pupil ..." for a hash, blank for rows about no pupil."""
        if event.object_type != PUPIL_TYPE or not event.object_id:
            return ""
        if event.object_id in self.pupils:
            return self.pupils[event.object_id]
        return "" if event.object_id.isdigit() else f"erased pupil {event.object_id[:12]}"


def labels_for(events: list[AuditEvent]) -> Labels:
    academy_ids = {e.academy_id for e in events if e.academy_id}
    pupil_pks = {
        int(e.object_id) for e in events if e.object_type == PUPIL_TYPE and e.object_id.isdigit()
    }
    academies = Academy.objects.unscoped().filter(pk__in=academy_ids)
    pupils = Pupil.objects.unscoped().filter(pk__in=pupil_pks)
    return Labels(
        academies={a.pk: f"{a.name} ({a.urn})" for a in academies},
        pupils={str(pk): pid for pk, pid in pupils.values_list("pk", "pupil_id")},
    )


def who(event: AuditEvent) -> str:
    if event.user is None:
        return event.changes.get("username", "") if isinstance(event.changes, dict) else ""
    name = event.user.get_full_name()
    return f"{name} ({event.user.get_username()})" if name else event.user.get_username()


def record_audit_read(
    user: Any, scope: Scope, what: str, wanted: AuditFilter, count: int, exported: bool = False
) -> None:
    """The DPO's own reading (or export) of the log is audited too: one row per trust read."""
    action = AuditEvent.Action.EXPORT if exported else AuditEvent.Action.VIEW_AUDIT
    for trust_id in sorted(scope.audit_trust_ids):
        record_pupil_read(
            user,
            what,
            object_type=AuditEvent._meta.label_lower,
            trust_id=trust_id,
            count=count,
            action=action,
            filters=wanted.described(),
        )

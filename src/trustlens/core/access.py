"""Who may do what: one ``can(user, action, target)`` for writes, beside ``restrict`` for reads.

Reading always starts from the one scoping layer (``Model.objects.restrict(user)``); ``can``
adds the role rules on top, from facts the people app puts in the user's ``Scope``:

- ``"view_detail"``: staff in scope open records (plans, QA narrative); aggregate-only users
  (trustees) see summaries: counts, RAG ratings and stages, never the narrative of a visit;
- ``"change"``: leaders (trust executive, regional and cluster lead, headteacher) of the
  academy write its QA and improvement records;
- ``"oversee"``: roles above the academy (trust executive, regional and cluster lead) set its
  improvement stage;
- ``"configure"``: trust executives configure their trust's frameworks, settings and stages.

``target`` is a record (its academy, or its trust for ``"configure"``, is read along its
declared scope path), or an int: an academy id, or a trust id for ``"configure"``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from trustlens.core.scoping import Scope, scope_of

ACADEMY_ACTIONS = {
    "view_detail": lambda scope: scope.academy_ids if scope.pupil_level else frozenset(),
    "change": lambda scope: scope.lead_academy_ids,
    "oversee": lambda scope: scope.oversee_academy_ids,
}
TRUST_ACTIONS = {"configure": lambda scope: scope.configure_trust_ids}

REFUSALS = {
    "view_detail": (
        "Trustees see stages, RAG ratings and counts; plans, actions and support records are for "
        "staff."
    ),
    "change": "Only leaders of this academy (or above it) can change this.",
    "oversee": "Only the trust, regional or cluster leads can change this.",
    "configure": "Only the trust's executives can configure this.",
}


def allowed_ids(user: Any, action: str) -> frozenset[int]:
    """Academies (or, for ``"configure"``, trusts) where ``user`` may do ``action``."""
    scope: Scope = scope_of(user)
    if action in ACADEMY_ACTIONS:
        return frozenset(ACADEMY_ACTIONS[action](scope)) & scope.academy_ids
    if action in TRUST_ACTIONS:
        return frozenset(TRUST_ACTIONS[action](scope)) & scope.trust_ids
    raise ValueError(f"unknown action {action!r}")


def _target_id(action: str, target: Any) -> int | None:
    if target is None or isinstance(target, int):
        return target
    if action in TRUST_ACTIONS:
        return getattr(target, "scope_trust_id", None) or getattr(target, "trust_id", None)
    return getattr(target, "academy_id", None)


def can(user: Any, action: str, target: Any) -> bool:
    """True when ``user`` may do ``action`` to ``target`` (a record, an academy or trust id)."""
    target_id = _target_id(action, target)
    return target_id is not None and target_id in allowed_ids(user, action)


def require(user: Any, action: str, target: Any, message: str | None = None) -> None:
    """``can`` or ``PermissionDenied`` (403) with ``message`` (or the action's refusal)."""
    if not can(user, action, target):
        raise PermissionDenied(message or REFUSALS[action])


def summary_only(user: Any) -> bool:
    """Aggregate-only users (trustees): counts, RAG and stages, never narrative records."""
    return scope_of(user).aggregate_only


def check_detail(user: Any) -> None:
    """Trustees (aggregate-only) never open a plan, action, support or QA record (403)."""
    if summary_only(user):
        raise PermissionDenied(REFUSALS["view_detail"])

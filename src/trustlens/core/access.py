"""Who may do what: one ``can(user, action, target)`` for writes, beside ``restrict`` for reads.

Reading always starts from the one scoping layer (``Model.objects.restrict(user)``); ``can``
adds the role rules on top, from facts the people app puts in the user's ``Scope``:

- ``"view_detail"``: staff in scope open records (plans, QA narrative); aggregate-only users
  (trustees) see summaries: counts, RAG ratings and stages, never the narrative of a visit;
- ``"change"``: leaders (trust executive, regional and cluster lead, headteacher) of the
  academy write its QA and improvement records;
- ``"oversee"``: roles above the academy (trust executive, regional and cluster lead) set its
  improvement stage;
- ``"configure"``: trust executives configure their trust's frameworks, settings and stages;
- ``"manage_pupils"``: roles that see an academy's pupils change its pupil-level programmes
  (interventions and their participants).

``target`` is a record (its academy, or its trust for ``"configure"``, is read along its
declared scope path; a record of several academies, such as an intervention, gives its
``academy_ids``), an int (an academy id, or a trust id for ``"configure"``), or a set of ids
(all of them must be allowed).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied

from trustlens.core.scoping import Scope, scope_of

ACADEMY_ACTIONS = {
    "view_detail": lambda scope: scope.academy_ids if scope.pupil_level else frozenset(),
    "change": lambda scope: scope.lead_academy_ids,
    "oversee": lambda scope: scope.oversee_academy_ids,
    "manage_pupils": lambda scope: scope.pupil_academy_ids,
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
    "manage_pupils": "You can only change records in academies whose pupils you can see.",
}


def allowed_ids(user: Any, action: str) -> frozenset[int]:
    """Academies (or, for ``"configure"``, trusts) where ``user`` may do ``action``."""
    scope: Scope = scope_of(user)
    if action in ACADEMY_ACTIONS:
        return frozenset(ACADEMY_ACTIONS[action](scope)) & scope.academy_ids
    if action in TRUST_ACTIONS:
        return frozenset(TRUST_ACTIONS[action](scope)) & scope.trust_ids
    raise ValueError(f"unknown action {action!r}")


def _target_ids(action: str, target: Any) -> frozenset[int]:
    if target is None:
        return frozenset()
    if isinstance(target, int):
        return frozenset({target})
    if isinstance(target, set | frozenset | list | tuple):
        return frozenset(target)
    if action in TRUST_ACTIONS:
        found = getattr(target, "scope_trust_id", None) or getattr(target, "trust_id", None)
    else:
        found = getattr(target, "academy_id", None)
        if found is None and hasattr(target, "academy_ids"):
            return frozenset(target.academy_ids)
    return frozenset() if found is None else frozenset({found})


def can(user: Any, action: str, target: Any) -> bool:
    """True when ``user`` may do ``action`` to ``target`` (a record, an id or a set of ids)."""
    ids = _target_ids(action, target)
    return bool(ids) and ids <= allowed_ids(user, action)


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

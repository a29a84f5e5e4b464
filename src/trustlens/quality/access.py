"""Who may do what with QA and improvement records (used by both apps).

Reading always starts from the one scoping layer (``Model.objects.restrict(user)``). These helpers
add the role rules on top:

- **leaders** (trust executive, regional lead, cluster lead, headteacher) of an academy read QA
  detail and write QA and improvement records for it;
- **oversight** roles (trust executive, regional and cluster lead) also set an academy's
  improvement stage;
- **trust executives** configure QA frameworks, the rating setting and the stage names of
  their trust;
- everyone else in scope (teachers, data managers, trustees) sees summaries: the calendar,
  counts, RAG ratings and stages, never the narrative of a visit.

The one explicit exception to ``restrict`` (reviewers of other academies assigned to an activity)
lives in ``trustlens.quality.services.reviewable_activity``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q

from trustlens.core.scoping import scope_of
from trustlens.organisations.models import Academy, Trust
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant
from trustlens.people.scopes import academies_under

LEADER_ROLES = frozenset(
    {Role.TRUST_EXECUTIVE, Role.REGIONAL_LEAD, Role.CLUSTER_LEAD, Role.HEADTEACHER}
)
OVERSIGHT_ROLES = frozenset({Role.TRUST_EXECUTIVE, Role.REGIONAL_LEAD, Role.CLUSTER_LEAD})
CONFIG_ROLES = frozenset({Role.TRUST_EXECUTIVE})


def _grants(user: Any) -> list[RoleGrant]:
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_trustlens_qi_grants", None)
    if cached is None:
        cached = list(RoleGrant.objects.filter(user=user))
        user._trustlens_qi_grants = cached
    return cached


def academies_with_role(user: Any, roles: frozenset[str] = LEADER_ROLES) -> frozenset[int]:
    """Academies under any of the user's grants of one of ``roles`` (and inside their scope)."""
    ids: set[int] = set()
    for grant in _grants(user):
        if grant.role in roles:
            ids |= {academy_id for academy_id, _ in academies_under(grant)}
    return frozenset(ids) & scope_of(user).academy_ids


def can_lead(user: Any, academy_id: int | None) -> bool:
    """True when the user leads QA and improvement for the academy."""
    return academy_id is not None and academy_id in academies_with_role(user, LEADER_ROLES)


def check_can_lead(user: Any, academy_id: int | None) -> None:
    if not can_lead(user, academy_id):
        raise PermissionDenied("Only leaders of this academy (or above it) can change this.")


def can_oversee(user: Any, academy_id: int | None) -> bool:
    """True when the user may set the academy's improvement stage (roles above the academy)."""
    return academy_id is not None and academy_id in academies_with_role(user, OVERSIGHT_ROLES)


def check_can_oversee(user: Any, academy_id: int | None) -> None:
    if not can_oversee(user, academy_id):
        raise PermissionDenied("Only the trust, regional or cluster leads can change this.")


def led_academies(user: Any) -> list[Academy]:
    """Academies the user leads, for form choices (never wider than their scope)."""
    ids = academies_with_role(user, LEADER_ROLES)
    return list(Academy.objects.restrict(user).filter(pk__in=ids).order_by("name"))


def configurable_trusts(user: Any) -> list[Trust]:
    """Trusts whose QA frameworks, rating setting and stage names the user may configure."""
    ids = {g.trust_id for g in _grants(user) if g.role in CONFIG_ROLES and g.trust_id}
    return list(Trust.objects.restrict(user).filter(pk__in=ids).order_by("name"))


def can_configure(user: Any, trust_id: int) -> bool:
    return any(t.pk == trust_id for t in configurable_trusts(user))


def check_can_configure(user: Any, trust_id: int) -> None:
    if not can_configure(user, trust_id):
        raise PermissionDenied("Only the trust's executives can configure this.")


def summary_only(user: Any) -> bool:
    """Aggregate-only users (trustees): counts, RAG and stages, never narrative records."""
    return scope_of(user).aggregate_only


def visible_trusts(user: Any) -> list[Trust]:
    """Trusts the user sees anything of, for trust-level settings pages."""
    return list(Trust.objects.restrict(user).order_by("name"))


def people_in(academy: Academy, whole_trust: bool = False) -> list[tuple[int, str]]:
    """Staff with a login: (user id, "Name — role, node") for everyone with a role at the
    academy or above it (or, with ``whole_trust``, anywhere in its trust). Trustees excluded."""
    trust_id = academy.trust_id
    if whole_trust:
        where = (
            Q(trust_id=trust_id)
            | Q(region__trust_id=trust_id)
            | Q(cluster__region__trust_id=trust_id)
            | Q(academy__trust_id=trust_id)
        )
    else:
        cluster = academy.cluster
        where = Q(trust_id=trust_id) | Q(academy_id=academy.pk)
        if cluster is not None:
            where |= Q(cluster_id=cluster.pk) | Q(region_id=cluster.region_id)
    grants = (
        RoleGrant.objects.filter(where)
        .exclude(role=Role.TRUSTEE)
        .select_related("user", "trust", "region", "cluster", "academy")
        .order_by("user__last_name", "user__first_name", "user__username", "role")
    )
    people: dict[int, str] = {}
    for grant in grants:
        label = f"{grant.get_role_display()}, {grant.node}"
        if grant.user_id in people:
            people[grant.user_id] += f"; {label}"
        else:
            people[grant.user_id] = (
                f"{grant.user.get_full_name() or grant.user.get_username()} — {label}"
            )
    return list(people.items())

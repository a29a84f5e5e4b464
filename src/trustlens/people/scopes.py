"""Turn a user's role grants into a ``Scope`` (which academies, at what level of detail).

This is the only place that knows how roles map to visibility; ``core.scoping`` applies it.
"""

from __future__ import annotations

from typing import Any

from trustlens.core.scoping import Scope
from trustlens.organisations.models import Academy
from trustlens.people.choices import (
    AUDIT_ROLES,
    CONFIG_ROLES,
    IMPORT_ROLES,
    LEADER_ROLES,
    OVERSIGHT_ROLES,
    PUPIL_LEVEL_ROLES,
    Role,
)
from trustlens.people.models import RoleGrant


def academies_under(grant: RoleGrant) -> list[tuple[int, int]]:
    """(academy id, trust id) for every academy under the grant's node."""
    academies = Academy.objects.unscoped()
    if grant.trust_id:
        academies = academies.filter(trust_id=grant.trust_id)
    elif grant.region_id:
        academies = academies.filter(cluster__region_id=grant.region_id)
    elif grant.cluster_id:
        academies = academies.filter(cluster_id=grant.cluster_id)
    else:
        academies = academies.filter(pk=grant.academy_id)
    return list(academies.values_list("id", "trust_id"))


def teacher_class_ids(user: Any, academy_ids: set[int]) -> set[int]:
    """Teaching groups the user teaches in the given academies."""
    from trustlens.pupils.models import TeachingGroup

    groups = TeachingGroup.objects.unscoped().filter(teacher=user, academy_id__in=academy_ids)
    return set(groups.values_list("id", flat=True))


class _Facts:
    """What a user's grants add up to, collected grant by grant."""

    def __init__(self) -> None:
        self.trusts: set[int] = set()
        self.academies: set[int] = set()
        self.by_roles: dict[str, set[int]] = {}
        self.configure: set[int] = set()
        self.audit: set[int] = set()
        self.roles: set[str] = set()
        self.description: list[str] = []

    def ids_for(self, roles: frozenset[str]) -> frozenset[int]:
        return frozenset().union(*(self.by_roles.get(role, set()) for role in roles))

    def add(self, grant: RoleGrant) -> None:
        pairs = academies_under(grant)
        ids = {academy_id for academy_id, _ in pairs}
        self.trusts |= {trust_id for _, trust_id in pairs}
        if grant.trust_id:
            self.trusts.add(grant.trust_id)
            if grant.role in CONFIG_ROLES:
                self.configure.add(grant.trust_id)
            if grant.role in AUDIT_ROLES:
                self.audit.add(grant.trust_id)
        self.academies |= ids
        self.by_roles.setdefault(grant.role, set()).update(ids)
        self.roles.add(grant.role)
        self.description.append(f"{grant.get_role_display()}: {grant.node}")


def build_scope(user: Any) -> Scope:
    """The union of every grant the user holds; no grant means an empty scope."""
    facts = _Facts()
    for grant in RoleGrant.objects.filter(user=user).select_related(
        "trust", "region", "cluster", "academy"
    ):
        facts.add(grant)
    pupil_academies = facts.ids_for(PUPIL_LEVEL_ROLES)
    teacher_academies = facts.ids_for(frozenset({Role.TEACHER})) - pupil_academies
    classes = teacher_class_ids(user, set(teacher_academies)) if teacher_academies else set()
    return Scope(
        user_id=user.pk,
        trust_ids=frozenset(facts.trusts),
        academy_ids=frozenset(facts.academies),
        pupil_academy_ids=pupil_academies,
        class_ids=frozenset(classes),
        roles=frozenset(facts.roles),
        description=tuple(facts.description),
        can_import_academy_ids=facts.ids_for(IMPORT_ROLES),
        lead_academy_ids=facts.ids_for(LEADER_ROLES),
        oversee_academy_ids=facts.ids_for(OVERSIGHT_ROLES),
        configure_trust_ids=frozenset(facts.configure),
        audit_trust_ids=frozenset(facts.audit),
    )

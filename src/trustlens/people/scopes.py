"""Turn a user's role grants into a ``Scope`` (which academies, at what level of detail).

This is the only place that knows how roles map to visibility; ``core.scoping`` applies it.
"""

from __future__ import annotations

from typing import Any

from trustlens.core.scoping import Scope
from trustlens.organisations.models import Academy
from trustlens.people.choices import IMPORT_ROLES, PUPIL_LEVEL_ROLES, Role
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


def build_scope(user: Any) -> Scope:
    """The union of every grant the user holds; no grant means an empty scope."""
    trusts: set[int] = set()
    academies: set[int] = set()
    pupil_academies: set[int] = set()
    import_academies: set[int] = set()
    teacher_academies: set[int] = set()
    roles: set[str] = set()
    description: list[str] = []
    for grant in RoleGrant.objects.filter(user=user).select_related(
        "trust", "region", "cluster", "academy"
    ):
        pairs = academies_under(grant)
        ids = {academy_id for academy_id, _ in pairs}
        trusts |= {trust_id for _, trust_id in pairs}
        if grant.trust_id:
            trusts.add(grant.trust_id)
        academies |= ids
        roles.add(grant.role)
        description.append(f"{grant.get_role_display()}: {grant.node}")
        if grant.role in PUPIL_LEVEL_ROLES:
            pupil_academies |= ids
        if grant.role in IMPORT_ROLES:
            import_academies |= ids
        if grant.role == Role.TEACHER:
            teacher_academies |= ids
    classes = (
        teacher_class_ids(user, teacher_academies - pupil_academies) if teacher_academies else set()
    )
    return Scope(
        user_id=user.pk,
        trust_ids=frozenset(trusts),
        academy_ids=frozenset(academies),
        pupil_academy_ids=frozenset(pupil_academies),
        class_ids=frozenset(classes),
        roles=frozenset(roles),
        description=tuple(description),
        can_import_academy_ids=frozenset(import_academies),
    )

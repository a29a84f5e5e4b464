"""Writes for people: role grants and the demo logins."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from trustlens.organisations.models import Academy, Cluster, Region, Trust
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant


def grant_role(user, role: str, node: Trust | Region | Cluster | Academy) -> RoleGrant:
    """Give ``user`` the ``role`` at ``node`` (idempotent)."""
    field = {Trust: "trust", Region: "region", Cluster: "cluster", Academy: "academy"}[type(node)]
    grant, _ = RoleGrant.objects.get_or_create(user=user, role=role, **{field: node})
    return grant


def _demo_user(username: str, password: str, first: str, last: str):
    user, _ = get_user_model().objects.get_or_create(username=username)
    user.first_name, user.last_name = first, last
    user.email = f"{username}@example.org"
    user.set_password(password)
    user.save()
    user.grants.all().delete()
    return user


def _demo_class(academy: Academy, teacher) -> None:
    from trustlens.pupils.models import GroupMembership, TeachingGroup

    groups = (
        TeachingGroup.objects.unscoped().filter(academy=academy).order_by("-academic_year", "name")
    )
    if groups.exists():
        for group in groups[:2]:
            group.teacher = teacher
            group.save(update_fields=["teacher"])
        return
    from trustlens.pupils.models import Enrolment

    enrolments = Enrolment.objects.unscoped().filter(academy=academy, end_date__isnull=True)
    year = enrolments.order_by("year_group").values_list("year_group", flat=True).first()
    if year is None:
        return
    group = TeachingGroup.objects.unscoped().create(
        academy=academy, name=f"{year}A", academic_year="2025/26", year_group=year, teacher=teacher
    )
    pupil_ids = enrolments.filter(year_group=year).values_list("pupil_id", flat=True)[:28]
    GroupMembership.objects.bulk_create(
        [GroupMembership(group=group, pupil_id=p) for p in pupil_ids]
    )


@transaction.atomic
def create_demo_users(trust_slug: str, password: str) -> list[tuple[str, str, str]]:
    """One login per role in the trust: returns (username, role, node) rows to print."""
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    academies = Academy.objects.unscoped().filter(trust=trust).select_related("cluster__region")
    academy = academies.filter(cluster__isnull=False).order_by("urn").first() or academies.first()
    if academy is None:
        raise ValueError(f"Trust {trust_slug!r} has no academies yet: import some first")
    nodes: list[tuple[str, str, str, str, object]] = [
        ("exec", "Ada", "Executive", Role.TRUST_EXECUTIVE, trust),
        ("trustee", "Tom", "Trustee", Role.TRUSTEE, trust),
        ("datamanager", "Dana", "Manager", Role.DATA_MANAGER, trust),
        ("head", "Hana", "Head", Role.HEADTEACHER, academy),
        ("teacher", "Theo", "Teacher", Role.TEACHER, academy),
        ("dpo", "Dee", "Protection", Role.DATA_PROTECTION_OFFICER, trust),
    ]
    if academy.cluster_id:
        nodes.insert(
            2, ("regional", "Rhea", "Regional", Role.REGIONAL_LEAD, academy.cluster.region)
        )
        nodes.insert(3, ("cluster", "Cal", "Cluster", Role.CLUSTER_LEAD, academy.cluster))
    rows = []
    for username, first, last, role, node in nodes:
        user = _demo_user(username, password, first, last)
        grant_role(user, role, node)
        if role == Role.TEACHER:
            _demo_class(academy, user)
        rows.append((username, Role(role).label, str(node)))
    return rows


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

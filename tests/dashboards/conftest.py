"""Fixtures for the dashboard tests: the small synthetic trust, built once per package.

The records (trust, academies, pupils, classes, users) are committed once for the package and
deleted afterwards; each test still runs in its own transaction on top. The analytical store
is written through the ingest store's transaction API into the test settings' temporary
STORE_DIR, and the summaries are rebuilt once.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import polars as pl
import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from tests.dashboards.trust_fixture import ACADEMIES, SURNAME, TrustData, build_tables
from trustlens.core.models import AuditEvent
from trustlens.organisations.models import Academy, Cluster, Region, Trust
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.models import RoleGrant
from trustlens.people.services import grant_role
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup

SLUG = "dashtest"
#: When academies joined the trust (time in trust, the MAT measure); Oakridge: not recorded.
JOINED = {
    190001: dt.date(2015, 9, 1),
    190002: dt.date(2021, 9, 1),
    190004: dt.date(2018, 4, 1),
    190005: dt.date(2023, 1, 1),
}
User = get_user_model()


@dataclass
class Dash:
    trust: Trust
    data: TrustData
    meta: dict
    academies: dict[int, Academy] = field(default_factory=dict)
    users: dict[str, object] = field(default_factory=dict)
    teacher_class: TeachingGroup | None = None
    surname: str = SURNAME

    def client(self, role: str) -> Client:
        client = Client()
        client.force_login(self.users[role])
        return client


def create_records(data: TrustData) -> tuple[Trust, dict[int, Academy]]:
    trust = Trust.objects.create(slug=SLUG, name="Seaward Learning Trust")
    regions, clusters, academies = {}, {}, {}
    for urn, name, phase, cluster, region, _effect, _n in ACADEMIES:
        if region not in regions:
            regions[region] = Region.objects.create(trust=trust, name=region)
        if cluster not in clusters:
            clusters[cluster] = Cluster.objects.create(region=regions[region], name=cluster)
        academies[urn] = Academy.objects.create(
            trust=trust,
            cluster=clusters[cluster],
            urn=urn,
            name=name,
            phase=phase,
            laestab=9990000 + urn % 10000,
            joined_trust=JOINED.get(urn),
        )
    frame = data.pupils
    Pupil.objects.bulk_create(
        [
            Pupil(
                trust=trust,
                pupil_id=r.pupil_id,
                upn=r.upn,
                surname=r.surname,
                forename=r.forename,
                date_of_birth="2012-01-01",
                sex=r.sex,
                disadvantaged=r.disadvantaged,
                sen=r.sen,
                eal=r.eal,
            )
            for r in frame.itertuples(index=False)
        ]
    )
    pks = dict(Pupil.objects.unscoped().filter(trust=trust).values_list("pupil_id", "pk"))
    spells = data.tables["enrolments"].astype(object)
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                pupil_id=pks[r.pupil_id],
                academy=academies[r.urn],
                year_group=r.year_group,
                start_date=r.start_date,
                end_date=r.end_date if isinstance(r.end_date, dt.date) else None,
                leaving_reason=r.leaving_reason if isinstance(r.leaving_reason, str) else "",
            )
            for r in spells.itertuples(index=False)
        ]
    )
    for spec in data.classes:
        group = TeachingGroup.objects.create(
            academy=academies[spec["urn"]],
            name=spec["name"],
            academic_year="2023/24",
            subject=spec["subject"],
            year_group=spec["year_group"],
        )
        GroupMembership.objects.bulk_create(
            [GroupMembership(group=group, pupil_id=pks[p]) for p in spec["pupils"]]
        )
    return trust, academies


def write_store(slug: str, tables: dict) -> None:
    from trustlens.ingest import registry
    from trustlens.ingest.schema import StoreMode
    from trustlens.ingest.store import AnalyticalStore

    store = AnalyticalStore(settings.STORE_DIR)
    with store.transaction(slug, durable=False) as tx:
        for name, frame in tables.items():
            spec = registry.spec(name)
            data = pl.from_pandas(frame)
            if spec.store_mode is StoreMode.SNAPSHOT:
                tx.write_snapshot(name, data, spec.store_schema())
            else:
                tx.write_partitions(
                    name, data, spec.store_schema(), spec.partition_by, spec.year_column
                )
        tx.commit()


def create_users(
    trust: Trust, academies: dict[int, Academy]
) -> tuple[dict[str, object], TeachingGroup]:
    first = academies[ACADEMIES[0][0]]
    users = {}
    for key, role, node in (
        ("exec", Role.TRUST_EXECUTIVE, trust),
        ("trustee", Role.TRUSTEE, trust),
        ("regional", Role.REGIONAL_LEAD, first.cluster.region),
        ("cluster", Role.CLUSTER_LEAD, first.cluster),
        ("head", Role.HEADTEACHER, first),
        ("teacher", Role.TEACHER, first),
        ("datamanager", Role.DATA_MANAGER, first),
    ):
        user = UserFactory(username=f"dash_{key}", first_name=key.title(), last_name="Dash")
        grant_role(user, role, node)
        users[key] = user
    group = (
        TeachingGroup.objects.unscoped()
        .filter(academy=first, subject="Maths")
        .order_by("year_group")
        .first()
    )
    group.teacher = users["teacher"]
    group.save()
    return users, group


@pytest.fixture(scope="package")
def dash(django_db_setup, django_db_blocker) -> Dash:
    from trustlens.dashboards import services

    data = build_tables()
    with django_db_blocker.unblock():
        trust, academies = create_records(data)
        users, group = create_users(trust, academies)
        write_store(SLUG, data.tables)
        meta = services.rebuild_summaries(SLUG)
    yield Dash(
        trust=trust, data=data, meta=meta, academies=academies, users=users, teacher_class=group
    )
    with django_db_blocker.unblock():
        remove_records(SLUG, users.values())


def remove_records(slug: str, users=()) -> None:
    """Delete what :func:`create_records` and :func:`create_users` committed (the trust cascades
    to its regions, clusters, academies, pupils and classes), so later tests (the browser tests
    build the same trust on a live server) start from a clean database."""
    users = list(users) or list(User.objects.filter(username__startswith="dash_"))
    AuditEvent.objects.filter(user__in=users).delete()
    RoleGrant.objects.filter(user__in=users).delete()
    User.objects.filter(pk__in=[u.pk for u in users]).delete()
    Trust.objects.unscoped().filter(slug=slug).delete()

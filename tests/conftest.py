"""Shared fixtures: a small two-trust world and one user per role.

Trust 1 ("Riverside") has academy A (cluster North) and academy B (cluster South); trust 2
("Hillcrest") has academy X. Each academy has pupils with distinctive names so a test can look
for them in a response.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field

import pytest
from django.test import Client
from hypothesis import settings as hypothesis_settings

from trustlens.organisations.models import Academy, Cluster, Region, Trust
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.services import grant_role
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup

# The suite is reproducible: property-based tests draw the same examples on every run (a CI run
# never fails on an input no one can replay). Explore new inputs with HYPOTHESIS_PROFILE=explore.
hypothesis_settings.register_profile("default", derandomize=True)
hypothesis_settings.register_profile("explore", derandomize=False)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

PUPIL_NAMES = {
    "A": [("Alicea", "Aardvarkson"), ("Ambrose", "Applewhite")],
    "B": [("Bertram", "Bumblebeeton"), ("Beatrix", "Brackenbury")],
    "X": [("Xanthe", "Xylophonides"), ("Xavier", "Xerxesworth")],
}


@dataclass
class World:
    trust: Trust
    other_trust: Trust
    region: Region
    cluster_a: Cluster
    cluster_b: Cluster
    academy_a: Academy
    academy_b: Academy
    academy_x: Academy
    pupils: dict[str, list[Pupil]] = field(default_factory=dict)
    class_a: TeachingGroup | None = None

    def markers(self, key: str) -> list[str]:
        """Strings that identify academy ``key`` ('A', 'B' or 'X') or its pupils in a page."""
        academy = {"A": self.academy_a, "B": self.academy_b, "X": self.academy_x}[key]
        names = [p.surname for p in self.pupils[key]] + [p.upn for p in self.pupils[key]]
        return [academy.name, str(academy.urn), *names]


def _academy(
    trust: Trust, cluster: Cluster, urn: int, name: str, phase: str = "secondary"
) -> Academy:
    return Academy.objects.create(
        trust=trust,
        cluster=cluster,
        urn=urn,
        laestab=9994000 + urn % 1000,
        name=name,
        phase=phase,
        joined_trust=dt.date(2018, 9, 1),
    )


def _pupils(trust: Trust, academy: Academy, key: str, start: int) -> list[Pupil]:
    pupils = []
    for offset, (forename, surname) in enumerate(PUPIL_NAMES[key]):
        pupil = Pupil.objects.create(
            trust=trust,
            pupil_id=f"{key}{start + offset:05d}",
            upn=f"{key}{start + offset:012d}",
            forename=forename,
            surname=surname,
            date_of_birth=dt.date(2012, 1 + offset, 5),
            sex="F" if offset % 2 == 0 else "M",
            disadvantaged=offset == 0,
        )
        Enrolment.objects.create(
            pupil=pupil, academy=academy, year_group=9, start_date=dt.date(2024, 9, 2)
        )
        pupils.append(pupil)
    return pupils


@pytest.fixture
def world(db) -> World:
    trust = Trust.objects.create(slug="riverside", name="Riverside Learning Trust")
    other = Trust.objects.create(slug="hillcrest", name="Hillcrest Academies Trust")
    region = Region.objects.create(trust=trust, name="Northshire")
    cluster_a = Cluster.objects.create(region=region, name="North Cluster")
    cluster_b = Cluster.objects.create(region=region, name="South Cluster")
    other_cluster = Cluster.objects.create(
        region=Region.objects.create(trust=other, name="Hill Region"), name="Hill Cluster"
    )
    world = World(
        trust=trust,
        other_trust=other,
        region=region,
        cluster_a=cluster_a,
        cluster_b=cluster_b,
        academy_a=_academy(trust, cluster_a, 141001, "Alderbrook Academy"),
        academy_b=_academy(trust, cluster_b, 142002, "Bramblewood Academy"),
        academy_x=_academy(other, other_cluster, 143003, "Xenon Ridge Academy"),
    )
    world.pupils = {
        "A": _pupils(trust, world.academy_a, "A", 1),
        "B": _pupils(trust, world.academy_b, "B", 1),
        "X": _pupils(other, world.academy_x, "X", 1),
    }
    for key, academy in (("B", world.academy_b), ("X", world.academy_x)):
        group = TeachingGroup.objects.create(
            academy=academy, name=f"9{key}", academic_year="2026/27", year_group=9
        )
        GroupMembership.objects.create(group=group, pupil=world.pupils[key][0])
    return world


def _user(username: str, role: str, node) -> object:
    user = UserFactory(
        username=username, first_name=username.split("_")[0].title(), last_name="Tester"
    )
    grant_role(user, role, node)
    return user


@pytest.fixture
def exec_user(world):
    return _user("exec_riverside", Role.TRUST_EXECUTIVE, world.trust)


@pytest.fixture
def trustee_user(world):
    return _user("trustee_riverside", Role.TRUSTEE, world.trust)


@pytest.fixture
def head_a(world):
    return _user("head_a", Role.HEADTEACHER, world.academy_a)


@pytest.fixture
def datamanager_a(world):
    return _user("datamanager_a", Role.DATA_MANAGER, world.academy_a)


@pytest.fixture
def cluster_lead_a(world):
    return _user("clusterlead_a", Role.CLUSTER_LEAD, world.cluster_a)


@pytest.fixture
def teacher_a(world):
    user = _user("teacher_a", Role.TEACHER, world.academy_a)
    group = TeachingGroup.objects.create(
        academy=world.academy_a, name="9A", academic_year="2026/27", year_group=9, teacher=user
    )
    GroupMembership.objects.create(group=group, pupil=world.pupils["A"][0])
    world.class_a = group
    return user


@pytest.fixture
def exec_x(world):
    return _user("exec_hillcrest", Role.TRUST_EXECUTIVE, world.other_trust)


@pytest.fixture
def dpo_user(world):
    """Trust 1's data protection officer (reads trust 1's audit log, no pupil-level pages)."""
    return _user("dpo_riverside", Role.DATA_PROTECTION_OFFICER, world.trust)


@pytest.fixture
def dpo_x(world):
    """Trust 2's data protection officer: must see nothing of trust 1's audit rows."""
    return _user("dpo_hillcrest", Role.DATA_PROTECTION_OFFICER, world.other_trust)


@pytest.fixture
def client_for():
    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make

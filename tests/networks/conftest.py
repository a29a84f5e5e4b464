"""Two synthetic member trusts (imported the way ``trustlens import --trust`` does), built once
for the package, and a third trust that never joins; logins for each."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from trustlens.core.models import AuditEvent
from trustlens.organisations.models import Trust
from trustlens.people.choices import Role
from trustlens.people.factories import UserFactory
from trustlens.people.models import RoleGrant
from trustlens.people.services import grant_role

TRUSTS = (
    ("north", "Northfell Trust", 31),
    ("south", "Southmere Trust", 32),
    ("loner", "Lone Oak Trust", 33),
)
YEAR = "2025/26"


@dataclass
class Pair:
    trusts: dict[str, Trust]
    users: dict[str, object]
    folders: dict[str, object]

    def client(self, key: str) -> Client:
        client = Client()
        client.force_login(self.users[key])
        return client


def _build(folder, slug: str, name: str, seed: int) -> Trust:
    from trustlens.imports.services import import_path
    from trustlens.synth import generate_trust

    generate_trust(folder, 3, seed, years=4, pupils_per_academy=60)
    outcome = import_path(folder, slug, trust_name=name)
    assert outcome.report.ok, outcome.report.to_json()[:1000]
    return Trust.objects.unscoped().get(slug=slug)


@pytest.fixture(scope="package")
def pair(django_db_setup, django_db_blocker, tmp_path_factory) -> Pair:
    trusts, users, folders = {}, {}, {}
    with django_db_blocker.unblock():
        for slug, name, seed in TRUSTS:
            folders[slug] = tmp_path_factory.mktemp(slug)
            trusts[slug] = _build(folders[slug], slug, name, seed)
            for role, key in ((Role.TRUST_EXECUTIVE, "exec"), (Role.TRUSTEE, "trustee")):
                user = UserFactory(username=f"net_{slug}_{key}")
                grant_role(user, role, trusts[slug])
                users[f"{slug}_{key}"] = user
        users["partner"] = UserFactory(username="net_partner")
    yield Pair(trusts, users, folders)
    with django_db_blocker.unblock():
        found = list(get_user_model().objects.filter(username__startswith="net_"))
        AuditEvent.objects.filter(user__in=found).delete()
        RoleGrant.objects.filter(user__in=found).delete()
        get_user_model().objects.filter(pk__in=[u.pk for u in found]).delete()
        from trustlens.networks.models import Network

        Network.objects.unscoped().all().delete()
        Trust.objects.unscoped().filter(slug__in=[t[0] for t in TRUSTS]).delete()


@pytest.fixture
def network(pair, db):
    """North shares attendance and exclusions, south attendance only; loner never joins."""
    from trustlens.networks import services

    net = services.create_network("dales", "Dales Network")
    services.join(net, pair.trusts["north"], ["attendance", "exclusions", "roll"], "N Contact")
    services.join(net, pair.trusts["south"], ["attendance", "roll"], "S Contact")
    services.add_partner(net, pair.users["partner"], "County Council", "local_authority")
    return net

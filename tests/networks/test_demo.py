"""The demo seeder: a network with the demo trust, a partner login, idempotent."""

from __future__ import annotations

import datetime as dt

import pytest

from trustlens.networks.access import access_for
from trustlens.networks.demo import PARTNER, SLUG, seed_network
from trustlens.networks.models import Network

pytestmark = pytest.mark.django_db


def test_seed_is_idempotent_and_the_partner_sees_the_network(world, exec_user):
    first = seed_network(world.trust.slug, 1, dt.date(2026, 1, 5))
    assert first["networks"] == 1 and first["partners"] == 1 and first["memberships"] == 1
    assert seed_network(world.trust.slug, 1, dt.date(2026, 1, 5)) == {}
    network = Network.objects.unscoped().get(slug=SLUG)
    partner = network.partners.unscoped().get().user
    assert partner.username == PARTNER and access_for(partner, network).partner is not None
    assert access_for(exec_user, network).member_trust_ids == {world.trust.pk}


def test_every_network_page_opens_for_the_demo_roles(world, exec_user, trustee_user, client_for):
    from django.urls import reverse

    seed_network(world.trust.slug, 1, dt.date(2026, 1, 5))
    network = Network.objects.unscoped().get(slug=SLUG)
    partner = network.partners.unscoped().get().user
    pages = ["detail", "benchmark", "planning", "exchange", "services"]
    for user in (exec_user, trustee_user, partner):
        client = client_for(user)
        assert client.get(reverse("networks:index")).status_code == 200
        for name in pages:
            response = client.get(reverse(f"networks:{name}", args=[network.slug]))
            assert response.status_code == 200, (user.username, name)
    for name in (
        "membership",
        "offer_reviewer",
        "offer_service",
        "request_service",
        "record_review",
    ):
        assert (
            client_for(exec_user).get(reverse(f"networks:{name}", args=[SLUG])).status_code == 200
        )

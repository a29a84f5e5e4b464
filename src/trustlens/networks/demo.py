"""The demo's network (``trustlens demo-workflow`` runs it through the demo seeder hook).

The demo installation holds one trust, so the seeded network has that trust as its member
(sharing every benchmark measure and its roll), a partner login ``network_partner`` (a local
authority's place planning team: it sees the network's outputs and nothing else; it gets the
demo executive's password when ``trustlens demo-users`` has run), a reviewer offered to the
exchange and a shared service. A second member trust is added with ``trustlens synth`` +
``trustlens import --trust other`` + ``trustlens network join`` (docs/networks.md).

Idempotent: everything is looked up by its fixed name first.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model

from trustlens.networks import services
from trustlens.networks.choices import SHAREABLE, PartnerKind, ServiceKind
from trustlens.networks.models import (
    Membership,
    Network,
    NetworkPartner,
    ReviewerOffer,
    SharedService,
)
from trustlens.organisations.models import Trust

SLUG = "local-network"
NAME = "Local Learning Network"
PARTNER = "network_partner"


def seed_network(trust_slug: str, seed: int, today: dt.date) -> dict[str, int]:
    """The demo network, its member, a partner login, a reviewer and a service."""
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    created = {"networks": 0, "memberships": 0, "partners": 0, "offers": 0, "services": 0}
    network = Network.objects.unscoped().filter(slug=SLUG).first()
    if network is None:
        network = services.create_network(
            SLUG,
            NAME,
            "Trusts, schools and the local authority sharing benchmarks and planning places.",
        )
        created["networks"] += 1
    if not Membership.objects.unscoped().filter(network=network, trust=trust).exists():
        services.join(network, trust, list(SHAREABLE), "Director of data", "data@example.org")
        created["memberships"] += 1
    created["partners"] += _partner(network)
    if not ReviewerOffer.objects.unscoped().filter(network=network, trust=trust).exists():
        services.offer_reviewer(
            network, trust, "Senior reviewer (primary)", "Early reading, SEND", 4
        )
        created["offers"] += 1
    if not SharedService.objects.unscoped().filter(network=network, provider=trust).exists():
        services.offer_service(
            network,
            trust,
            kind=ServiceKind.SEND_OUTREACH,
            title="SEND outreach: speech and language",
            unit="days",
            cost_per_unit=350,
            units_available=30,
        )
        created["services"] += 1
    return {kind: count for kind, count in created.items() if count}


def _partner(network: Network) -> int:
    users = get_user_model().objects
    if NetworkPartner.objects.unscoped().filter(network=network, user__username=PARTNER).exists():
        return 0
    login = users.filter(username=PARTNER).first()
    if login is None:
        login = users.create(username=PARTNER, first_name="Pat", last_name="Partner")
        executive = users.filter(username="exec").first()
        if executive is not None:
            login.password = executive.password
        else:
            login.set_unusable_password()
        login.save()
    services.add_partner(
        network, login, "County council place planning", PartnerKind.LOCAL_AUTHORITY
    )
    return 1

"""Peer review exchange (reciprocity ledger) and shared services (requests, allocation, ledger)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from trustlens.networks import ledgers, services
from trustlens.networks.models import ReviewerOffer, ServiceRequest, SharedService
from trustlens.organisations.models import Academy
from trustlens.quality.factories import ActivityFactory

pytestmark = pytest.mark.django_db


def _review_of(trust, kind="peer_review"):
    academy = Academy.objects.unscoped().filter(trust=trust).first()
    return ActivityFactory(academy=academy, kind=kind, title=f"Peer review of {academy.name}")


def test_reciprocity_ledger_counts_reviews_given_and_received(pair, network):
    north, south = pair.trusts["north"], pair.trusts["south"]
    services.record_exchange_review(network, north, _review_of(south), days=2)
    services.record_exchange_review(network, north, _review_of(south), days=1)
    services.record_exchange_review(network, south, _review_of(north), days=3)
    ledger = {row["trust"]: row for row in ledgers.reciprocity(network)}
    assert (ledger[north.name]["given"], ledger[north.name]["received"]) == (2, 1)
    assert (ledger[south.name]["days_given"], ledger[south.name]["days_received"]) == (3, 3)
    assert ledger[north.name]["balance"] == 1
    with pytest.raises(ValidationError, match="another trust"):
        services.record_exchange_review(network, north, _review_of(north))
    with pytest.raises(ValidationError, match="peer review"):
        services.record_exchange_review(network, north, _review_of(south, kind="learning_walk"))
    with pytest.raises(ValidationError, match="not a member"):
        services.record_exchange_review(network, pair.trusts["loner"], _review_of(south))


def test_services_requests_allocation_and_ledger(pair, network):
    north, south = pair.trusts["north"], pair.trusts["south"]
    outreach = services.offer_service(
        network,
        north,
        kind="send_outreach",
        title="SALT outreach",
        unit="days",
        cost_per_unit=Decimal("300"),
        units_available=10,
    )
    request = services.request_service(outreach, south, 6)
    services.allocate(request, 4)
    with pytest.raises(ValidationError, match="left to allocate"):
        services.allocate(services.request_service(outreach, south, 8), 7)
    ledger = {row["trust"]: row for row in ledgers.service_ledger(network)}
    assert ledger[north.name]["provided"] == 4 and ledger[north.name]["income"] == 1200
    assert ledger[south.name]["received"] == 4 and ledger[south.name]["cost"] == 1200
    [row] = ledgers.services(network)
    assert (row["allocated"], row["left"]) == (4, 6)


def test_executives_offer_and_request_through_the_pages(pair, network, client_for):
    south = client_for(pair.users["south_exec"])
    offer = reverse("networks:offer_reviewer", args=[network.slug])
    assert south.post(offer, {"reviewer_name": "", "days_offered": 2}).status_code == 400
    assert south.post(offer, {"reviewer_name": "R Reviewer", "days_offered": 2}).status_code == 302
    assert ReviewerOffer.objects.unscoped().get(trust=pair.trusts["south"]).days_offered == 2
    north = client_for(pair.users["north_exec"])
    north.post(
        reverse("networks:offer_service", args=[network.slug]),
        {
            "kind": "cpd",
            "title": "Phonics CPD",
            "unit": "days",
            "cost_per_unit": "250",
            "units_available": 5,
        },
    )
    service = SharedService.objects.unscoped().get(title="Phonics CPD")
    asked = south.post(
        reverse("networks:request_service", args=[network.slug]),
        {"service": service.pk, "units": 2},
    )
    assert asked.status_code == 302
    assert ServiceRequest.objects.unscoped().get(service=service).units_requested == 2
    page = client_for(pair.users["partner"]).get(reverse("networks:services", args=[network.slug]))
    assert "Phonics CPD" in page.content.decode()
    for name in ("offer_reviewer", "offer_service", "request_service"):
        url = reverse(f"networks:{name}", args=[network.slug])
        assert client_for(pair.users["partner"]).get(url).status_code == 403
        assert client_for(pair.users["north_trustee"]).get(url).status_code == 403


def test_the_provider_allocates_on_the_page(pair, network, client_for):
    outreach = services.offer_service(
        network,
        pair.trusts["north"],
        kind="ap_places",
        title="AP places",
        unit="places",
        cost_per_unit=Decimal("1000"),
        units_available=3,
    )
    asked = services.request_service(outreach, pair.trusts["south"], 2)
    url = reverse("networks:allocate", args=[network.slug, asked.pk])
    assert client_for(pair.users["south_exec"]).get(url).status_code == 403
    north = client_for(pair.users["north_exec"])
    listing = north.get(reverse("networks:services", args=[network.slug])).content.decode()
    assert url in listing
    assert north.post(url, {"units_allocated": 5}).status_code == 400  # more than is left
    assert north.post(url, {"units_allocated": 2}).status_code == 302
    asked.refresh_from_db()
    assert (asked.units_allocated, asked.status) == (2, "allocated")


def test_the_host_records_an_exchange_review_on_the_page(pair, network, client_for):
    from trustlens.networks.models import ExchangeReview

    activity = _review_of(pair.trusts["north"])
    url = reverse("networks:record_review", args=[network.slug])
    north = client_for(pair.users["north_exec"])
    page = north.get(url).content.decode()
    assert activity.title in page and pair.trusts["south"].name in page
    done = north.post(
        url, {"activity": activity.pk, "reviewer_trust": pair.trusts["south"].pk, "days": 2}
    )
    assert done.status_code == 302
    review = ExchangeReview.objects.unscoped().get(activity=activity)
    assert review.reviewer_trust == pair.trusts["south"]
    ledger = {row["trust"]: row for row in ledgers.reciprocity(network)}
    assert ledger[pair.trusts["south"].name]["given"] == 1
    assert client_for(pair.users["partner"]).get(url).status_code == 403

"""The peer review exchange's reciprocity ledger and the shared services' ledger.

Both count network records only (reviews, days, places, cost per trust); no QA narrative and
no pupil-level value is read. Callers have checked access (``access.network_or_404``).
"""

from __future__ import annotations

from decimal import Decimal

from trustlens.networks.access import active_members
from trustlens.networks.models import (
    ExchangeReview,
    Network,
    ReviewerOffer,
    ServiceRequest,
    SharedService,
)


def reciprocity(network: Network) -> list[dict]:
    """Reviews (and reviewer days) given and received per current member trust."""
    rows = {
        m.trust_id: {
            "trust": m.trust.name,
            "given": 0,
            "received": 0,
            "days_given": 0,
            "days_received": 0,
        }
        for m in active_members(network)
    }
    reviews = (
        ExchangeReview.objects.unscoped()
        .filter(network=network)
        .select_related("activity__academy")
    )
    for review in reviews:
        host = review.activity.academy.trust_id
        if review.reviewer_trust_id in rows:
            rows[review.reviewer_trust_id]["given"] += 1
            rows[review.reviewer_trust_id]["days_given"] += review.days
        if host in rows:
            rows[host]["received"] += 1
            rows[host]["days_received"] += review.days
    for row in rows.values():
        row["balance"] = row["given"] - row["received"]
    return list(rows.values())


def offers(network: Network) -> list[ReviewerOffer]:
    members = {m.trust_id for m in active_members(network)}
    found = ReviewerOffer.objects.unscoped().filter(network=network, trust_id__in=members)
    return list(found.select_related("trust"))


def services(network: Network) -> list[dict]:
    """The catalogue of current members' services with what is allocated and left."""
    members = {m.trust_id for m in active_members(network)}
    rows = []
    for service in (
        SharedService.objects.unscoped()
        .filter(network=network, provider_id__in=members)
        .select_related("provider")
    ):
        allocated = sum(r.units_allocated for r in service.requests.unscoped())
        rows.append(
            {
                "service": service,
                "allocated": allocated,
                "left": service.units_available - allocated,
            }
        )
    return rows


def service_ledger(network: Network) -> list[dict]:
    """Units and cost provided and received per current member trust (allocated requests)."""
    members = active_members(network)
    rows = {
        m.trust_id: {
            "trust": m.trust.name,
            "provided": 0,
            "received": 0,
            "income": Decimal(0),
            "cost": Decimal(0),
        }
        for m in members
    }
    requests = (
        ServiceRequest.objects.unscoped().filter(service__network=network).select_related("service")
    )
    for request in requests:
        cost = request.cost
        if request.service.provider_id in rows:
            rows[request.service.provider_id]["provided"] += request.units_allocated
            rows[request.service.provider_id]["income"] += cost
        if request.requester_id in rows:
            rows[request.requester_id]["received"] += request.units_allocated
            rows[request.requester_id]["cost"] += cost
    return list(rows.values())


def requests(network: Network, provider_ids: frozenset[int]) -> list[ServiceRequest]:
    """Requests for the services of the trusts the viewer runs (for allocation)."""
    found = ServiceRequest.objects.unscoped().filter(
        service__network=network, service__provider_id__in=provider_ids
    )
    return list(found.select_related("service", "requester"))

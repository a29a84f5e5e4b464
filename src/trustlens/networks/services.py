"""All writes of the networks app: networks, joining and leaving, partners, the exchange.

A write by a person (``user`` given) checks that they are an executive of the trust concerned
(``configure``); the CLI writes as the system (``user=None``), like ``trustlens import``.
Every record is saved through :func:`trustlens.core.audit.save_audited`. Bad input raises a
``ValidationError`` naming the field and the reason, before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trustlens.core.access import can, require
from trustlens.core.audit import save_audited
from trustlens.networks.choices import SHAREABLE, PartnerKind, RequestStatus
from trustlens.networks.models import (
    ExchangeReview,
    Membership,
    Network,
    NetworkPartner,
    ReviewerOffer,
    ServiceRequest,
    SharedService,
)
from trustlens.organisations.models import Trust


def _check(user: Any, trust: Trust) -> None:
    if user is not None:
        require(user, "configure", trust.pk, "Only the trust's executives can change this.")


def create_network(slug: str, name: str, description: str = "", user: Any = None) -> Network:
    """A new network (``trustlens network create``)."""
    if Network.objects.unscoped().filter(slug=slug).exists():
        raise ValidationError({"slug": f"A network called {slug!r} already exists."})
    return save_audited(user, Network(slug=slug, name=name, description=description))


def parse_shares(shares: Iterable[str]) -> list[str]:
    """The measures named, checked against what may be shared (``ValidationError`` names it)."""
    chosen = [s.strip() for s in shares if s.strip()]
    unknown = [s for s in chosen if s not in SHAREABLE]
    if unknown:
        raise ValidationError(
            {
                "shares": f"Not a shareable measure: {', '.join(unknown)} (one of {', '.join(SHAREABLE)})."
            }
        )
    return sorted(set(chosen), key=list(SHAREABLE).index)


@transaction.atomic
def join(
    network: Network,
    trust: Trust,
    shares: Iterable[str],
    contact_name: str,
    contact_email: str = "",
    user: Any = None,
) -> Membership:
    """Join (or rejoin, or change what is shared): one membership per trust and network."""
    _check(user, trust)
    chosen = parse_shares(shares)
    if not contact_name.strip():
        raise ValidationError({"contact_name": "A member needs a named contact."})
    membership = Membership.objects.unscoped().filter(network=network, trust=trust).first()
    membership = membership or Membership(network=network, trust=trust)
    membership.shares, membership.left_at = chosen, None
    membership.contact_name, membership.contact_email = contact_name.strip(), contact_email
    return save_audited(user, membership)


@transaction.atomic
def leave(network: Network, trust: Trust, user: Any = None) -> Membership:
    """Leave: the trust's data is withdrawn from every later output (nothing is kept)."""
    _check(user, trust)
    membership = Membership.objects.unscoped().filter(network=network, trust=trust).first()
    if membership is None or not membership.active:
        raise ValidationError({"trust": f"{trust.name} is not a member of {network.name}."})
    membership.left_at, membership.shares = timezone.now(), []
    return save_audited(user, membership)


def add_partner(
    network: Network, login: Any, organisation: str, kind: str = PartnerKind.OTHER
) -> NetworkPartner:
    """Give a login the network-partner role for ``network`` (system/CLI only)."""
    if kind not in PartnerKind.values:
        raise ValidationError({"kind": f"Not a partner kind: {kind!r}."})
    found = NetworkPartner.objects.unscoped().filter(network=network, user=login).first()
    partner = found or NetworkPartner(network=network, user=login)
    partner.organisation, partner.kind = organisation, kind
    return save_audited(None, partner)


def _member(network: Network, trust: Trust, field: str) -> None:
    if (
        not Membership.objects.unscoped()
        .filter(network=network, trust=trust, left_at=None)
        .exists()
    ):
        raise ValidationError({field: f"{trust.name} is not a member of {network.name}."})


def offer_reviewer(
    network: Network,
    trust: Trust,
    reviewer_name: str,
    expertise: str = "",
    days: int = 1,
    user=None,
) -> ReviewerOffer:
    """A member offers a reviewer to the exchange."""
    _check(user, trust)
    _member(network, trust, "trust")
    offer = ReviewerOffer(
        network=network,
        trust=trust,
        reviewer_name=reviewer_name,
        expertise=expertise,
        days_offered=days,
    )
    return save_audited(user, offer)


def record_exchange_review(
    network: Network, reviewer_trust: Trust, activity: Any, days: int = 1, user=None
) -> ExchangeReview:
    """A review across trusts: ``activity`` is the host academy's QA peer review record;
    an executive of the host or of the reviewing trust records it."""
    host = activity.academy.trust
    if user is not None and not (
        can(user, "configure", host.pk) or can(user, "configure", reviewer_trust.pk)
    ):
        raise PermissionDenied("Only an executive of the host or the reviewing trust can do this.")
    _member(network, reviewer_trust, "reviewer_trust")
    _member(network, activity.academy.trust, "activity")
    if activity.academy.trust_id == reviewer_trust.pk:
        raise ValidationError({"reviewer_trust": "An exchange review is by another trust."})
    if not activity.is_peer_review:
        raise ValidationError({"activity": "Only a QA peer review can be an exchange review."})
    review = ExchangeReview(
        network=network, reviewer_trust=reviewer_trust, activity=activity, days=days
    )
    return save_audited(user, review)


def offer_service(network: Network, provider: Trust, user=None, **fields: Any) -> SharedService:
    """A member offers a service (kind, title, unit, cost_per_unit, units_available)."""
    _check(user, provider)
    _member(network, provider, "provider")
    return save_audited(user, SharedService(network=network, provider=provider, **fields))


def request_service(
    service: SharedService, requester: Trust, units: int, user=None
) -> ServiceRequest:
    """A member asks for ``units`` of a service."""
    _check(user, requester)
    _member(service.network, requester, "requester")
    if units < 1:
        raise ValidationError({"units_requested": "Ask for at least one day or place."})
    return save_audited(
        user, ServiceRequest(service=service, requester=requester, units_requested=units)
    )


def allocate(request: ServiceRequest, units: int, user=None) -> ServiceRequest:
    """The provider allocates ``units`` (0 declines); never more than is still available."""
    _check(user, request.service.provider)
    taken = sum(
        r.units_allocated
        for r in ServiceRequest.objects.unscoped()
        .filter(service=request.service)
        .exclude(pk=request.pk)
    )
    if units > request.service.units_available - taken:
        raise ValidationError({"units_allocated": "More than the service has left to allocate."})
    request.units_allocated = units
    request.status = RequestStatus.ALLOCATED if units else RequestStatus.DECLINED
    return save_audited(user, request)

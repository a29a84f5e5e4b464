"""Networks of trusts: membership with per-measure opt-in, partners, peer review, services.

A network is not owned by one trust; its records are scoped along their trust (a membership,
an offer, a service, a request) or, for the network itself and its partners, along the member
trusts (``memberships__trust``). Pages never read these through scope alone: every network
page asks :func:`trustlens.networks.access.access_for`, which fails closed.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trustlens.core.scoping import ScopedModel
from trustlens.networks.choices import PartnerKind, RequestStatus, ServiceKind, ServiceUnit
from trustlens.organisations.models import Trust


class Network(ScopedModel):
    """A local network: trusts (and partners) sharing aggregates, reviewers and services."""

    scope_academy_path = None
    scope_trust_path = "memberships__trust"
    scope_distinct = True

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Membership(ScopedModel):
    """A trust's membership of a network: what it shares, its named contact, when it left."""

    scope_academy_path = None
    scope_trust_path = "trust"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="memberships")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="network_memberships")
    shares = models.JSONField(default=list, blank=True, help_text="Measures the trust shares.")
    contact_name = models.CharField(max_length=200)
    contact_email = models.EmailField(blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["network", "trust__name"]
        constraints = [
            models.UniqueConstraint(fields=["network", "trust"], name="one_membership_per_trust")
        ]

    def __str__(self) -> str:
        return f"{self.trust} in {self.network}"

    @property
    def active(self) -> bool:
        return self.left_at is None


class NetworkPartner(ScopedModel):
    """The network-partner role: a login that sees this network's outputs and nothing else."""

    scope_academy_path = None
    scope_trust_path = "network__memberships__trust"
    scope_distinct = True

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="partners")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="network_partnerships"
    )
    organisation = models.CharField(max_length=200)
    kind = models.CharField(max_length=30, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["network", "organisation"]
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_partnership_per_login")
        ]

    def __str__(self) -> str:
        return f"{self.organisation} ({self.get_kind_display()})"


class ReviewerOffer(ScopedModel):
    """A reviewer a member trust offers to the network's peer review exchange."""

    scope_academy_path = None
    scope_trust_path = "trust"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="offers")
    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="reviewer_offers")
    reviewer_name = models.CharField(max_length=200)
    expertise = models.CharField(max_length=200, blank=True)
    days_offered = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["network", "trust__name", "reviewer_name"]

    def __str__(self) -> str:
        return self.reviewer_name


class ExchangeReview(ScopedModel):
    """A review across trusts: the host academy's QA peer review record, reviewed by another
    member trust (the reciprocity ledger counts these given and received)."""

    scope_academy_path = "activity__academy"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="reviews")
    reviewer_trust = models.ForeignKey(
        Trust, on_delete=models.CASCADE, related_name="reviews_given"
    )
    activity = models.OneToOneField(
        "quality.Activity", on_delete=models.CASCADE, related_name="exchange_review"
    )
    days = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["network", "activity__scheduled_on"]

    def __str__(self) -> str:
        return f"{self.reviewer_trust} reviews {self.activity}"


class SharedService(ScopedModel):
    """A service a member offers the network: SEND outreach, AP places, ITT, CPD."""

    scope_academy_path = None
    scope_trust_path = "provider"

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="services")
    provider = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="services_offered")
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    title = models.CharField(max_length=200)
    unit = models.CharField(max_length=10, choices=ServiceUnit.choices, default=ServiceUnit.DAYS)
    cost_per_unit = models.DecimalField(max_digits=9, decimal_places=2, default=0)
    units_available = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["network", "kind", "title"]

    def __str__(self) -> str:
        return self.title


class ServiceRequest(ScopedModel):
    """A member's request for a shared service, and what was allocated."""

    scope_academy_path = None
    scope_trust_path = "requester"

    service = models.ForeignKey(SharedService, on_delete=models.CASCADE, related_name="requests")
    requester = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="service_requests")
    units_requested = models.PositiveIntegerField()
    units_allocated = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=12, choices=RequestStatus.choices, default=RequestStatus.REQUESTED
    )
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["service", "requested_at"]

    def __str__(self) -> str:
        return f"{self.requester} requests {self.service}"

    @property
    def cost(self):
        return self.units_allocated * self.service.cost_per_unit

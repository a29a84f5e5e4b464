"""Who sees a network: the one access function of the networks app (it fails closed).

A user sees a network's outputs when either

- they hold a trust-level grant (trust executive or trustee) in a trust that is an active
  member: they see the network "as" that trust (give to get: a measure their trust shares);
- or a :class:`~trustlens.networks.models.NetworkPartner` record links their login to the
  network (the network-partner role): they see every measure some member shares, and
  nothing else in trustlens (they hold no role grant, so their scope is empty).

Anyone else (anonymous users, academy staff, other trusts, partners of other networks) gets
no access, and a page answers 404 as if the network did not exist. Membership changes
(join, leave, what is shared) are for the trust's executives (``configure``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from trustlens.networks.models import Membership, Network, NetworkPartner
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant

#: Trust-level roles that see their trust's network outputs.
MEMBER_ROLES = (Role.TRUST_EXECUTIVE, Role.TRUSTEE)


@dataclass(frozen=True)
class NetworkAccess:
    """What one user may see of one network."""

    network: Network | None
    member_trust_ids: frozenset[int] = field(default_factory=frozenset)
    partner: NetworkPartner | None = None
    manage_trust_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def allowed(self) -> bool:
        return self.network is not None and bool(self.member_trust_ids or self.partner)

    @property
    def as_trust_id(self) -> int | None:
        """The member trust the user sees the network as (the first, for several)."""
        return min(self.member_trust_ids) if self.member_trust_ids else None


NO_ACCESS = NetworkAccess(network=None)


def _grants(user: Any, roles) -> set[int]:
    found = RoleGrant.objects.filter(user=user, trust__isnull=False, role__in=list(roles))
    return set(found.values_list("trust_id", flat=True))


def active_members(network: Network) -> list[Membership]:
    """The network's current members (left members are gone from every later output)."""
    return list(
        Membership.objects.unscoped()
        .filter(network=network, left_at__isnull=True)
        .select_related("trust")
        .order_by("trust__name")
    )


def access_for(user: Any, network: Network | None) -> NetworkAccess:
    """The user's access to ``network`` (no access unless a rule above grants it)."""
    if network is None or user is None or not getattr(user, "is_authenticated", False):
        return NO_ACCESS
    members = {m.trust_id for m in active_members(network)}
    member_ids = frozenset(_grants(user, MEMBER_ROLES) & members)
    partner = NetworkPartner.objects.unscoped().filter(network=network, user=user).first()
    manage = frozenset(_grants(user, [Role.TRUST_EXECUTIVE]))
    access = NetworkAccess(network, member_ids, partner, manage)
    return access if access.allowed else NO_ACCESS


def visible_networks(user: Any) -> list[tuple[Network, NetworkAccess]]:
    """Every network the user may see, with their access to it."""
    if user is None or not getattr(user, "is_authenticated", False):
        return []
    found = []
    for network in Network.objects.unscoped().order_by("name"):
        access = access_for(user, network)
        if access.allowed:
            found.append((network, access))
    return found


def network_or_404(user: Any, network_slug: str) -> NetworkAccess:
    """The network by slug if the user may see it; 404 otherwise (also for a real network)."""
    network = Network.objects.unscoped().filter(slug=network_slug).first()
    access = access_for(user, network)
    if not access.allowed:
        raise Http404("No such network.")
    return access

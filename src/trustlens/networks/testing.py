"""Scoping meta-test parameters of the networks app: a network the academy's trust belongs to
(so users of other trusts, and academy staff, must be refused)."""

from trustlens.core.testing import scope_param


@scope_param("network_slug")
def network_in(academy):
    from trustlens.networks.models import Membership, Network

    network, _ = Network.objects.unscoped().get_or_create(
        slug=f"net-{academy.trust.slug}", defaults={"name": "Test local network"}
    )
    Membership.objects.unscoped().get_or_create(
        network=network,
        trust=academy.trust,
        defaults={"shares": ["attendance"], "contact_name": "Contact"},
    )
    return network.slug

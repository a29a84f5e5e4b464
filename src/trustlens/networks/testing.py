"""Scoping meta-test parameters of the networks app: a network the academy's trust belongs to
(so users of other trusts, and academy staff, must be refused)."""

from trustlens.core.testing import scope_param


def _network(academy):
    from trustlens.networks.models import Membership, Network

    network, _ = Network.objects.unscoped().get_or_create(
        slug=f"net-{academy.trust.slug}", defaults={"name": "Test local network"}
    )
    Membership.objects.unscoped().get_or_create(
        network=network,
        trust=academy.trust,
        defaults={"shares": ["attendance"], "contact_name": "Contact"},
    )
    return network


@scope_param("network_slug")
def network_in(academy):
    return _network(academy).slug


@scope_param("request_id")
def request_in(academy):
    from trustlens.networks.models import ServiceRequest, SharedService

    service, _ = SharedService.objects.unscoped().get_or_create(
        network=_network(academy),
        provider=academy.trust,
        title="Test outreach",
        defaults={"kind": "cpd", "units_available": 5},
    )
    return (
        ServiceRequest.objects.unscoped()
        .create(service=service, requester=academy.trust, units_requested=1)
        .pk
    )

"""factory_boy factories for the networks app's records."""

import factory

from trustlens.networks import models


class NetworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Network

    slug = factory.Sequence(lambda n: f"network-{n}")
    name = factory.Sequence(lambda n: f"Local Network {n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Membership

    network = factory.SubFactory(NetworkFactory)
    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    shares = factory.LazyFunction(lambda: ["attendance", "exclusions"])
    contact_name = "Data lead"

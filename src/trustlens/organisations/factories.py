"""factory_boy factories for the organisation tree (tests and demos)."""

from __future__ import annotations

import factory

from trustlens.organisations.models import Academy, Cluster, Region, Trust


class TrustFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Trust
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"trust-{n}")
    name = factory.Sequence(lambda n: f"Test Learning Trust {n}")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region

    trust = factory.SubFactory(TrustFactory)
    name = factory.Sequence(lambda n: f"Region {n}")


class ClusterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cluster

    region = factory.SubFactory(RegionFactory)
    name = factory.Sequence(lambda n: f"Cluster {n}")


class AcademyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Academy

    cluster = factory.SubFactory(ClusterFactory)
    trust = factory.LazyAttribute(lambda o: o.cluster.region.trust)
    urn = factory.Sequence(lambda n: 140000 + n)
    laestab = factory.Sequence(lambda n: 8882000 + n)
    name = factory.Sequence(lambda n: f"Academy Number {n}")
    phase = "secondary"

"""factory_boy factories for dashboards records (tests and demos)."""

from __future__ import annotations

import factory

from trustlens.dashboards import models


class RagThresholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.RagThreshold

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    measure = "a8"
    material = 5.0

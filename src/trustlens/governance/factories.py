"""factory_boy factories for how the trust works (tests and the scoping meta-test)."""

from __future__ import annotations

import datetime as dt

import factory

from trustlens.governance import models
from trustlens.governance.choices import Stance


class UnscopedGetOrCreate(factory.django.DjangoModelFactory):
    """``django_get_or_create`` looks the record up as system work (reads must be scoped)."""

    class Meta:
        abstract = True

    @classmethod
    def _get_manager(cls, model_class):
        return model_class.objects.unscoped()


class DomainFactory(UnscopedGetOrCreate):
    class Meta:
        model = models.Domain
        django_get_or_create = ("trust", "code")

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    code = "assessment"
    name = "Assessment"


class ProposalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Proposal

    domain = factory.SubFactory(DomainFactory)
    phase = "secondary"
    stance = Stance.STANDARDISE
    effective_from = dt.date(2026, 9, 1)
    proposed_by = factory.SubFactory("trustlens.people.factories.UserFactory")


class VersionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Version

    domain = factory.SubFactory(DomainFactory)
    phase = "secondary"
    number = factory.Sequence(lambda n: n + 1)
    stance = Stance.ALIGN
    effective_from = dt.date(2024, 9, 1)
    adopted_on = dt.date(2024, 7, 1)


class RuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.AutonomyRule

    domain = factory.SubFactory(DomainFactory)
    phase = "secondary"
    min_stage = "lead"
    stance = Stance.AUTONOMY


class DeviationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Deviation

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    domain = factory.LazyAttribute(lambda o: DomainFactory(trust=o.academy.trust))
    reason = "Our exam board differs for one subject."
    review_on = dt.date(2027, 7, 1)
    requested_by = factory.SubFactory("trustlens.people.factories.UserFactory")


class FrameworkFactory(UnscopedGetOrCreate):
    class Meta:
        model = models.Framework
        django_get_or_create = ("trust", "code")

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    code = "effective-trust"
    name = "Effective trust self-evaluation"


class ItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Item

    framework = factory.SubFactory(FrameworkFactory)
    area = "Vision and culture"
    code = factory.Sequence(lambda n: f"Q{n}")
    question = "Do staff describe the trust's purpose in the same words?"


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Round

    framework = factory.SubFactory(FrameworkFactory)
    title = factory.Sequence(lambda n: f"Round {n}")
    held_on = dt.date(2025, 7, 1)

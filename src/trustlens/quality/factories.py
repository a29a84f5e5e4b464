"""factory_boy factories for quality assurance records (tests and demos)."""

from __future__ import annotations

import datetime as dt

import factory

from trustlens.quality import models
from trustlens.quality.choices import (
    ActivityKind,
    ActivityStatus,
    FindingKind,
    FrameworkStatus,
    ParticipantRole,
)


class FrameworkFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Framework

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    name = factory.Sequence(lambda n: f"QA framework {n}")
    status = FrameworkStatus.ACTIVE


class FrameworkAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FrameworkArea

    framework = factory.SubFactory(FrameworkFactory)
    name = factory.Sequence(lambda n: f"Area {n}")
    theme = "teaching"


class FrameworkPromptFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FrameworkPrompt

    area = factory.SubFactory(FrameworkAreaFactory)
    text = "How well do pupils remember what they were taught?"


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Activity

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    kind = ActivityKind.LEARNING_WALK
    title = factory.Sequence(lambda n: f"QA activity {n}")
    scheduled_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=14))
    status = ActivityStatus.PLANNED


class ParticipantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Participant

    activity = factory.SubFactory(ActivityFactory)
    role = ParticipantRole.REVIEWER
    name = factory.Sequence(lambda n: f"Reviewer {n}")


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Evidence

    activity = factory.SubFactory(ActivityFactory)
    title = factory.Sequence(lambda n: f"Evidence {n}")
    note = "Notes from the walk."


class FindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Finding

    activity = factory.SubFactory(ActivityFactory)
    kind = FindingKind.DEVELOPMENT
    text = factory.Sequence(lambda n: f"Finding {n}: retrieval practice is inconsistent.")


class ModerationSessionFactory(factory.django.DjangoModelFactory):
    """A moderation session; pass ``academies=[...]`` (default: none) for who takes part."""

    class Meta:
        model = models.ModerationSession
        skip_postgeneration_save = True

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    title = factory.Sequence(lambda n: f"Year 6 writing moderation {n}")
    subject = "Writing"
    year_group = 6
    held_on = factory.LazyFunction(dt.date.today)

    @factory.post_generation
    def academies(self, create, extracted, **kwargs):
        if create and extracted:
            through = models.ModerationSession.academies.through
            through.objects.bulk_create(
                [through(moderationsession=self, academy=academy) for academy in extracted]
            )


class ModerationSampleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.ModerationSample

    session = factory.SubFactory(ModerationSessionFactory)
    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    reference = factory.Sequence(lambda n: f"S-{n:02d}")
    submitted = "EXS"
    agreed = "EXS"

"""factory_boy factories for people records (tests and demos)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import factory

from trustlens.development import models
from trustlens.development.choices import (
    Area,
    GuskeyLevel,
    InquiryKind,
    Level,
    ProgrammeKind,
    Readiness,
)

ACADEMY = "trustlens.organisations.factories.AcademyFactory"
TRUST = "trustlens.organisations.factories.TrustFactory"


class StaffFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StaffMember

    academy = factory.SubFactory(ACADEMY)
    name = factory.Sequence(lambda n: f"Staff Member {n}")
    job_title = "Teacher"
    days_available = Decimal(10)
    consent_to_deploy = True


class ExpertiseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Expertise

    staff = factory.SubFactory(StaffFactory)
    area = Area.SUBJECT
    topic = "maths"
    level = Level.EXPERT


class NeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Need

    academy = factory.SubFactory(ACADEMY)
    title = factory.Sequence(lambda n: f"Need {n}")
    area = Area.SUBJECT
    topic = "maths"
    level_needed = Level.EXPERT
    days_needed = Decimal(5)
    raised_on = factory.LazyFunction(dt.date.today)


class DeploymentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Deployment

    staff = factory.SubFactory(StaffFactory)
    from_academy = factory.LazyAttribute(lambda o: o.staff.academy)
    to_academy = factory.SubFactory(ACADEMY)
    purpose = "Support with maths teaching"
    starts_on = factory.LazyFunction(dt.date.today)
    ends_on = factory.LazyAttribute(lambda o: o.starts_on + dt.timedelta(days=14))
    days = Decimal(5)


class CoachingModelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CoachingModel

    trust = factory.SubFactory(TRUST)
    name = factory.Sequence(lambda n: f"Coaching model {n}")


class CoachingPairFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CoachingPair

    coachee = factory.SubFactory(StaffFactory)
    coach = factory.SubFactory(StaffFactory, academy=factory.SelfAttribute("..coachee.academy"))
    started_on = factory.LazyFunction(lambda: dt.date.today() - dt.timedelta(days=60))


class CoachingSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CoachingSession

    pair = factory.SubFactory(CoachingPairFactory)
    held_on = factory.LazyFunction(dt.date.today)
    focus = "Checking for understanding"
    action_step = "Cold call three pupils before moving on"


class CpdSessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CpdSession

    host_academy = factory.SubFactory(ACADEMY)
    title = factory.Sequence(lambda n: f"Joint CPD {n}")
    held_on = factory.LazyFunction(dt.date.today)


class CpdEvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.CpdEvaluation

    session = factory.SubFactory(CpdSessionFactory)
    level = GuskeyLevel.REACTION
    evidence = "Exit survey"


class InquiryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.InquiryProject

    lead_academy = factory.SubFactory(ACADEMY)
    kind = InquiryKind.LESSON_STUDY
    question = factory.Sequence(lambda n: f"How do pupils explain their reasoning? ({n})")
    started_on = factory.LazyFunction(dt.date.today)


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Programme

    trust = factory.SubFactory(TRUST)
    name = factory.Sequence(lambda n: f"Programme {n}")
    kind = ProgrammeKind.NPQ


class KeyRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.KeyRole

    academy = factory.SubFactory(ACADEMY)
    title = factory.Sequence(lambda n: f"Key role {n}")


class SuccessorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Successor

    role = factory.SubFactory(KeyRoleFactory)
    staff = factory.SubFactory(StaffFactory, academy=factory.SelfAttribute("..role.academy"))
    readiness = Readiness.READY_LATER

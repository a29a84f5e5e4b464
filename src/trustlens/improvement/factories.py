"""factory_boy factories for improvement records (tests and demos)."""

from __future__ import annotations

import datetime as dt

import factory

from trustlens.core.choices import Theme
from trustlens.improvement import models
from trustlens.improvement.choices import ActionStatus, PlanStatus, SupportProvider


class StageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Stage

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    code = factory.Sequence(lambda n: f"stage{n}")
    label = factory.Sequence(lambda n: f"Stage {n}")
    order = factory.Sequence(lambda n: n)


class StageChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.StageChange

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    stage = "improve"
    previous_stage = "stabilise"
    changed_on = factory.LazyFunction(dt.date.today)


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Plan

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    title = factory.Sequence(lambda n: f"Improvement plan {n}")
    academic_year = "2025/26"
    status = PlanStatus.ACTIVE


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Priority

    plan = factory.SubFactory(PlanFactory)
    theme = Theme.TEACHING
    title = factory.Sequence(lambda n: f"Priority {n}: consistent teaching")
    rag = "amber"


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Objective

    priority = factory.SubFactory(PriorityFactory)
    title = factory.Sequence(lambda n: f"Objective {n}")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Milestone

    objective = factory.SubFactory(ObjectiveFactory)
    title = factory.Sequence(lambda n: f"Milestone {n}")
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=30))


class PlanReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PlanReview

    plan = factory.SubFactory(PlanFactory)
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=60))


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Action

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    title = factory.Sequence(lambda n: f"Action {n}")
    due_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=21))
    status = ActionStatus.OPEN


class FollowUpFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.FollowUp

    action = factory.SubFactory(ActionFactory)
    note = "Checked in with the owner."
    status = ActionStatus.IN_PROGRESS


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.Support

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    provider = SupportProvider.CENTRAL
    description = factory.Sequence(lambda n: f"Support {n}: curriculum coaching")
    requested_on = factory.LazyFunction(dt.date.today)
    days = 2
    cost = 800

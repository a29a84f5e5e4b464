"""factory_boy factories for pupils, enrolments and classes."""

from __future__ import annotations

import datetime as dt

import factory

from trustlens.organisations.factories import AcademyFactory
from trustlens.pupils.models import Enrolment, GroupMembership, Pupil, TeachingGroup


class PupilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Pupil

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    pupil_id = factory.Sequence(lambda n: f"T{n:06d}")
    upn = factory.Sequence(lambda n: f"A{n:012d}")
    surname = factory.Sequence(lambda n: f"Surname{n}")
    forename = factory.Sequence(lambda n: f"Forename{n}")
    date_of_birth = dt.date(2012, 3, 1)
    sex = "F"


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    academy = factory.SubFactory(AcademyFactory)
    pupil = factory.SubFactory(PupilFactory, trust=factory.SelfAttribute("..academy.trust"))
    year_group = 8
    start_date = dt.date(2024, 9, 1)


class TeachingGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TeachingGroup

    academy = factory.SubFactory(AcademyFactory)
    name = factory.Sequence(lambda n: f"8X{n}")
    academic_year = "2026/27"
    year_group = 8


class GroupMembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GroupMembership

    group = factory.SubFactory(TeachingGroupFactory)
    pupil = factory.SubFactory(PupilFactory)

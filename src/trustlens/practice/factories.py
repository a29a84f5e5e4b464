"""factory_boy factories for practice records (tests and demos)."""

from __future__ import annotations

import datetime as dt

import factory

from trustlens.practice import models
from trustlens.practice.choices import ProfileSource


class PracticeProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.PracticeProfile

    academy = factory.SubFactory("trustlens.organisations.factories.AcademyFactory")
    academic_year = "2024/25"
    area = "behaviour"
    score = 3.5
    respondents = 8
    source = ProfileSource.IMPORT


class DataSharingRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = models.DataSharingRecord

    trust = factory.SubFactory("trustlens.organisations.factories.TrustFactory")
    recipient = "Dr A Researcher"
    organisation = "University of Example"
    purpose = "Which trust practices are associated with pupils' progress"
    academic_year = "2024/25"
    expires_on = factory.LazyFunction(lambda: dt.date.today() + dt.timedelta(days=180))
    salt = factory.Faker("hexify", text="^" * 32)

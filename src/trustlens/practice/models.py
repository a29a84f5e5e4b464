"""Practice survey records: who completed (never what they said), the anonymous responses,
academy practice profiles (survey or imported) and data-sharing records for extracts."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from trustlens.core.scoping import ScopedModel
from trustlens.practice.choices import ProfileSource, RespondentRole


class SurveyCompletion(ScopedModel):
    """That a person completed the survey for an academy and year (so nobody answers twice).
    Holds no answer, and no link to the response it accompanied."""

    scope_academy_path = "academy"

    academy = models.ForeignKey("organisations.Academy", on_delete=models.CASCADE)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    instrument_version = models.CharField(max_length=20)
    academic_year = models.CharField(max_length=7)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["academy", "user", "instrument_version", "academic_year"],
                name="practice_one_completion_each",
            )
        ]

    def __str__(self) -> str:
        return f"Survey {self.instrument_version} completed for {self.academy} {self.academic_year}"


class SurveyResponse(ScopedModel):
    """One anonymous response: a random id, no user, no time; answers {item code: 1-5}."""

    scope_academy_path = "academy"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    academy = models.ForeignKey("organisations.Academy", on_delete=models.CASCADE)
    instrument_version = models.CharField(max_length=20)
    academic_year = models.CharField(max_length=7)
    role = models.CharField(max_length=10, choices=RespondentRole.choices)
    answers = models.JSONField(default=dict)
    comments = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Anonymous response for {self.academy} {self.academic_year}"


class PracticeProfile(ScopedModel):
    """The academy's mean score on one area in one year, and how many responded."""

    scope_academy_path = "academy"

    academy = models.ForeignKey("organisations.Academy", on_delete=models.CASCADE)
    academic_year = models.CharField(max_length=7)
    area = models.CharField(max_length=30)
    score = models.FloatField(validators=[MinValueValidator(1), MaxValueValidator(5)])
    respondents = models.PositiveIntegerField()
    source = models.CharField(max_length=10, choices=ProfileSource.choices)

    class Meta:
        ordering = ["academy__name", "academic_year", "area"]
        constraints = [
            models.UniqueConstraint(
                fields=["academy", "academic_year", "area"], name="practice_one_profile_each"
            )
        ]

    def __str__(self) -> str:
        return f"{self.academy} {self.academic_year} {self.area}: {self.score:.2f}"


class DataSharingRecord(ScopedModel):
    """An agreement to share a pseudonymised extract: who, why, until when."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey("organisations.Trust", on_delete=models.CASCADE)
    recipient = models.CharField(max_length=200, help_text="Who receives the extract")
    organisation = models.CharField(max_length=200, help_text="Their organisation")
    purpose = models.TextField(help_text="The research question the extract is for")
    academic_year = models.CharField(max_length=7, help_text='e.g. "2024/25"')
    expires_on = models.DateField(help_text="After this date the extract can't be downloaded")
    salt = models.CharField(max_length=32, default="", editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Extract for {self.recipient} ({self.organisation}) until {self.expires_on}"

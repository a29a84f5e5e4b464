"""Choices of the practice app: respondent roles, profile sources, the survey threshold."""

from __future__ import annotations

import datetime as dt

from django.db import models

#: Results (a profile, an area mean) are shown only where at least this many staff responded.
MIN_RESPONDENTS = 5


class RespondentRole(models.TextChoices):
    LEADER = "leader", "Leader"
    TEACHER = "teacher", "Teacher"


class ProfileSource(models.TextChoices):
    SURVEY = "survey", "trustlens survey"
    IMPORT = "import", "imported (practice_profile.csv)"


class Outcome(models.TextChoices):
    VA = "va", "In-year value added (SD units)"
    P8 = "p8", "Progress 8 (P8 points)"
    ATTENDANCE = "attendance", "Attendance (percentage points)"


def academic_year(today: dt.date) -> str:
    """ "2025/26" for a date from 1 September 2025 to 31 August 2026."""
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{(start + 1) % 100:02d}"

"""Allowed values of the assessment calendar."""

from django.db import models


class WindowStatus(models.TextChoices):
    """A cell of the completeness grid: one academy in one assessment window."""

    SUBMITTED = "submitted", "Submitted"
    LATE = "late", "Late"
    OPEN = "open", "Open"
    UPCOMING = "upcoming", "Not open yet"

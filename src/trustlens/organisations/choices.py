"""Allowed values for the organisation tree (DfE vocabulary where it exists)."""

from django.db import models


class Phase(models.TextChoices):
    PRIMARY = "primary", "Primary"
    SECONDARY = "secondary", "Secondary"
    ALL_THROUGH = "all-through", "All-through"
    SPECIAL = "special", "Special"
    ALTERNATIVE = "alternative", "Alternative provision"


class AcademyType(models.TextChoices):
    CONVERTER = "converter", "Academy converter"
    SPONSORED = "sponsored", "Academy sponsor led"
    FREE_SCHOOL = "free_school", "Free school"
    SPECIAL = "special", "Academy special"
    AP = "alternative", "Academy alternative provision"
    OTHER = "other", "Other"


class OfstedGrade(models.TextChoices):
    OUTSTANDING = "1", "Outstanding"
    GOOD = "2", "Good"
    REQUIRES_IMPROVEMENT = "3", "Requires improvement"
    INADEQUATE = "4", "Inadequate"
    NOT_INSPECTED = "", "Not yet inspected"


class ImprovementStage(models.TextChoices):
    """Default improvement journey; trusts can rename stages in the improvement app."""

    STABILISE = "stabilise", "Stabilise"
    IMPROVE = "improve", "Improve"
    SUSTAIN = "sustain", "Sustain"
    LEAD = "lead", "Lead"

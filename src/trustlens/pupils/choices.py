"""Allowed values for pupil characteristics (DfE school census codes)."""

from django.db import models


class Sex(models.TextChoices):
    FEMALE = "F", "Female"
    MALE = "M", "Male"


class SEN(models.TextChoices):
    NONE = "N", "No special educational need"
    SUPPORT = "K", "SEN support"
    EHCP = "E", "Education, health and care plan"


class LeavingReason(models.TextChoices):
    """Why an enrolment ended; 'unknown' with no onward school is the EPI unexplained-exit signal."""

    TRANSFER_STATE = "transfer_state", "Moved to another state-funded school"
    TRANSFER_INDEPENDENT = "transfer_independent", "Moved to an independent school"
    ELECTIVE_HOME = "elective_home", "Elective home education"
    EMIGRATED = "emigrated", "Left England"
    PERMANENT_EXCLUSION = "permanent_exclusion", "Permanently excluded"
    END_OF_PHASE = "end_of_phase", "Completed the phase"
    UNKNOWN = "unknown", "Unknown / not recorded"

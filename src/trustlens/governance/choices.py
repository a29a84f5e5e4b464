"""Allowed values of how the trust works: stances, proposal and deviation states, scores."""

from django.db import models


class Stance(models.TextChoices):
    """How tightly the trust holds a practice (Ofsted/CST language of MAT "non-negotiables")."""

    STANDARDISE = "standardise", "Standardise"
    ALIGN = "align", "Align"
    AUTONOMY = "autonomy", "Autonomy"


#: Tightness order: a lower number holds the practice more tightly.
TIGHTNESS = {Stance.STANDARDISE: 0, Stance.ALIGN: 1, Stance.AUTONOMY: 2}


class ProposalStatus(models.TextChoices):
    OPEN = "open", "Open for consultation"
    ADOPTED = "adopted", "Adopted"
    REJECTED = "rejected", "Not adopted"


class DeviationStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    APPROVED = "approved", "Approved"
    REFUSED = "refused", "Refused"


class Score(models.IntegerChoices):
    """A four-point self-evaluation scale (CST Trust Development Framework style)."""

    FOCUS = 1, "1 · A focus for development"
    DEVELOPING = 2, "2 · Developing"
    SECURE = 3, "3 · Secure"
    STRONG = 4, "4 · Strong, could support others"


#: The domains a new trust's matrix starts with (editable afterwards).
DEFAULT_DOMAINS = (
    ("curriculum", "Curriculum"),
    ("assessment", "Assessment"),
    ("pedagogy", "Pedagogy"),
    ("behaviour", "Behaviour"),
    ("attendance", "Attendance"),
    ("send", "SEND"),
    ("cpd", "CPD"),
    ("data", "Data"),
    ("finance", "Finance"),
    ("hr", "HR"),
    ("estates", "Estates"),
    ("it", "IT"),
    ("safeguarding", "Safeguarding"),
)

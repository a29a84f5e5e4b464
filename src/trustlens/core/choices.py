"""Choices shared by several apps: terms, themes (the common language of QA, plans and support) and RAG."""

from django.db import models


class Term(models.TextChoices):
    """A term of the academic year (assessment windows, intervention pre- and post-tests)."""

    AUTUMN = "autumn", "Autumn"
    SPRING = "spring", "Spring"
    SUMMER = "summer", "Summer"


class Theme(models.TextChoices):
    """What a priority (or a QA framework area) is about: the common language that lets
    triangulation put QA findings, plan priorities and support side by side."""

    CULTURE = "culture", "Culture and ethos"
    LEADERSHIP = "leadership", "Leadership"
    GOVERNANCE = "governance", "Governance"
    ATTENDANCE = "attendance", "Attendance"
    BEHAVIOUR = "behaviour", "Behaviour and attitudes"
    TEACHING = "teaching", "Teaching and learning"
    CURRICULUM = "curriculum", "Curriculum"
    ASSESSMENT = "assessment", "Assessment"
    SEND = "send", "SEND and inclusion"
    SAFEGUARDING = "safeguarding", "Safeguarding culture"
    VARIABILITY = "variability", "Variability within the academy"
    OTHER = "other", "Other"


class Rag(models.TextChoices):
    """A RAG rating; pages always show the word, never the colour alone."""

    NOT_RATED = "", "Not yet rated"
    RED = "red", "Red: off track"
    AMBER = "amber", "Amber: some concerns"
    GREEN = "green", "Green: on track"


#: tl-tag modifier and short word for each RAG value (colour never carries meaning alone).
RAG_TAGS = {
    "red": ("tl-tag--red", "Red"),
    "amber": ("tl-tag--amber", "Amber"),
    "green": ("tl-tag--green", "Green"),
    "": ("", "Not rated"),
}

"""Allowed values for improvement records: priority themes, RAG ratings, statuses, support."""

from django.db import models


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


class PlanStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    ACTIVE = "active", "Active"
    CLOSED = "closed", "Closed"


class ActionStatus(models.TextChoices):
    OPEN = "open", "Open"
    IN_PROGRESS = "in_progress", "In progress"
    DONE = "done", "Done"
    DROPPED = "dropped", "Dropped"


#: Statuses after which an action can no longer be overdue.
CLOSED_ACTION_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.DROPPED})


class SupportProvider(models.TextChoices):
    """Who gives the support."""

    CENTRAL = "central", "Trust central team"
    ACADEMY = "academy", "Another academy"
    CLUSTER = "cluster", "Cluster"
    EXTERNAL = "external", "External (another trust, authority, consultant...)"


class SupportStatus(models.TextChoices):
    REQUESTED = "requested", "Requested"
    AGREED = "agreed", "Agreed"
    GIVEN = "given", "Given"
    DECLINED = "declined", "Declined"

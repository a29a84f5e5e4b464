"""Allowed values for improvement records: statuses and support (themes and RAG: core.choices)."""

from django.db import models


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

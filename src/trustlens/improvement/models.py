"""Improvement records: each academy's stage and its history, the standard-format plan
(priorities -> objectives -> actions and milestones -> review points), actions with follow-up,
and the support ledger.

Scoping: every record belongs to one academy (``scope_academy_path``), except a trust's stage
names (``scope_trust_path``). Changing an academy's stage through ``services.change_stage`` also
updates ``Academy.improvement_stage`` so the rest of trustlens sees the current stage.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models

from trustlens.core.choices import Rag, Theme
from trustlens.core.fields import optional_link, optional_user
from trustlens.core.scoping import ScopedModel
from trustlens.improvement.choices import (
    CLOSED_ACTION_STATUSES,
    ActionStatus,
    PlanStatus,
    SupportProvider,
    SupportStatus,
)
from trustlens.organisations.models import Academy, Cluster, Trust

USER = settings.AUTH_USER_MODEL
MONEY = {"max_digits": 10, "decimal_places": 2}


class Stage(ScopedModel):
    """A stage of a trust's improvement journey, as the trust names it."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="improvement_stages")
    code = models.SlugField(
        max_length=20, help_text="Short code kept in the academy's record, e.g. stabilise."
    )
    label = models.CharField(max_length=60)
    description = models.TextField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["trust", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "code"], name="improvement_stage_unique_code")
        ]

    def __str__(self) -> str:
        return self.label


class StageChange(ScopedModel):
    """One move of an academy along its improvement journey."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="stage_changes")
    stage = models.CharField(max_length=20)
    previous_stage = models.CharField(max_length=20, blank=True)
    changed_on = models.DateField()
    reason = models.TextField(blank=True)
    changed_by = optional_user()
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["academy", "-changed_on", "-pk"]

    def __str__(self) -> str:
        return f"{self.previous_stage or '–'} -> {self.stage} on {self.changed_on}"


class Plan(ScopedModel):
    """An academy's improvement plan in the trust's standard format."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="improvement_plans")
    title = models.CharField(max_length=200)
    academic_year = models.CharField(max_length=7, help_text='e.g. "2025/26".')
    status = models.CharField(max_length=10, choices=PlanStatus.choices, default=PlanStatus.ACTIVE)
    summary = models.TextField(blank=True, help_text="Where the academy is and what matters most.")
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["academy", "-academic_year", "-pk"]

    def __str__(self) -> str:
        return f"{self.title} ({self.academic_year})"


class Priority(ScopedModel):
    """A priority of a plan (culture, leadership, attendance...), rated RAG."""

    scope_academy_path = "plan__academy"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="priorities")
    theme = models.CharField(max_length=20, choices=Theme.choices)
    title = models.CharField(max_length=200)
    rationale = models.TextField(blank=True, help_text="Why this is a priority: the evidence.")
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["plan", "order", "pk"]
        verbose_name_plural = "priorities"

    def __str__(self) -> str:
        return self.title


class Objective(ScopedModel):
    """What a priority will achieve, with its success criteria."""

    scope_academy_path = "priority__plan__academy"

    priority = models.ForeignKey(Priority, on_delete=models.CASCADE, related_name="objectives")
    title = models.CharField(max_length=200)
    success_criteria = models.TextField(blank=True)
    rag = models.CharField("RAG", max_length=5, choices=Rag.choices, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["priority", "order", "pk"]

    def __str__(self) -> str:
        return self.title


class Milestone(ScopedModel):
    """A checkpoint on the way to an objective."""

    scope_academy_path = "objective__priority__plan__academy"

    objective = models.ForeignKey(Objective, on_delete=models.CASCADE, related_name="milestones")
    title = models.CharField(max_length=200)
    due_on = models.DateField()
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["objective", "due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def missed(self) -> bool:
        return self.achieved_on is None and self.due_on < dt.date.today()


class PlanReview(ScopedModel):
    """A review point of a plan: due on a date, then held, with the RAG of every priority."""

    scope_academy_path = "plan__academy"

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="reviews")
    due_on = models.DateField("review due")
    held_on = models.DateField(null=True, blank=True)
    overall_rag = models.CharField("overall RAG", max_length=5, choices=Rag.choices, blank=True)
    summary = models.TextField(blank=True)
    priority_rags = models.JSONField(
        default=dict, blank=True, help_text="Each priority's RAG when the review was held."
    )
    reviewed_by = optional_user()

    class Meta:
        ordering = ["plan", "due_on", "pk"]

    def __str__(self) -> str:
        return f"Review of {self.plan} due {self.due_on}"


class Action(ScopedModel):
    """Something someone will do by a date: from a QA finding, for a plan objective, or both."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(
        Academy, on_delete=models.CASCADE, related_name="improvement_actions"
    )
    title = models.CharField(max_length=200)
    detail = models.TextField(blank=True)
    owner = optional_user("improvement_actions")
    due_on = models.DateField("due date")
    status = models.CharField(
        max_length=12, choices=ActionStatus.choices, default=ActionStatus.OPEN
    )
    finding = optional_link("quality.Finding", "actions")
    priority = optional_link(Priority, "actions")
    objective = optional_link(Objective, "actions")
    completed_on = models.DateField(null=True, blank=True)
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["due_on", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def is_overdue(self) -> bool:
        return self.status not in CLOSED_ACTION_STATUSES and self.due_on < dt.date.today()


class FollowUp(ScopedModel):
    """A follow-up note on an action, with the status it left the action in."""

    scope_academy_path = "action__academy"

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="follow_ups")
    note = models.TextField()
    status = models.CharField(max_length=12, choices=ActionStatus.choices)
    by = optional_user()
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["action", "at", "pk"]

    def __str__(self) -> str:
        return f"{self.get_status_display()}: {self.note[:60]}"


class Support(ScopedModel):
    """The support ledger: support an academy asked for and was given, its days and cost."""

    scope_academy_path = "academy"

    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="support_received")
    provider = models.CharField("from", max_length=10, choices=SupportProvider.choices)
    provider_academy = optional_link(
        Academy, "support_given", help_text="When another academy gives it."
    )
    provider_cluster = optional_link(Cluster, "+", help_text="When a cluster gives it.")
    provider_name = models.CharField(
        "provider details",
        max_length=200,
        blank=True,
        help_text="Who exactly: a person, team, trust or organisation.",
    )
    description = models.TextField("what support")
    priority = optional_link(Priority, "support")
    activity = optional_link(
        "quality.Activity",
        "support",
        help_text="The QA activity (e.g. a peer review) it follows from.",
    )
    status = models.CharField(
        max_length=10, choices=SupportStatus.choices, default=SupportStatus.REQUESTED
    )
    requested_on = models.DateField()
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    days = models.DecimalField(max_digits=6, decimal_places=1, default=0)
    cost = models.DecimalField("cost (£)", default=0, **MONEY)
    stage_at_request = models.CharField(
        "academy's stage when requested", max_length=20, blank=True, editable=False
    )
    outcome = models.TextField("what followed", blank=True)
    created_by = optional_user()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_on", "-pk"]
        verbose_name_plural = "support"

    def __str__(self) -> str:
        return f"{self.get_provider_display()}: {self.description[:60]}"

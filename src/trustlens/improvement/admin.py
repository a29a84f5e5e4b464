"""improvement: admin for superusers running the installation (every row, explicitly unscoped).

Relations to scoped models use raw id fields: a select box would query them without a scope.
"""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
from trustlens.improvement.models import (
    Action,
    FollowUp,
    Milestone,
    Objective,
    Plan,
    PlanReview,
    Priority,
    Stage,
    StageChange,
    Support,
)


@admin.register(Stage)
class StageAdmin(UnscopedAdmin):
    list_display = ("label", "code", "trust", "order")
    raw_id_fields = ("trust",)


@admin.register(StageChange)
class StageChangeAdmin(UnscopedAdmin):
    list_display = ("academy", "previous_stage", "stage", "changed_on", "changed_by")
    raw_id_fields = ("academy", "changed_by")


@admin.register(Plan)
class PlanAdmin(UnscopedAdmin):
    list_display = ("title", "academy", "academic_year", "status")
    list_filter = ("status", "academic_year")
    raw_id_fields = ("academy", "created_by")


@admin.register(Priority)
class PriorityAdmin(UnscopedAdmin):
    list_display = ("title", "plan", "theme", "rag", "order")
    list_filter = ("theme", "rag")
    raw_id_fields = ("plan",)


@admin.register(Objective)
class ObjectiveAdmin(UnscopedAdmin):
    list_display = ("title", "priority", "rag")
    raw_id_fields = ("priority",)


@admin.register(Milestone)
class MilestoneAdmin(UnscopedAdmin):
    list_display = ("title", "objective", "due_on", "achieved_on")
    raw_id_fields = ("objective",)


@admin.register(PlanReview)
class PlanReviewAdmin(UnscopedAdmin):
    list_display = ("plan", "due_on", "held_on", "overall_rag")
    raw_id_fields = ("plan", "reviewed_by")


@admin.register(Action)
class ActionAdmin(UnscopedAdmin):
    list_display = ("title", "academy", "owner", "due_on", "status")
    list_filter = ("status",)
    search_fields = ("title",)
    raw_id_fields = ("academy", "owner", "finding", "priority", "objective", "created_by")


@admin.register(FollowUp)
class FollowUpAdmin(UnscopedAdmin):
    list_display = ("action", "status", "by", "at")
    raw_id_fields = ("action", "by")


@admin.register(Support)
class SupportAdmin(UnscopedAdmin):
    list_display = ("academy", "provider", "status", "requested_on", "days", "cost")
    list_filter = ("provider", "status")
    raw_id_fields = (
        "academy",
        "provider_academy",
        "provider_cluster",
        "priority",
        "activity",
        "created_by",
    )

"""improvement: admin for superusers running the installation (every row, explicitly unscoped).

Relations to scoped models use raw id fields: a select box would query them without a scope.
"""

from trustlens.core.admin import register_unscoped as register
from trustlens.improvement import models as m

register(m.Stage, ("label", "code", "trust", "order"))
register(m.StageChange, ("academy", "previous_stage", "stage", "changed_on", "changed_by"))
register(
    m.Plan, ("title", "academy", "academic_year", "status"), list_filter=("status", "academic_year")
)
register(m.Priority, ("title", "plan", "theme", "rag", "order"), list_filter=("theme", "rag"))
register(m.Objective, ("title", "priority", "rag"))
register(m.Milestone, ("title", "objective", "due_on", "achieved_on"))
register(m.PlanReview, ("plan", "due_on", "held_on", "overall_rag"))
register(
    m.Action,
    ("title", "academy", "owner", "due_on", "status"),
    list_filter=("status",),
    search_fields=("title",),
)
register(m.FollowUp, ("action", "status", "by", "at"))
register(
    m.Support,
    ("academy", "provider", "status", "requested_on", "days", "cost"),
    list_filter=("provider", "status"),
)

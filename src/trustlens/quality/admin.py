"""quality: admin for superusers running the installation (every row, explicitly unscoped).

Relations to scoped models use raw id fields: a select box would query them without a scope.
"""

from trustlens.core.admin import register_unscoped as register
from trustlens.quality import models as m

register(m.QualitySettings, ("trust", "rating_enabled"))
register(
    m.Framework,
    ("name", "version", "trust", "status", "created_at"),
    list_filter=("status",),
    search_fields=("name",),
)
register(m.FrameworkArea, ("name", "framework", "theme", "order"))
register(m.FrameworkPrompt, ("__str__", "area", "order"))
register(
    m.Activity,
    ("title", "academy", "kind", "scheduled_on", "status", "review_stage"),
    list_filter=("kind", "status"),
    search_fields=("title",),
    date_hierarchy="scheduled_on",
)
register(
    m.Participant,
    ("__str__", "activity", "role", "home_academy", "organisation"),
    list_filter=("role",),
)
register(m.Evidence, ("title", "activity", "added_by", "added_at"))
register(m.Finding, ("__str__", "activity", "area", "kind", "recorded_at"), list_filter=("kind",))
register(m.ModerationSession, ("title", "trust", "subject", "year_group", "held_on"))
register(m.ModerationSample, ("reference", "session", "academy", "submitted", "agreed"))

"""governance: admin for superusers running the installation (every row, explicitly unscoped)."""

from trustlens.core.admin import register_unscoped as register
from trustlens.governance import models as m

register(m.Domain, ("name", "code", "trust", "order"))
register(
    m.Proposal, ("__str__", "status", "effective_from", "proposed_at"), list_filter=("status",)
)
register(m.Comment, ("__str__", "author", "written_at"))
register(m.Version, ("__str__", "stance", "effective_from", "adopted_on"))
register(m.AutonomyRule, ("__str__", "phase"))
register(m.Deviation, ("__str__", "status", "review_on"), list_filter=("status",))
register(m.Framework, ("name", "code", "trust"))
register(m.Item, ("code", "area", "framework"))
register(m.Round, ("title", "framework", "held_on"))
register(m.ItemScore, ("__str__", "round", "score"))

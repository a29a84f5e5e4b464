"""dashboards: admin for superusers running the installation (every row, explicitly unscoped)."""

from trustlens.core.admin import register_unscoped as register
from trustlens.dashboards import models as m

register(m.RagThreshold, ("trust", "measure", "material", "updated_at"))

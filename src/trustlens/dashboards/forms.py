"""dashboards: forms."""

"""dashboards: admin."""

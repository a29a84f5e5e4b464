"""dashboards: api."""

"""dashboards: models."""

"""The dashboards' small synthetic trust (records, store and summaries) for the pupil pages."""

from tests.dashboards.conftest import dash  # noqa: F401

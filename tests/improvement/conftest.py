"""Fixtures for improvement tests (shared with the QA tests)."""

from tests.quality.conftest import head_b, make_user, review_a  # noqa: F401

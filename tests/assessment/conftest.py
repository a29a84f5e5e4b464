"""Fixtures for the imports tests: a private store and media folder per test."""

from __future__ import annotations

import pytest

from trustlens.ingest.store import AnalyticalStore


@pytest.fixture(autouse=True)
def private_store(settings, tmp_path) -> AnalyticalStore:
    settings.STORE_DIR = tmp_path / "store"
    settings.MEDIA_ROOT = tmp_path / "media"
    return AnalyticalStore(settings.STORE_DIR)

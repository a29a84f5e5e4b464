"""Fixtures for the analytics suite: one backend fixture that runs every measure test on DuckDB
and on PySpark (one Spark session per run, local[2], UI off, bound to 127.0.0.1), and a small
planted-effect trust loaded into each backend."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

from planted import PlantedTrust, planted_trust  # noqa: E402
from tests.real_data import REAL_DATA  # noqa: E402

from trustlens.analytics import engine  # noqa: E402

REAL = REAL_DATA
BACKENDS = ["duckdb", pytest.param("pyspark", marks=pytest.mark.spark)]


def pytest_collection_modifyitems(config, items):
    """Tests that run on the PySpark backend carry the ``spark`` mark."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec and callspec.params.get("con") == "pyspark":
            item.add_marker(pytest.mark.spark)


@pytest.fixture(scope="session", params=BACKENDS)
def con(request):
    """An Ibis backend: the whole measures suite runs once per engine."""
    if request.param == "pyspark":
        pytest.importorskip("pyspark")
    return engine.connect(request.param)


@pytest.fixture(scope="session")
def trust() -> PlantedTrust:
    return planted_trust()


@pytest.fixture(scope="session")
def tables(con, trust):
    """The planted trust's datasets as Ibis tables on the current backend."""
    return {name: engine.load(con, name, frame) for name, frame in trust.tables.items()}


@pytest.fixture(scope="session")
def duck():
    """A DuckDB connection for tests that do not need both engines."""
    return engine.connect("duckdb")


def real(path: str) -> Path:
    """A file from the shared real-data folder (a missing file fails the test)."""
    full = REAL / path
    assert full.exists(), f"real data file missing: {full}"
    return full

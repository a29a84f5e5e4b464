"""A small synthetic trust generated once per test session, and a reader for its files."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import polars as pl
import pytest

from trustlens.synth import TrustTruth, generate_trust

#: 10 academies: 3 secondaries (high, low and improving effects), 7 primaries.
ACADEMIES, SEED = 10, 7


@dataclass
class Generated:
    folder: Path
    truth: TrustTruth
    json: dict = field(default_factory=dict)

    def read(self, name: str) -> pl.DataFrame:
        return _read(self.folder / f"{name}.csv")


@cache
def _read(path: Path) -> pl.DataFrame:
    overrides = {"value": pl.String} if path.stem == "assessment_results" else None
    return pl.read_csv(
        path, infer_schema_length=10_000, try_parse_dates=True, schema_overrides=overrides
    )


@pytest.fixture(scope="session")
def trust(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    folder = tmp_path_factory.mktemp("synth") / "trust"
    truth = generate_trust(folder, ACADEMIES, SEED)
    return Generated(folder, truth, json.loads((folder / "truth.json").read_text()))

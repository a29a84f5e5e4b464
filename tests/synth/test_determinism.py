"""Same arguments, same bytes: every file of a 60-academy trust is byte-identical on a re-run."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from trustlens.synth import DATASETS, generate_trust


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_sixty_academies_twice_are_byte_identical(tmp_path):
    started = time.perf_counter()
    generate_trust(tmp_path / "a", 60, 1)
    first_run = time.perf_counter() - started
    generate_trust(tmp_path / "b", 60, 1)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert set(a) == {f"{name}.csv" for name in DATASETS} | {"truth.json"}
    assert a == b
    assert first_run < 60, f"60 academies took {first_run:.1f} s"


def test_another_seed_gives_another_trust(tmp_path):
    generate_trust(tmp_path / "a", 4, 1, pupils_per_academy=80)
    generate_trust(tmp_path / "b", 4, 2, pupils_per_academy=80)
    a, b = _digests(tmp_path / "a"), _digests(tmp_path / "b")
    assert a["assessment_windows.csv"] == b["assessment_windows.csv"]
    assert a["pupils.csv"] != b["pupils.csv"]

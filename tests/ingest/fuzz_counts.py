"""How many examples each fuzz test ran, per importer, written to
``benchmarks/results/fuzz_examples.json`` (merged across the modules that count)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

RESULTS = Path(__file__).resolve().parents[2] / "benchmarks" / "results" / "fuzz_examples.json"
_counts: Counter[str] = Counter()


def count(importer: str) -> None:
    _counts[importer] += 1


def write_counts() -> dict[str, int]:
    """Merge this run's counts into the results file (keys of this run replaced)."""
    held = json.loads(RESULTS.read_text()) if RESULTS.exists() else {}
    held.update(_counts)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(dict(sorted(held.items())), indent=1) + "\n")
    return held

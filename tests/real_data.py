"""Where the real public DfE/EEF files live (``../shared/data/real`` beside the repository).

The tests never skip when they are missing: a missing folder fails the run, because tests
against the published tables are part of what "passing" means here. Set
``TRUSTLENS_REAL_DATA`` to point elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def _find() -> Path:
    repo = Path(__file__).resolve().parents[1]
    candidates = [
        os.environ.get("TRUSTLENS_REAL_DATA"),
        repo.parent / "shared" / "data" / "real",
        "/work/shared/data/real",
    ]
    for candidate in candidates:
        if candidate and (Path(candidate) / "SOURCES.md").exists():
            return Path(candidate)
    raise FileNotFoundError(
        "the real DfE/EEF data folder was not found; looked in "
        + ", ".join(str(c) for c in candidates if c)
        + " (set TRUSTLENS_REAL_DATA)"
    )


REAL_DATA: Path = _find()

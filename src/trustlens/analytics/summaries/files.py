"""Where a trust's summaries live on disk and how they are written and read back.

``<store>/<trust>/_summaries/``: ``facts.parquet`` (written last: readers reload when it
changes), ``meta.json``, ``pupil_latest.parquet`` and the value-added cells kept for the next
incremental build. Every file is written to a temporary name and renamed into place (atomic on
POSIX), so a reader never sees half a build.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Callable
from pathlib import Path

import pandas as pd

SUMMARY_DIR = "_summaries"
FACTS_FILE = "facts.parquet"
PUPILS_FILE = "pupil_latest.parquet"
META_FILE = "meta.json"
CELL_FILES = ("va_cells", "va_subject_cells", "va_class_cells")


def summary_dir(store_dir: str | Path, trust_slug: str) -> Path:
    return Path(store_dir) / trust_slug / SUMMARY_DIR


def previous_meta(directory: Path) -> dict | None:
    """The last build's metadata, or None when there is no complete build."""
    if not (directory / FACTS_FILE).exists() or not (directory / META_FILE).exists():
        return None
    return json.loads((directory / META_FILE).read_text())


def read_cells(directory: Path) -> dict[str, pd.DataFrame | None]:
    """The value-added cells the last build kept (name -> frame, None when absent)."""
    paths = {name: directory / f"{name}.parquet" for name in CELL_FILES}
    return {name: pd.read_parquet(p) if p.exists() else None for name, p in paths.items()}


def read_facts(directory: Path) -> pd.DataFrame:
    return pd.read_parquet(directory / FACTS_FILE)


def write(
    directory: Path,
    facts: pd.DataFrame,
    pupils: pd.DataFrame | None,
    meta: dict,
    artifacts: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write each file to a temporary name, then rename it into place; the facts last."""
    directory.mkdir(parents=True, exist_ok=True)
    token = f".tmp-{os.getpid()}-{threading.get_ident()}"
    for name, frame in (artifacts or {}).items():
        _replace(directory / f"{name}.parquet", token, _parquet(frame))
    if pupils is not None:
        _replace(directory / PUPILS_FILE, token, _parquet(pupils))
    text = json.dumps(meta, indent=1, default=str)
    _replace(directory / META_FILE, token, lambda tmp: tmp.write_text(text))
    _replace(directory / FACTS_FILE, token, _parquet(facts))


def _parquet(frame: pd.DataFrame) -> Callable[[Path], None]:
    return lambda path: frame.to_parquet(path, index=False)


def _replace(target: Path, token: str, save: Callable[[Path], object]) -> None:
    tmp = target.with_name(target.name + token)
    save(tmp)
    os.replace(tmp, target)


def pupil_latest(directory: Path, pupil_ids: list[str]) -> pd.DataFrame:
    """Latest-window pupil value added for some pupils (pseudonymised ids)."""
    path = directory / PUPILS_FILE
    if not path.exists() or not pupil_ids:
        return pd.DataFrame(columns=["pupil_id", "subject", "va"])
    return pd.read_parquet(path, filters=[("pupil_id", "in", list(pupil_ids))])

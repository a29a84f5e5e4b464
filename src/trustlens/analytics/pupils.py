"""One pupil's rows in the analytical store (pupil-level scopes only; the caller checks scope
and logs the access). Django-free: the caller passes the store (``ingest.store.AnalyticalStore``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow.parquet as pq

from trustlens.analytics.summaries import files

PUPIL_DATASETS = ("assessment_results", "attendance", "suspensions", "ks2", "ks4")


def pupil_record(store: Any, trust_slug: str, pupil_id: str, urns: list[int]) -> dict:
    """dataset -> the store's rows about one pupil, read only from the partitions of the
    academies the pupil attended (small files), plus ``value_added``: the latest window's
    value added by subject from the trust's summaries."""
    wanted = {str(u) for u in urns}
    out: dict[str, pd.DataFrame] = {}
    for dataset in PUPIL_DATASETS:
        parts = store.partitions(trust_slug, dataset)
        paths = [
            p.file for p in parts if str(p.values.get("urn", "")) in wanted or "urn" not in p.values
        ]
        frames = [_rows_of(path, pupil_id) for path in paths if Path(path).exists()]
        frames = [f for f in frames if not f.empty]
        if frames:
            out[dataset] = pd.concat(frames, ignore_index=True)
    latest = pupil_latest(store, trust_slug, [pupil_id])
    if not latest.empty:
        out["value_added"] = latest
    return out


def pupil_latest(store: Any, trust_slug: str, pupil_ids: list[str]) -> pd.DataFrame:
    """Latest-window pupil value added for some pupils (pseudonymised ids)."""
    return files.pupil_latest(files.summary_dir(store.root, trust_slug), pupil_ids)


def _rows_of(path: Path, pupil_id: str) -> pd.DataFrame:
    return pq.read_table(path, filters=[("pupil_id", "=", pupil_id)]).to_pandas()

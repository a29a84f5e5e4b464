"""Reading a trust's precomputed summaries: the ``Summaries`` index and its per-process cache.

``summaries_for`` reloads a trust's facts when the facts file changes (the rebuild writes it
last), so every request sees one whole build.
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings

from trustlens.analytics.national_benchmarks import Benchmark, from_records, nearest
from trustlens.analytics.summaries import files
from trustlens.dashboards.formatting import Cell, cell_from

KEY = tuple[str, str, str, str, str]  # level, unit, measure, breakdown, group
TEXT_COLUMNS = ("band", "flag", "note", "unit", "group", "breakdown", "period", "level", "measure")


@dataclass
class Summaries:
    """One trust's precomputed facts, indexed for fast lookups."""

    trust_slug: str
    facts: pd.DataFrame
    meta: dict
    version: int
    index: dict[KEY, list[dict]] = field(default_factory=dict)
    #: Results derived from this build alone (rated overview cells, funnel limits), so that
    #: requests do not recompute them; dies with this object when the facts file changes.
    memo: dict = field(default_factory=dict, repr=False, compare=False)

    MEMO_LIMIT = 2048

    @property
    def fingerprint(self) -> str:
        """This build: when it was built (meta) and the facts file's version."""
        return f"{self.meta.get('built_at', '')}@{self.version}"

    def memoised(self, key: tuple, build: Any) -> Any:
        """``build()`` once per summaries build and ``key`` (callers copy what they mutate)."""
        key = (self.fingerprint, *key)
        found = self.memo.get(key)
        if found is None:
            found = build()
            if len(self.memo) >= self.MEMO_LIMIT:  # many as-of dates or scopes: start again
                self.memo.clear()
            self.memo[key] = found
        return found

    @classmethod
    def load(cls, trust_slug: str, path: Path, version: int) -> Summaries:
        facts = pd.read_parquet(path)
        for column in TEXT_COLUMNS:
            values = facts[column].astype(object)
            facts[column] = values.where(values.notna(), None)
        meta_path = path.parent / files.META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        index: dict[KEY, list[dict]] = {}
        for row in facts.sort_values("period_order").to_dict("records"):
            key = (row["level"], row["unit"], row["measure"], row["breakdown"], row["group"])
            index.setdefault(key, []).append(row)
        return cls(trust_slug, facts, meta, version, index)

    @property
    def benchmarks(self) -> list[Benchmark]:
        """England's published figures saved with this build (``analytics.national_benchmarks``)."""
        found = self.memo.get("_benchmarks")
        if found is None:
            found = self.memo["_benchmarks"] = from_records(self.meta.get("national") or [])
        return found

    def national(self, measure: str, phase: str, period: str | None) -> Benchmark | None:
        """England's figure for ``measure`` (phase "primary", "secondary" or "all") for the
        academic year of ``period`` or the nearest published year (its label names it)."""
        return nearest(self.benchmarks, measure, phase, period)

    def series(self, *key: str, as_of: int | None = None) -> list[dict]:
        """Every period's row of one figure, oldest first: ``key`` is (level, unit, measure)
        and optionally breakdown and group (default "all", "all")."""
        level, unit, measure, breakdown, group = (*key, "all", "all")[:5]
        rows = self.index.get((level, str(unit), measure, breakdown, str(group)), [])
        return [r for r in rows if as_of is None or r["period_order"] <= as_of]

    def cell(self, *key: str, as_of: int | None = None, period: str | None = None) -> Cell:
        """The latest figure (or that of ``period``) with the one before it for the trend;
        ``key`` as for :meth:`series`."""
        rows = self.series(*key, as_of=as_of)
        measure = key[2]
        if period is not None:
            rows = [r for r in rows if r["period"] == period]
            return cell_from(rows[-1] if rows else None, measure)
        latest = rows[-1] if rows else None
        previous = rows[-2] if len(rows) > 1 else None
        return cell_from(latest, measure, previous)

    def groups(
        self, level: str, unit: str, measure: str, breakdown: str, as_of: int | None = None
    ) -> list[str]:
        prefix = (level, str(unit), measure, breakdown)
        return sorted({key[4] for key in self.index if key[:4] == prefix})

    def latest_period(
        self, measure: str, level: str = "trust", as_of: int | None = None
    ) -> str | None:
        rows = self.series(level, "trust" if level == "trust" else level, measure, as_of=as_of)
        return rows[-1]["period"] if rows else None


_cache: dict[str, Summaries] = {}
_cache_lock = threading.Lock()


def summary_dir(trust_slug: str) -> Path:
    return files.summary_dir(settings.STORE_DIR, trust_slug)


def summaries_for(trust_slug: str) -> Summaries | None:
    """The trust's summaries, reloaded when the facts file has changed (None before any build)."""
    path = summary_dir(trust_slug) / files.FACTS_FILE
    try:
        version = path.stat().st_mtime_ns
    except FileNotFoundError:
        return None
    cached = _cache.get(trust_slug)
    if cached is not None and cached.version == version:
        return cached
    with _cache_lock:
        cached = _cache.get(trust_slug)
        if cached is None or cached.version != version:
            cached = Summaries.load(trust_slug, path, version)
            _cache[trust_slug] = cached
    return cached


def pupil_latest(trust_slug: str, pupil_ids: list[str]) -> pd.DataFrame:
    """Latest-window pupil value added for some pupils (pseudonymised ids)."""
    return files.pupil_latest(summary_dir(trust_slug), pupil_ids)


def as_of_order(date: dt.date | None) -> int | None:
    """The latest period order published by ``date``: windows up to its term; whole-year
    figures only for academic years that ended before it."""
    if date is None:
        return None
    start = date.year if date.month >= 9 else date.year - 1
    term = 1 if date.month >= 9 else 2 if date.month <= 4 else 3
    return start * 10 + term

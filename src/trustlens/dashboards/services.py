"""The bridge between Django and ``trustlens.analytics``: the only module views use for figures.

- :func:`rebuild_summaries` (after each import): gathers the trust's store tables, organisation
  tree and class lists, computes every measure through the analytics layer
  (``dashboards.summaries``) and persists the small result atomically under
  ``settings.STORE_DIR/<trust>/_summaries/``.
- :func:`trust_overview`, :func:`academy_headline`, :func:`unit_summary` and the page builders
  read those precomputed rows (cached per process, reloaded when the file changes), restrict
  them to the user's scope (``Academy.objects.restrict(user)``) and apply suppression for
  aggregate-only scopes.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from django.conf import settings

from trustlens.core.scoping import Scope, scope_of
from trustlens.dashboards.choices import (
    ATTAINMENT_BY_PHASE,
    GAP_BY_PHASE,
    MEASURES,
    RAG,
)
from trustlens.dashboards.formatting import Cell, cell_from, suppress_cells
from trustlens.dashboards.rag import overall, rate, tag_text
from trustlens.organisations.models import Academy
from trustlens.people.choices import TRUST_ROLES

SUMMARY_DIR = "_summaries"
FACTS_FILE = "facts.parquet"
PUPILS_FILE = "pupil_latest.parquet"
META_FILE = "meta.json"
#: Store datasets the summaries read (the data standard's names).
DATASETS = (
    "pupils",
    "enrolments",
    "prior_attainment",
    "ks2",
    "ks4",
    "assessment_results",
    "attendance",
    "suspensions",
    "staff",
    "cover",
    "admissions",
    "finance",
    "safeguarding",
)
KEY = tuple[str, str, str, str, str]  # level, unit, measure, breakdown, group
#: Progress measures drawn as funnel plots (re-exported for views).
FUNNEL_MEASURES = ("p8", "va", "ks2_reading", "ks2_writing", "ks2_maths")


# --- rebuilding ---------------------------------------------------------------------------------


def summary_dir(trust_slug: str) -> Path:
    return Path(settings.STORE_DIR) / trust_slug / SUMMARY_DIR


CELL_FILES = ("va_cells", "va_subject_cells", "va_class_cells")
#: Value-added inputs whose change means every window must be recomputed.
VA_GLOBAL_INPUTS = {"prior_attainment", "pupils", "classes", "class_members", "academies"}


def rebuild_summaries(trust_slug: str, datasets: list[str] | None = None) -> dict:
    """Recompute and persist the trust's dashboard summaries; returns the metadata
    (``seconds``, ``rows``, ``problems``, ``timings``, ``rebuilt``, ``funnel``, ``built_at``).

    Incremental: the store's partitions (and the organisation tree and class lists) are
    fingerprinted; only the summaries whose inputs changed since the last build are recomputed,
    and value added only for the assessment windows whose results changed (its model is fitted
    per window). ``datasets`` adds datasets to treat as changed. The first build, or a change
    to the academies, rebuilds everything.
    """
    from trustlens.analytics import engine
    from trustlens.dashboards import summaries

    start = time.perf_counter()
    store = _store()
    fingerprints = _fingerprints(store, trust_slug)
    organisation = _organisation_fingerprint(trust_slug)
    plan = _plan(_previous_meta(trust_slug), fingerprints, organisation, datasets)
    con = engine.connect("duckdb")
    inputs = _inputs(con, trust_slug, summaries.inputs_needed(plan["builders"]), plan["va_windows"])
    if plan["va_windows"] is not None:
        inputs.previous = {name: _read_cells(trust_slug, name) for name in CELL_FILES}
    facts, meta = summaries.compute(inputs, only=plan["builders"])
    if plan["builders"] is not None:
        previous_facts = pd.read_parquet(summary_dir(trust_slug) / FACTS_FILE)
        facts, limits = summaries.merge(previous_facts, facts, plan["builders"])
        meta.update(funnel=limits, rows=len(facts))
    pupil_rows = _pupil_latest(inputs) if _latest_window_loaded(inputs) else None
    meta.update(
        trust=trust_slug,
        built_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        datasets=sorted(inputs.tables),
        rebuilt="all" if plan["builders"] is None else plan["builders"],
        changed="all" if plan["changed"] is None else sorted(plan["changed"]),
        va_windows="all" if plan["va_windows"] is None else sorted(plan["va_windows"]),
        fingerprints=fingerprints,
        organisation=organisation,
        years=_years(fingerprints),
    )
    _write(trust_slug, facts, pupil_rows, meta, inputs.artifacts)
    meta["seconds"] = round(time.perf_counter() - start, 3)
    return meta


def _plan(
    previous: dict | None, fingerprints: dict, organisation: str, datasets: list[str] | None
) -> dict:
    """Which builders (None: all) and which value-added windows (None: all) to recompute."""
    from trustlens.dashboards import summaries

    if previous is None or "fingerprints" not in previous:
        return {"builders": None, "va_windows": None, "changed": None}
    changed = {d for d in DATASETS if fingerprints.get(d) != previous["fingerprints"].get(d)} | set(
        datasets or []
    )
    if organisation != previous.get("organisation"):
        changed.add("class_members")
    builders = summaries.builders_for(changed, _years(fingerprints) != previous.get("years"))
    va_windows = None
    if builders and "value_added_facts" in builders and not (changed & VA_GLOBAL_INPUTS):
        va_windows = _changed_windows(
            previous["fingerprints"].get("assessment_results", {}),
            fingerprints.get("assessment_results", {}),
        )
    return {"builders": builders, "va_windows": va_windows, "changed": changed}


def _fingerprints(store: Any, trust_slug: str) -> dict[str, dict[str, list]]:
    """dataset -> slice key -> [what wrote it, academic year, term]: what the store holds now.

    Fingerprinted per slice (an academy's period inside a partition file), not per file: a
    re-import of one window rewrites the file holding it, keeping its other slices as they
    were (with their own ``import_id`` and ``written_at``), so only that window counts as changed.
    """
    if store is None:
        return {}
    out = {}
    for dataset in DATASETS:
        out[dataset] = {}
        for part in store.partitions(trust_slug, dataset):
            for piece in part.slices or (part,):
                values = part.values | (piece.values or {})
                stamp = (
                    f"{piece.import_id or ''}@{piece.written_at or ''}"
                    if part.slices
                    else part.file.name
                )
                out[dataset][f"{part.key}|{piece.key}"] = [
                    stamp,
                    str(values.get("academic_year", "")),
                    str(values.get("term", "")),
                ]
    return out


def _changed_windows(before: dict, after: dict) -> set[tuple[str, str]]:
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {tuple((after.get(k) or before.get(k))[1:3]) for k in keys}


def _years(fingerprints: dict) -> list[str]:
    from trustlens.dashboards.summaries import YEAR_SOURCES

    return sorted({v[1] for d in YEAR_SOURCES for v in fingerprints.get(d, {}).values() if v[1]})


def _organisation_fingerprint(trust_slug: str) -> str:
    import hashlib

    text = _academy_frame(trust_slug).to_csv(index=False) + _membership_frame(trust_slug).to_csv(
        index=False
    )
    return hashlib.sha256(text.encode()).hexdigest()


def _previous_meta(trust_slug: str) -> dict | None:
    directory = summary_dir(trust_slug)
    if not (directory / FACTS_FILE).exists() or not (directory / META_FILE).exists():
        return None
    return json.loads((directory / META_FILE).read_text())


def _read_cells(trust_slug: str, name: str) -> pd.DataFrame | None:
    path = summary_dir(trust_slug) / f"{name}.parquet"
    return pd.read_parquet(path) if path.exists() else None


def _inputs(
    con: Any, trust_slug: str, needed: set[str] | None = None, va_windows: set | None = None
):
    from trustlens.dashboards.summaries import Inputs

    tables = {}
    store = _store()
    if store is not None:
        present = set(store.datasets(trust_slug))
        wanted = [n for n in DATASETS if n in present and (needed is None or n in needed)]
        windows = {"assessment_results": va_windows} if va_windows is not None else {}
        tables = {name: _load(con, store, trust_slug, name, windows.get(name)) for name in wanted}
    inputs = Inputs(
        tables=tables,
        academies=_academy_frame(trust_slug),
        memberships=_membership_frame(trust_slug),
        con=con,
    )
    inputs.va_windows = va_windows
    return inputs


def _load(con: Any, store: Any, trust_slug: str, dataset: str, windows: set | None = None) -> Any:
    """A store dataset read once into DuckDB's memory (one scan of its Parquet partitions),
    so the rebuild's many queries do not re-open hundreds of files each; ``windows`` limits
    it to those (academic year, term) partitions."""
    parts = store.partitions(trust_slug, dataset)
    if windows is not None:
        parts = [p for p in parts if _windows_of(p) & windows]
    files = [str(p.file) for p in parts]
    if not files or getattr(con, "name", "") != "duckdb":
        table = store.table(con, trust_slug, dataset)
        return table.limit(0) if windows is not None and not files else table
    name = f"_dash_in_{dataset}"
    listing = ", ".join("'" + f.replace("'", "''") + "'" for f in files)
    where = ""
    if windows is not None:  # a file may hold other windows too (one slice per term)
        pairs = ", ".join(f"('{y}', '{t}')" for y, t in sorted(windows) if "'" not in y + t)
        where = f" WHERE (CAST(academic_year AS VARCHAR), CAST(term AS VARCHAR)) IN ({pairs})"
    con.raw_sql(
        f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM read_parquet([{listing}], union_by_name = true){where}"
    )
    return con.table(name)


def _windows_of(part: Any) -> set[tuple[str, str]]:
    """The (academic year, term) windows a partition file holds (from its slices)."""
    pieces = part.slices or (part,)
    return {
        (
            str((part.values | (p.values or {})).get("academic_year", "")),
            str((part.values | (p.values or {})).get("term", "")),
        )
        for p in pieces
    }


def _latest_window_loaded(inputs: Any) -> bool:
    """Whether this build computed pupil value added for the trust's latest window."""
    cells = inputs.artifacts.get("va_cells")
    if cells is None or cells.empty or "_dash_va" not in inputs.con.list_tables():
        return False
    if inputs.va_windows is None:
        return True
    from trustlens.dashboards.summaries import period_order

    latest = max(
        zip(cells["academic_year"], cells["term"], strict=True), key=lambda w: period_order(*w)
    )
    return latest in inputs.va_windows


def _store():
    try:
        from trustlens.ingest.store import AnalyticalStore
    except ImportError:  # the ingest package is not installed yet
        return None
    return AnalyticalStore(settings.STORE_DIR)


def _academy_frame(trust_slug: str) -> pd.DataFrame:
    """urn, name, phase, joined_trust, cluster id, region id (system work: unscoped)."""
    rows = (
        Academy.objects.unscoped()
        .filter(trust__slug=trust_slug)
        .values("urn", "name", "phase", "joined_trust", "cluster_id", "cluster__region_id")
    )
    frame = pd.DataFrame(
        list(rows),
        columns=["urn", "name", "phase", "joined_trust", "cluster_id", "cluster__region_id"],
    )
    frame["cluster"] = frame["cluster_id"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    frame["region"] = frame["cluster__region_id"].map(lambda v: "" if pd.isna(v) else str(int(v)))
    return frame[["urn", "name", "phase", "joined_trust", "cluster", "region"]]


def _membership_frame(trust_slug: str) -> pd.DataFrame:
    from trustlens.pupils.models import GroupMembership

    rows = (
        GroupMembership.objects.unscoped()
        .filter(group__academy__trust__slug=trust_slug)
        .values_list("group_id", "pupil__pupil_id", "group__subject")
    )
    frame = pd.DataFrame(list(rows), columns=["class_id", "pupil_id", "subject"])
    frame["class_id"] = frame["class_id"].astype(str)
    return frame


def _pupil_latest(inputs) -> pd.DataFrame:
    """Pupil-level value added for the latest windows (pseudonymised ids only), for class pages."""
    if "_dash_va" not in getattr(inputs.con, "list_tables", lambda: [])():
        return pd.DataFrame(columns=["pupil_id", "urn", "academic_year", "term", "subject", "va"])
    table = inputs.con.table("_dash_va")
    windows = table.select("academic_year", "term").distinct().to_pandas()
    if windows.empty:
        return pd.DataFrame()
    from trustlens.dashboards.summaries import period_order

    latest = max(
        windows.itertuples(index=False), key=lambda r: period_order(r.academic_year, r.term)
    )
    rows = table.filter((table.academic_year == latest.academic_year) & (table.term == latest.term))
    return (
        rows.select("pupil_id", "urn", "academic_year", "term", "subject", "va")
        .to_pyarrow()
        .to_pandas()
    )


def _write(
    trust_slug: str,
    facts: pd.DataFrame,
    pupils: pd.DataFrame | None,
    meta: dict,
    artifacts: dict[str, pd.DataFrame] | None = None,
) -> None:
    """Write each file to a temporary name, then rename it into place (atomic on POSIX)."""
    directory = summary_dir(trust_slug)
    directory.mkdir(parents=True, exist_ok=True)
    token = f".tmp-{os.getpid()}-{threading.get_ident()}"
    for name, frame in (artifacts or {}).items():
        tmp = directory / f"{name}.parquet{token}"
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, directory / f"{name}.parquet")
    if pupils is not None:
        pupils_tmp = directory / (PUPILS_FILE + token)
        pupils.to_parquet(pupils_tmp, index=False)
        os.replace(pupils_tmp, directory / PUPILS_FILE)
    meta_tmp = directory / (META_FILE + token)
    meta_tmp.write_text(json.dumps(meta, indent=1, default=str))
    os.replace(meta_tmp, directory / META_FILE)
    facts_tmp = directory / (FACTS_FILE + token)
    facts.to_parquet(facts_tmp, index=False)
    os.replace(facts_tmp, directory / FACTS_FILE)  # last: readers reload on this file's change


# --- reading ------------------------------------------------------------------------------------


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
        for column in (
            "band",
            "flag",
            "note",
            "unit",
            "group",
            "breakdown",
            "period",
            "level",
            "measure",
        ):
            values = facts[column].astype(object)
            facts[column] = values.where(values.notna(), None)
        meta_path = path.parent / META_FILE
        meta = json.loads(meta_path.read_text()) if meta_path.exists() else {}
        index: dict[KEY, list[dict]] = {}
        for row in facts.sort_values("period_order").to_dict("records"):
            key = (row["level"], row["unit"], row["measure"], row["breakdown"], row["group"])
            index.setdefault(key, []).append(row)
        return cls(trust_slug, facts, meta, version, index)

    def series(
        self,
        level: str,
        unit: str,
        measure: str,
        breakdown: str = "all",
        group: str = "all",
        as_of: int | None = None,
    ) -> list[dict]:
        rows = self.index.get((level, str(unit), measure, breakdown, str(group)), [])
        return [r for r in rows if as_of is None or r["period_order"] <= as_of]

    def cell(
        self,
        level: str,
        unit: str,
        measure: str,
        breakdown: str = "all",
        group: str = "all",
        as_of: int | None = None,
        period: str | None = None,
    ) -> Cell:
        """The latest figure (or that of ``period``) with the one before it for the trend."""
        rows = self.series(level, unit, measure, breakdown, group, as_of)
        if period is not None:
            rows = [r for r in rows if r["period"] <= period] if rows else rows
            rows = [r for r in rows if r["period"] == period] or []
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


def summaries_for(trust_slug: str) -> Summaries | None:
    """The trust's summaries, reloaded when the facts file has changed (None before any build)."""
    path = summary_dir(trust_slug) / FACTS_FILE
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
    path = summary_dir(trust_slug) / PUPILS_FILE
    if not path.exists() or not pupil_ids:
        return pd.DataFrame(columns=["pupil_id", "subject", "va"])
    return pd.read_parquet(path, filters=[("pupil_id", "in", list(pupil_ids))])


# --- scope helpers --------------------------------------------------------------------------------


def sees_safeguarding(scope: Scope) -> bool:
    """Safeguarding counts are for trust roles only (executives, trustees, regional/cluster leads)."""
    return bool(scope.roles & {str(r) for r in TRUST_ROLES})


def suppressing(scope: Scope) -> bool:
    """Aggregate-only scopes (trustees) get small groups suppressed everywhere."""
    return scope.aggregate_only


def as_of_order(date: dt.date | None) -> int | None:
    """The latest period order published by ``date``: windows up to its term; whole-year
    figures only for academic years that ended before it."""
    if date is None:
        return None
    start = date.year if date.month >= 9 else date.year - 1
    term = 1 if date.month >= 9 else 2 if date.month <= 4 else 3
    return start * 10 + term


# --- the trust overview ---------------------------------------------------------------------------

OVERVIEW_MEASURES = (
    ("attainment", "Attainment"),
    ("progress", "Progress"),
    ("va", "In-year value added"),
    ("gap", "Disadvantaged gap"),
    ("attendance", "Attendance"),
    ("persistent_absence", "Persistent absence"),
    ("suspensions", "Suspensions"),
    ("permanent_exclusions", "Permanent exclusions"),
    ("sen_share", "SEN"),
    ("first_preferences", "1st preferences per place"),
    ("cover_share", "Cover"),
    ("staff_absence", "Staff absence"),
    ("finance_balance", "In-year balance"),
    ("safeguarding", "Safeguarding referrals"),
)
#: The overview's two tables: outcomes (with the status), then pupils, staff and finance.
OUTCOME_COLUMNS = ("attainment", "progress", "va", "gap")


def column_groups(columns: list[tuple[str, str]]) -> list[dict]:
    """The overview columns split into two tables so that each fits the page."""
    outcomes = [c for c in columns if c[0] in OUTCOME_COLUMNS]
    others = [c for c in columns if c[0] not in OUTCOME_COLUMNS]
    return [
        {"key": "outcomes", "title": "Outcomes", "columns": outcomes, "status": True},
        {
            "key": "context",
            "title": "Pupils, staff and finance",
            "columns": others,
            "status": False,
        },
    ]


RATED_FOR_STATUS = {
    "attainment",
    "progress",
    "va",
    "attendance",
    "persistent_absence",
    "suspensions",
    "finance_balance",
}


def column_measures(column: str, phase: str, summaries: Summaries | None, urn: str) -> list[str]:
    """The measure code(s) behind an overview column for an academy of ``phase``."""
    if column == "attainment":
        return [
            _first_present(summaries, urn, [ATTAINMENT_BY_PHASE.get(phase, "a8"), "a8", "ks2_rwm"])
        ]
    if column == "progress":
        if _has(summaries, urn, "p8") or phase == "secondary":
            return ["p8"]
        return ["ks2_reading", "ks2_writing", "ks2_maths"]
    if column == "gap":
        return [
            _first_present(
                summaries, urn, [f"{GAP_BY_PHASE.get(phase, 'p8')}_gap", "p8_gap", "ks2_rwm_gap"]
            )
        ]
    return [column]


def _has(summaries: Summaries | None, urn: str, measure: str) -> bool:
    return bool(summaries and summaries.series("academy", urn, measure))


def _first_present(summaries: Summaries | None, urn: str, measures: list[str]) -> str:
    return next((m for m in measures if _has(summaries, urn, m)), measures[0])


def _columns(scope: Scope) -> list[tuple[str, str]]:
    return [
        (c, label)
        for c, label in OVERVIEW_MEASURES
        if c != "safeguarding" or sees_safeguarding(scope)
    ]


def _unit_cells(
    summaries: Summaries | None,
    level: str,
    unit: str,
    phase: str,
    columns: list[tuple[str, str]],
    as_of: int | None,
) -> dict[str, list[Cell]]:
    cells: dict[str, list[Cell]] = {}
    for column, _label in columns:
        measures = column_measures(column, phase, summaries, unit)
        if summaries is None:
            cells[column] = [Cell(measure=m, symbol="x") for m in measures]
        else:
            cells[column] = [summaries.cell(level, unit, m, as_of=as_of) for m in measures]
    return cells


def _rate_cells(cells: dict[str, list[Cell]], trust: dict[str, list[Cell]] | None) -> None:
    for column, items in cells.items():
        for i, cell in enumerate(items):
            reference = None
            if trust and column in trust:
                reference = next((t for t in trust[column] if t.measure == cell.measure), None)
            if cell.measure.endswith("_gap"):
                reference = None
            if (
                reference is not None
                and reference.period
                and cell.period
                and reference.period != cell.period
            ):
                reference = None
            rate(cell, reference)
            items[i] = cell


def trust_overview(user: Any, as_of: dt.date | None = None) -> list[dict]:
    """One row per academy in the user's scope (plus a trust row per trust): every overview
    measure as a ``Cell`` with n, interval, trend and RAG with its reason; suppressed for
    aggregate-only scopes."""
    return overview_context(user, as_of)["rows"]


def overview_context(user: Any, as_of: dt.date | None = None, suppress: bool | None = None) -> dict:
    """Everything the overview page and the board pack show for ``user``; ``suppress``
    forces suppression of small groups (exports), default: for aggregate-only scopes."""
    scope = scope_of(user)
    suppress = suppressing(scope) if suppress is None else suppress
    academies = list(
        Academy.objects.restrict(user)
        .select_related("trust", "cluster__region")
        .order_by("trust__name", "name")
    )
    columns = _columns(scope)
    order = as_of_order(as_of)
    rows, trusts = [], []
    for trust in sorted({a.trust for a in academies}, key=lambda t: t.name):
        summaries = summaries_for(trust.slug)
        mine = [a for a in academies if a.trust_id == trust.pk]
        trust_cells, rated = _overview_cells(summaries, columns, order, mine)
        for academy in mine:
            rows.append(_academy_row(academy, rated[academy.urn]))
        trusts.append(
            {
                "trust": trust,
                "cells": trust_cells,
                "summaries": summaries,
                "built_at": (summaries.meta.get("built_at") if summaries else None),
            }
        )
    if suppress:
        for row in rows:
            suppress_cells(
                [c for items in row["cells"].values() for c in items],
                settings.SUPPRESSION_THRESHOLD,
            )
            row["status"], row["status_reason"] = overall(
                [c for k, items in row["cells"].items() if k in RATED_FOR_STATUS for c in items]
            )
            row["status_tag"] = tag_text(row["status"])
    return {
        "rows": rows,
        "trusts": trusts,
        "columns": columns,
        "column_groups": column_groups(columns),
        "scope": scope,
        "as_of": as_of,
        "suppressed": suppress,
        "safeguarding": sees_safeguarding(scope),
    }


def _overview_cells(
    summaries: Summaries | None, columns: list, order: int | None, academies: list
) -> tuple[dict[str, list[Cell]], dict[int, tuple]]:
    """The trust's cells and each academy's rated cells and status (unsuppressed), computed
    once per summaries build and handed out as copies (suppression changes cells in place)."""

    def build() -> tuple[dict[str, list[Cell]], dict[int, tuple]]:
        trust_cells = _trust_cells_for_phases(summaries, columns, order, academies)
        _rate_cells(trust_cells, None)
        rated = {}
        for academy in academies:
            cells = _unit_cells(
                summaries, "academy", str(academy.urn), academy.phase, columns, order
            )
            _rate_cells(cells, trust_cells)
            status, reason = overall(
                [c for k, items in cells.items() if k in RATED_FOR_STATUS for c in items]
            )
            rated[academy.urn] = (cells, status, reason)
        return trust_cells, rated

    if summaries is None:
        return build()
    key = (
        "overview",
        tuple(columns),
        order,
        tuple((a.urn, a.phase) for a in academies),
    )
    trust_cells, rated = summaries.memoised(key, build)
    return _copy_cells(trust_cells), {
        urn: (_copy_cells(cells), status, reason) for urn, (cells, status, reason) in rated.items()
    }


def _copy_cells(cells: dict[str, list[Cell]]) -> dict[str, list[Cell]]:
    return {column: [copy.copy(c) for c in items] for column, items in cells.items()}


def _trust_cells_for_phases(
    summaries: Summaries | None, columns: list, order: int | None, academies: list
) -> dict[str, list[Cell]]:
    """Trust-level cells: for phase-specific columns, every measure used by the academies."""
    cells: dict[str, list[Cell]] = {}
    for column, _label in columns:
        measures: list[str] = []
        for academy in academies or [None]:
            phase = academy.phase if academy else "secondary"
            urn = str(academy.urn) if academy else ""
            for m in column_measures(column, phase, summaries, urn):
                if m not in measures:
                    measures.append(m)
        cells[column] = [
            summaries.cell("trust", "trust", m, as_of=order)
            if summaries
            else Cell(measure=m, symbol="x")
            for m in measures
        ]
    return cells


def _academy_row(academy: Academy, rated: tuple) -> dict:
    cells, status, reason = rated
    return {
        "academy": academy,
        "cells": cells,
        "status": status,
        "status_reason": reason,
        "status_tag": tag_text(status),
    }


def academy_headline(academy: Academy, as_of: dt.date | None = None) -> dict[str, dict]:
    """Headline measures for one academy: measure code -> {value, score, ci_low, ci_high,
    pupils, period, band, rag, reason}. Unsuppressed: the caller has already checked scope."""
    summaries = summaries_for(academy.trust.slug)
    columns = [(c, label) for c, label in OVERVIEW_MEASURES if c != "safeguarding"]
    order = as_of_order(as_of)
    trust_cells = _unit_cells(summaries, "trust", "trust", academy.phase, columns, order)
    _rate_cells(trust_cells, None)
    cells = _unit_cells(summaries, "academy", str(academy.urn), academy.phase, columns, order)
    _rate_cells(cells, trust_cells)
    return {cell.measure: cell.as_dict() for items in cells.values() for cell in items}


def unit_summary(
    user: Any, level: str, unit: str, trust_slug: str, phase: str = "secondary"
) -> dict[str, list[Cell]]:
    """Headline cells for a cluster, region or the trust, rated against the trust."""
    scope = scope_of(user)
    summaries = summaries_for(trust_slug)
    columns = _columns(scope)
    trust_cells = _unit_cells(summaries, "trust", "trust", phase, columns, None)
    _rate_cells(trust_cells, None)
    cells = _unit_cells(summaries, level, str(unit), phase, columns, None)
    _rate_cells(cells, trust_cells if level != "trust" else None)
    if suppressing(scope):
        suppress_cells(
            [c for items in cells.values() for c in items], settings.SUPPRESSION_THRESHOLD
        )
    return cells


def academies_of_unit(user: Any, level: str, node: Any) -> list[Academy] | None:
    """The academies of a region or cluster when the user may see every one of them, else None
    (a drill-down page for a node only partly in scope would leak its totals)."""
    path = "cluster__region" if level == "region" else "cluster"
    every = set(Academy.objects.unscoped().filter(**{path: node}).values_list("pk", flat=True))
    if not every or not every <= scope_of(user).academy_ids:
        return None
    return list(
        Academy.objects.restrict(user)
        .filter(pk__in=every)
        .select_related("trust", "cluster__region")
        .order_by("name")
    )


def visible_units(user: Any) -> list[dict]:
    """Regions (with their clusters) whose every academy the user sees: drill-down links."""
    from trustlens.organisations.models import Cluster, Region

    scope = scope_of(user)
    rows = (
        Academy.objects.unscoped()
        .filter(trust_id__in=scope.trust_ids)
        .values_list("pk", "cluster_id", "cluster__region_id")
    )
    by_cluster: dict[int, set[int]] = {}
    by_region: dict[int, set[int]] = {}
    for pk, cluster_id, region_id in rows:
        if cluster_id:
            by_cluster.setdefault(cluster_id, set()).add(pk)
            by_region.setdefault(region_id, set()).add(pk)
    clusters = {c for c, ids in by_cluster.items() if ids <= scope.academy_ids}
    regions = {r for r, ids in by_region.items() if ids <= scope.academy_ids}
    visible = (
        Cluster.objects.restrict(user)
        .filter(pk__in=clusters)
        .select_related("region")
        .order_by("name")
    )
    out = []
    for region in (
        Region.objects.restrict(user)
        .filter(pk__in={c.region_id for c in visible} | regions)
        .order_by("name")
    ):
        out.append(
            {
                "pk": region.pk,
                "name": region.name,
                "link": region.pk in regions,
                "clusters": [c for c in visible if c.region_id == region.pk],
            }
        )
    return out


def funnel_data(
    summaries: Summaries | None, urns: dict[str, str], measure: str, as_of: int | None = None
) -> dict | None:
    """Points (academies in ``urns``: urn -> label) and 95% / 99.8% limits for the latest
    period of a progress measure, from the analytics funnel (Spiegelhalter 2005)."""
    from trustlens.analytics.stats.funnel import funnel_curve

    if summaries is None:
        return None
    period = _latest_common_period(summaries, urns, measure, as_of)
    params = summaries.meta.get("funnel", {}).get(f"{measure}|{period}") if period else None
    if not params:
        return None
    points = []
    for urn, label in urns.items():
        rows = [
            r
            for r in summaries.series("academy", urn, measure, as_of=as_of)
            if r["period"] == period
        ]
        if rows and rows[-1]["score"] == rows[-1]["score"]:
            r = rows[-1]
            points.append(
                {
                    "label": label,
                    "pupils": int(r["pupils"]),
                    "score": float(r["score"]),
                    "flag": r["flag"],
                }
            )
    if not points:
        return None
    top = max(p["pupils"] for p in points) * 1.05

    def curves() -> dict[str, list[dict]]:
        sizes = [max(5.0, top * i / 60) for i in range(1, 61)]
        out = {}
        for tag, level in (("95", 0.95), ("998", 0.998)):
            curve = funnel_curve(params["target"], params["sigma"], sizes, params["tau2"], level)
            out[tag] = curve.to_dict("records")
        return out

    cached = summaries.memoised(("funnel", measure, period, top), curves)
    limits = {tag: [dict(r) for r in rows] for tag, rows in cached.items()}
    return {
        "points": points,
        "limits": limits,
        "target": params["target"],
        "period": period,
        "tau2": params["tau2"],
    }


def _latest_common_period(
    summaries: Summaries, urns: dict[str, str], measure: str, as_of: int | None
) -> str | None:
    periods = [summaries.series("academy", u, measure, as_of=as_of) for u in urns]
    latest = [rows[-1] for rows in periods if rows]
    if not latest:
        return None
    return max(latest, key=lambda r: r["period_order"])["period"]


def completeness_summary(user: Any) -> dict | None:
    """Who is late with which assessment window (the assessment app's completeness grid
    against the trust's calendar); None when that app or its calendar is not there yet."""
    try:
        from trustlens.assessment.services import completeness
    except ImportError:
        return None
    try:
        grid = completeness(user)
    except Exception:  # noqa: BLE001 - another app's failure must not break the overview
        return None
    if not grid.has_windows:
        return None
    late, counts = [], {}
    for trust in grid.trusts:
        for academy, cells in trust.rows:
            for cell in cells:
                counts[cell.status] = counts.get(cell.status, 0) + 1
                if cell.status == "late" or cell.submitted_late:
                    window = f"{cell.window.academic_year} {cell.window.term}"
                    state = (
                        "submitted late"
                        if cell.status != "late"
                        else f"not submitted (closed {cell.window.closes:%d %b %Y})"
                    )
                    late.append({"academy": academy, "window": window, "state": state})
    return {"year": grid.year, "late": late, "counts": counts}


def measure_label(code: str) -> str:
    return MEASURES[code].label if code in MEASURES else code


__all__ = [
    "RAG",
    "Summaries",
    "academy_headline",
    "overview_context",
    "rebuild_summaries",
    "summaries_for",
    "trust_overview",
    "unit_summary",
]


# --- one pupil (pupil-level scopes only; the caller logs the access) --------------------------------

PUPIL_DATASETS = ("assessment_results", "attendance", "suspensions", "ks2", "ks4")


def pupil_record(trust_slug: str, pupil_id: str, urns: list[int]) -> dict[str, pd.DataFrame]:
    """The store's rows about one pupil, read only from the partitions of the academies the
    pupil attended (small files), plus the latest value added by subject."""
    import pyarrow.parquet as pq

    store = _store()
    out: dict[str, pd.DataFrame] = {}
    if store is None:
        return out
    wanted = {str(u) for u in urns}
    for dataset in PUPIL_DATASETS:
        files = [
            p.file
            for p in store.partitions(trust_slug, dataset)
            if str(p.values.get("urn", "")) in wanted or "urn" not in p.values
        ]
        frames = [
            pq.read_table(f, filters=[("pupil_id", "=", pupil_id)]).to_pandas()
            for f in files
            if Path(f).exists()
        ]
        frames = [f for f in frames if not f.empty]
        if frames:
            out[dataset] = pd.concat(frames, ignore_index=True)
    latest = pupil_latest(trust_slug, [pupil_id])
    if not latest.empty:
        out["value_added"] = latest
    return out

"""One trust's summary rebuild, end to end, without Django: plan, load, compute, merge, write.

The caller (``trustlens.dashboards.summaries``) supplies the store, the organisation tree and
the class lists from the records database; everything else happens here, so the CLI, the
dashboards and the tests build the same facts the same way.
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import pandas as pd

from trustlens.analytics import national_benchmarks
from trustlens.analytics.summaries import files, loading, plan
from trustlens.analytics.summaries.build import compute, merge
from trustlens.analytics.summaries.registry import inputs_needed


def rebuild(
    store: Any,
    store_dir: str | Path,
    trust_slug: str,
    organisation: tuple[pd.DataFrame, pd.DataFrame],
    datasets: list[str] | None = None,
) -> dict:
    """Recompute and persist the trust's summaries; returns the metadata (``seconds``,
    ``rows``, ``problems``, ``timings``, ``rebuilt``, ``funnel``, ``built_at``, ``national``:
    England's published figures from the DfE tables, ``analytics.national_benchmarks``).

    Incremental: only the summaries whose inputs changed since the last build are recomputed,
    and value added only for the assessment windows whose results changed. ``datasets`` adds
    datasets to treat as changed. The first build, or a change to the academies, rebuilds
    everything. ``organisation`` is (academies, memberships) as ``Inputs`` takes them.
    """
    from trustlens.analytics import engine

    start = time.perf_counter()
    directory = files.summary_dir(store_dir, trust_slug)
    prints = plan.fingerprints(store, trust_slug)
    org_print = plan.organisation_fingerprint(*organisation)
    todo = plan.plan(files.previous_meta(directory), prints, org_print, datasets)
    con = engine.connect("duckdb")
    needed = inputs_needed(todo["builders"])
    inputs = loading.load_inputs(con, store, trust_slug, organisation, needed, todo["va_windows"])
    if todo["va_windows"] is not None:
        inputs.previous = files.read_cells(directory)
    facts, meta = compute(inputs, only=todo["builders"])
    if todo["builders"] is not None:
        facts, limits = merge(files.read_facts(directory), facts, todo["builders"])
        meta.update(funnel=limits, rows=len(facts))
    pupils = loading.pupil_latest_rows(inputs) if loading.latest_window_loaded(inputs) else None
    meta.update(_build_meta(trust_slug, inputs, todo, prints, org_print))
    meta["national"] = national_benchmarks.to_records(national_benchmarks.from_store(store))
    files.write(directory, facts, pupils, meta, inputs.artifacts)
    meta["seconds"] = round(time.perf_counter() - start, 3)
    return meta


def _build_meta(trust_slug: str, inputs: Any, todo: dict, prints: dict, org_print: str) -> dict:
    def every(value: Any) -> Any:
        return "all" if value is None else sorted(value)

    return {
        "trust": trust_slug,
        "built_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "datasets": sorted(inputs.tables),
        "rebuilt": "all" if todo["builders"] is None else todo["builders"],
        "changed": every(todo["changed"]),
        "va_windows": every(todo["va_windows"]),
        "fingerprints": prints,
        "organisation": org_print,
        "years": plan.years(prints),
    }

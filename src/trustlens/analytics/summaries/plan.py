"""What an incremental rebuild must recompute: store fingerprints and the rebuild plan.

The store's partitions (and the organisation tree and class lists) are fingerprinted per
slice; the plan names the builders whose inputs changed since the last build (None: all) and,
for value added, the assessment windows whose results changed (its model is fitted per window).
"""

from __future__ import annotations

import hashlib
from typing import Any

import pandas as pd

from trustlens.analytics.summaries.registry import BUILDER_IO, YEAR_SOURCES, builders_for

#: Datasets the builders read from the records database, not the store.
RECORDS = {"classes", "class_members"}
#: Store datasets the summaries read (the data standard's names), from the builders' inputs.
DATASETS = tuple(sorted(set().union(*(reads for reads, _w in BUILDER_IO.values())) - RECORDS))
#: Value-added inputs whose change means every window must be recomputed.
VA_GLOBAL_INPUTS = {"prior_attainment", "pupils", "classes", "class_members", "academies"}


def fingerprints(store: Any, trust_slug: str) -> dict[str, dict[str, list]]:
    """dataset -> slice key -> [what wrote it, academic year, term]: what the store holds now.

    Fingerprinted per slice (an academy's period inside a partition file), not per file: a
    re-import of one window rewrites the file holding it, keeping its other slices as they
    were (with their own ``import_id`` and ``written_at``), so only that window counts as changed.
    """
    if store is None:
        return {}
    out: dict[str, dict[str, list]] = {}
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


def organisation_fingerprint(academies: pd.DataFrame, memberships: pd.DataFrame) -> str:
    """A hash of the organisation tree and the class lists (a change rebuilds class rows)."""
    text = academies.to_csv(index=False) + memberships.to_csv(index=False)
    return hashlib.sha256(text.encode()).hexdigest()


def years(prints: dict) -> list[str]:
    """Academic years with attendance, results or outcomes in the store."""
    return sorted({v[1] for d in YEAR_SOURCES for v in prints.get(d, {}).values() if v[1]})


def changed_windows(before: dict, after: dict) -> set[tuple[str, str]]:
    """(academic year, term) of every slice added, removed or rewritten."""
    keys = {k for k in before.keys() | after.keys() if before.get(k) != after.get(k)}
    return {tuple((after.get(k) or before.get(k))[1:3]) for k in keys}


def plan(
    previous: dict | None, prints: dict, organisation: str, datasets: list[str] | None
) -> dict:
    """Which builders (None: all) and which value-added windows (None: all) to recompute."""
    if previous is None or "fingerprints" not in previous:
        return {"builders": None, "va_windows": None, "changed": None}
    before = previous["fingerprints"]
    changed = {d for d in DATASETS if prints.get(d) != before.get(d)} | set(datasets or [])
    if organisation != previous.get("organisation"):
        changed.add("class_members")
    builders = builders_for(changed, years(prints) != previous.get("years"))
    va_windows = None
    if builders and "value_added_facts" in builders and not (changed & VA_GLOBAL_INPUTS):
        va_windows = changed_windows(
            before.get("assessment_results", {}), prints.get("assessment_results", {})
        )
    return {"builders": builders, "va_windows": va_windows, "changed": changed}

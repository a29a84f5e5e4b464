"""The trust overview (and the board pack, which shows the same context), plus the
unsuppressed headline that improvement reports use."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from trustlens.dashboards import cells as headline
from trustlens.dashboards.audience import Audience, audience_for
from trustlens.dashboards.formatting import Cell
from trustlens.dashboards.rag import tag_text
from trustlens.dashboards.reading import Summaries, as_of_order, summaries_for
from trustlens.dashboards.rules import rules_for
from trustlens.organisations.models import Academy

#: academy urn -> (its rated cells, status, status reason)
Rated = dict[int, tuple[headline.CellMap, str, str]]


def overview_context(user: Any, as_of: dt.date | None = None, suppress: bool | None = None) -> dict:
    """Everything the overview page and the board pack show for ``user``; ``suppress``
    forces suppression of small groups (exports), default: for aggregate-only scopes."""
    audience = audience_for(user, leaves_screen=suppress)
    academies = list(
        Academy.objects.restrict(user)
        .select_related("trust", "cluster__region")
        .order_by("trust__name", "name")
    )
    columns = headline.columns_for(audience)
    order = as_of_order(as_of)
    rows, trusts = [], []
    for trust in sorted({a.trust for a in academies}, key=lambda t: t.name):
        summaries = summaries_for(trust.slug)
        mine = [a for a in academies if a.trust_id == trust.pk]
        trust_cells, rated = _overview_cells(summaries, columns, order, mine)
        rows += [_academy_row(academy, rated[academy.urn], audience) for academy in mine]
        built = summaries.meta.get("built_at") if summaries else None
        trusts.append(
            {"trust": trust, "cells": trust_cells, "summaries": summaries, "built_at": built}
        )
    return {
        "rows": rows,
        "trusts": trusts,
        "columns": columns,
        "column_groups": headline.column_groups(columns),
        "scope": audience.scope,
        "audience": audience,
        "as_of": as_of,
        "suppressed": audience.suppressed,
        "safeguarding": audience.safeguarding,
    }


def trust_overview(user: Any, as_of: dt.date | None = None) -> list[dict]:
    """One row per academy in the user's scope: every overview measure as a ``Cell`` with n,
    interval, trend and RAG with its reason; suppressed for aggregate-only scopes."""
    return overview_context(user, as_of)["rows"]


def _academy_row(academy: Academy, rated: tuple, audience: Audience) -> dict:
    cells, status, reason = rated
    if audience.suppressed:  # the status is re-derived from what the audience may see
        audience.disclose([c for items in cells.values() for c in items])
        status, reason = headline.status(cells)
    return {
        "academy": academy,
        "cells": cells,
        "status": status,
        "status_reason": reason,
        "status_tag": tag_text(status),
    }


def _overview_cells(
    summaries: Summaries | None, columns: list, order: int | None, academies: list[Academy]
) -> tuple[headline.CellMap, Rated]:
    """The trust's cells and each academy's rated cells and status (unsuppressed), computed
    once per summaries build and set of RAG rules, handed out as copies (suppression changes
    cells in place)."""
    rules = rules_for(academies[0].trust_id) if academies else {}

    def build() -> tuple[headline.CellMap, Rated]:
        trust_cells = _trust_cells(summaries, columns, order, academies)
        headline.rate_cells(trust_cells, None, summaries, "all", rules)
        rated = {}
        for academy in academies:
            urn, phase = str(academy.urn), academy.phase
            cells = headline.unit_cells(summaries, "academy", urn, phase, columns, order)
            headline.rate_cells(cells, trust_cells, summaries, phase, rules)
            rated[academy.urn] = (cells, *headline.status(cells))
        return trust_cells, rated

    if summaries is None:
        return build()
    key = (
        "overview",
        tuple(columns),
        order,
        tuple((a.urn, a.phase) for a in academies),
        tuple(sorted(rules.items())),
    )
    trust_cells, rated = summaries.memoised(key, build)
    copies = {urn: (_copy(cells), status, why) for urn, (cells, status, why) in rated.items()}
    return _copy(trust_cells), copies


def _copy(cells: headline.CellMap) -> headline.CellMap:
    return {column: [copy.copy(c) for c in items] for column, items in cells.items()}


def _trust_cells(
    summaries: Summaries | None, columns: list, order: int | None, academies: list[Academy]
) -> headline.CellMap:
    """Trust-level cells: for phase-specific columns, every measure used by the academies."""
    cells: headline.CellMap = {}
    for column, _label in columns:
        measures: list[str] = []
        for academy in academies or [None]:
            phase = academy.phase if academy else "secondary"
            urn = str(academy.urn) if academy else ""
            for m in headline.column_measures(column, phase, summaries, urn):
                if m not in measures:
                    measures.append(m)
        cells[column] = [
            summaries.cell("trust", "trust", m, as_of=order)
            if summaries
            else Cell(measure=m, symbol="x")
            for m in measures
        ]
    return cells


def academy_headline(academy: Academy, as_of: dt.date | None = None) -> dict[str, dict]:
    """Headline measures for one academy: measure code -> {value, score, ci_low, ci_high,
    pupils, period, band, rag, reason}. Unsuppressed: the caller has already checked scope."""
    summaries = summaries_for(academy.trust.slug)
    columns = headline.columns_for(None)
    urn, order = str(academy.urn), as_of_order(as_of)
    rules = rules_for(academy.trust_id)
    cells, _trust = headline.rated_cells(
        summaries, "academy", urn, academy.phase, columns, order, rules
    )
    return {cell.measure: cell.as_dict() for items in cells.values() for cell in items}


def visible_units(user: Any) -> list[dict]:
    """Regions (with their clusters) whose every academy the user sees: drill-down links."""
    from trustlens.core.scoping import scope_of
    from trustlens.organisations.models import Cluster, Region

    scope = scope_of(user)
    clusters, regions = whole_units(scope)
    visible = (
        Cluster.objects.restrict(user)
        .filter(pk__in=clusters)
        .select_related("region")
        .order_by("name")
    )
    wanted = {c.region_id for c in visible} | regions
    return [
        {
            "pk": region.pk,
            "name": region.name,
            "link": region.pk in regions,
            "clusters": [c for c in visible if c.region_id == region.pk],
        }
        for region in Region.objects.restrict(user).filter(pk__in=wanted).order_by("name")
    ]


def whole_units(scope: Any) -> tuple[set[int], set[int]]:
    """Ids of the clusters and regions every academy of which is in ``scope``."""
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
    return clusters, regions


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
                    late.append(_late_entry(academy, cell))
    return {"year": grid.year, "late": late, "counts": counts}


def _late_entry(academy: Any, cell: Any) -> dict:
    window = f"{cell.window.academic_year} {cell.window.term}"
    state = (
        "submitted late"
        if cell.status != "late"
        else f"not submitted (closed {cell.window.closes:%d %b %Y})"
    )
    return {"academy": academy, "window": window, "state": state}

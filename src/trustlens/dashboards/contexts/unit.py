"""Region and cluster pages: headline cells of the unit beside the trust, its academies,
funnel plots and the value-added trend; shown only when the user sees every academy in it."""

from __future__ import annotations

from typing import Any

from trustlens.dashboards import cells as headline
from trustlens.dashboards import pages
from trustlens.dashboards.audience import Audience, audience_for
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.contexts.overview import overview_context
from trustlens.dashboards.formatting import Cell
from trustlens.dashboards.rag import tag_text
from trustlens.dashboards.reading import summaries_for
from trustlens.dashboards.rules import rules_for_slug
from trustlens.organisations.models import Academy


def unit_summary(
    user: Any, level: str, unit: str, trust_slug: str, phase: str = "secondary"
) -> headline.CellMap:
    """Headline cells for a cluster, region or the trust, rated against the trust."""
    return headline_cells(audience_for(user), level, unit, trust_slug, phase)


def headline_cells(
    audience: Audience, level: str, unit: str, trust_slug: str, phase: str
) -> headline.CellMap:
    columns = headline.columns_for(audience)
    summaries = summaries_for(trust_slug)
    rules = rules_for_slug(trust_slug)
    cells, _trust = headline.rated_cells(summaries, level, str(unit), phase, columns, rules=rules)
    audience.disclose([c for items in cells.values() for c in items])
    return cells


def academies_of_unit(user: Any, level: str, node: Any) -> list[Academy] | None:
    """The academies of a region or cluster when the user may see every one of them, else None
    (a drill-down page for a node only partly in scope would leak its totals)."""
    from trustlens.core.scoping import scope_of

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


def unit_context(user: Any, level: str, node: Any, academies: list[Academy]) -> dict:
    """A region or cluster page (``academies``: every academy in it, from ``academies_of_unit``)."""
    audience = audience_for(user)
    trust = academies[0].trust
    phase = _main_phase(academies)
    cells = headline_cells(audience, level, str(node.pk), trust.slug, phase)
    trust_cells = headline_cells(audience, "trust", "trust", trust.slug, phase)
    overview = overview_context(user)
    mine = {a.pk for a in academies}
    return {
        "level": level,
        "node": node,
        "trust": trust,
        "cells": cells,
        "trust_cells": trust_cells,
        "columns": overview["columns"],
        "column_groups": overview["column_groups"],
        "rows": [r for r in overview["rows"] if r["academy"].pk in mine],
        "charts": _unit_charts(audience, level, node, academies),
        "clusters": _clusters(audience, level, academies, phase) if level == "region" else [],
        "headline": headline_rows(overview["columns"], cells, trust_cells),
    }


def _unit_charts(audience: Audience, level: str, node: Any, academies: list[Academy]) -> list:
    trust = academies[0].trust
    summaries = summaries_for(trust.slug)
    found = [pages.funnel_chart(summaries, academies, m) for m in ("p8", "va")]
    found.append(
        pages.trend_chart(
            summaries,
            [(node.name, level, str(node.pk)), (trust.name, "trust", "trust")],
            "va",
            audience,
            f"In-year value added: {node.name} and the trust",
        )
    )
    return [c for c in found if c]


def _clusters(audience: Audience, level: str, academies: list[Academy], phase: str) -> list[dict]:
    trust = academies[0].trust
    clusters = sorted({a.cluster for a in academies if a.cluster_id}, key=lambda c: c.name)
    return [
        {"cluster": c, "cells": headline_cells(audience, "cluster", str(c.pk), trust.slug, phase)}
        for c in clusters
    ]


def _main_phase(academies: list[Academy]) -> str:
    phases = [a.phase for a in academies]
    return max(set(phases), key=phases.count) if phases else "secondary"


def headline_rows(
    columns: list, cells: dict[str, list[Cell]], trust_cells: dict[str, list[Cell]]
) -> list[dict]:
    """Rows of a headline table: measure, this unit's cell, the trust's cell, status."""
    rows = []
    for column, _label in columns:
        for cell in cells.get(column, []):
            trust = next(
                (t for t in trust_cells.get(column, []) if t.measure == cell.measure), None
            )
            rows.append(
                {
                    "label": MEASURES[cell.measure].label,
                    "cell": cell,
                    "trust": trust,
                    "tag": tag_text(cell.rag, cell),
                }
            )
    return rows

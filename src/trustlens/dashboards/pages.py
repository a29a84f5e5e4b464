"""Page contexts for the drill-down: trust -> region -> cluster -> academy -> class.

Everything here reads the precomputed summaries through ``dashboards.services`` (never the
analytics layer directly) and shapes them for the templates and the board pack. Every table
and chart is built for the user's scope; aggregate-only scopes get small groups suppressed.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse

from trustlens.core.scoping import scope_of
from trustlens.dashboards import charts, services
from trustlens.dashboards.choices import BREAKDOWNS, GROUP_LABELS, MEASURES
from trustlens.dashboards.formatting import Cell, suppress_cells
from trustlens.dashboards.rag import rate, tag_text
from trustlens.organisations.models import Academy

GROUP_MEASURES = ("va", "attendance", "p8", "ks2_rwm", "a8")


def group_label(breakdown: str, group: str) -> str:
    if breakdown == "year_group":
        return f"Year {group}"
    if breakdown == "subject":
        return group
    return GROUP_LABELS.get((breakdown, group), f"{BREAKDOWNS.get(breakdown, breakdown)}: {group}")


def _maybe_suppress(user: Any, cells: list[Cell]) -> list[Cell]:
    if services.suppressing(scope_of(user)):
        suppress_cells(cells, settings.SUPPRESSION_THRESHOLD)
    return cells


# --- charts --------------------------------------------------------------------------------------


def funnel_chart(
    summaries: services.Summaries | None, academies: list[Academy], measure: str
) -> charts.Chart | None:
    data = services.funnel_data(summaries, {str(a.urn): a.name for a in academies}, measure)
    if data is None:
        return None
    spec = MEASURES[measure]
    title = f"{spec.label} by academy against number of pupils, {data['period']} (funnel plot)"
    return charts.funnel_chart(
        data["points"],
        data["limits"],
        data["target"],
        title=title,
        y_label=spec.label,
        decimals=spec.decimals,
    )


def trend_chart(
    summaries: services.Summaries | None,
    series: list[tuple[str, str, str]],
    measure: str,
    user: Any,
    title: str | None = None,
) -> charts.Chart | None:
    """``series``: (label, level, unit). Points carry n and interval; suppressed for trustees."""
    if summaries is None:
        return None
    spec = MEASURES[measure]
    out = []
    for label, level, unit in series:
        rows = summaries.series(level, unit, measure)[-15:]
        cells = _maybe_suppress(user, [services.cell_from(r, measure) for r in rows])
        points = [
            {
                "period": c.period,
                "score": c.score,
                "ci_low": c.ci_low,
                "ci_high": c.ci_high,
                "pupils": int(c.pupils or 0),
            }
            for c in cells
            if c.available
        ]
        if points:
            out.append({"label": label, "points": points})
    if not out:
        return None
    return charts.trend_chart(
        out, title=title or f"{spec.label} over time", y_label=spec.label, decimals=spec.decimals
    )


def interval_chart(rows: list[dict], measure: str, title: str) -> charts.Chart | None:
    points = [
        {
            "label": r["label"],
            "score": r["cell"].score,
            "ci_low": r["cell"].ci_low,
            "ci_high": r["cell"].ci_high,
            "pupils": r["cell"].n_text,
        }
        for r in rows
        if r["cell"].available
    ]
    if not points:
        return None
    spec = MEASURES[measure]
    reference = 0.0 if spec.progress else None
    label = "the national average" if measure == "p8" else "the trust average"
    return charts.interval_chart(
        points,
        title=title,
        x_label=spec.label,
        reference=reference,
        reference_label=label,
        decimals=spec.decimals,
    )


def overview_charts(context: dict) -> list[charts.Chart]:
    """Funnel plots (P8, VA) of the academies in scope, the trust's VA trend, and the spread
    of attendance across academies."""
    found: list[charts.Chart] = []
    for entry in context["trusts"]:
        summaries = entry["summaries"]
        academies = [
            r["academy"] for r in context["rows"] if r["academy"].trust_id == entry["trust"].pk
        ]
        for measure in ("p8", "va"):
            chart = funnel_chart(summaries, academies, measure)
            if chart:
                found.append(chart)
        user = context.get("user")
        for measure in ("p8", "ks2_rwm", "attendance"):
            chart = trend_chart(
                summaries,
                [(entry["trust"].name, "trust", "trust")],
                measure,
                user,
                f"{MEASURES[measure].label} across the trust, by year ({entry['trust'].name})",
            )
            if chart:
                found.append(chart)
        values = [
            c.score
            for r in context["rows"]
            if r["academy"].trust_id == entry["trust"].pk
            for c in r["cells"].get("attendance", [])
            if c.available
        ]
        if values:
            found.append(
                charts.distribution_chart(
                    values,
                    title="Attendance across academies (latest year)",
                    x_label="Attendance (%)",
                    bins=8,
                )
            )
    return found


# --- region and cluster --------------------------------------------------------------------------


def unit_context(user: Any, level: str, node: Any, academies: list[Academy]) -> dict:
    trust = academies[0].trust
    summaries = services.summaries_for(trust.slug)
    phase = _main_phase(academies)
    cells = services.unit_summary(user, level, str(node.pk), trust.slug, phase)
    trust_cells = services.unit_summary(user, "trust", "trust", trust.slug, phase)
    overview = services.overview_context(user)
    rows = [r for r in overview["rows"] if r["academy"].pk in {a.pk for a in academies}]
    found = [
        c
        for c in (
            funnel_chart(summaries, academies, "p8"),
            funnel_chart(summaries, academies, "va"),
        )
        if c
    ]
    trend = trend_chart(
        summaries,
        [(node.name, level, str(node.pk)), (trust.name, "trust", "trust")],
        "va",
        user,
        f"In-year value added: {node.name} and the trust",
    )
    if trend:
        found.append(trend)
    clusters = []
    if level == "region":
        for cluster in sorted({a.cluster for a in academies if a.cluster_id}, key=lambda c: c.name):
            clusters.append(
                {
                    "cluster": cluster,
                    "cells": services.unit_summary(
                        user, "cluster", str(cluster.pk), trust.slug, phase
                    ),
                }
            )
    return {
        "level": level,
        "node": node,
        "trust": trust,
        "cells": cells,
        "trust_cells": trust_cells,
        "columns": overview["columns"],
        "column_groups": overview["column_groups"],
        "rows": rows,
        "charts": found,
        "clusters": clusters,
        "headline": headline_rows(overview["columns"], cells, trust_cells),
    }


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


# --- academy -------------------------------------------------------------------------------------


def academy_context(user: Any, academy: Academy) -> dict:
    summaries = services.summaries_for(academy.trust.slug)
    cells = services.unit_summary(
        user, "academy", str(academy.urn), academy.trust.slug, academy.phase
    )
    trust_cells = services.unit_summary(user, "trust", "trust", academy.trust.slug, academy.phase)
    columns = services._columns(scope_of(user))
    context = {
        "academy": academy,
        "summaries": summaries,
        "headline": headline_rows(columns, cells, trust_cells),
    }
    if summaries is None:
        return context | {"year_groups": [], "subjects": [], "groups": [], "charts": []}
    urn = str(academy.urn)
    context["year_groups"] = breakdown_rows(user, summaries, urn, "year_group", "va")
    context["subjects"] = breakdown_rows(user, summaries, urn, "subject", "va")
    context["groups"] = group_table(user, summaries, urn)
    context["va_period"] = summaries.latest_period("va")
    context["charts"] = _academy_charts(user, summaries, academy, context)
    return context


def breakdown_rows(
    user: Any, summaries: services.Summaries, urn: str, breakdown: str, measure: str
) -> list[dict]:
    """One row per group (latest period): the academy's cell and the trust's same group."""
    rows = []
    for group in summaries.groups("academy", urn, measure, breakdown):
        cell = summaries.cell("academy", urn, measure, breakdown, group)
        trust = summaries.cell("trust", "trust", measure, breakdown, group)
        rate(cell)
        rows.append(
            {"label": group_label(breakdown, group), "cell": cell, "trust": trust, "group": group}
        )
    _maybe_suppress(user, [r["cell"] for r in rows] + [r["trust"] for r in rows])
    for row in rows:
        row["tag"] = tag_text(row["cell"].rag, row["cell"])
    return sorted(rows, key=lambda r: _sort_key(breakdown, r["group"]))


def _sort_key(breakdown: str, group: str) -> tuple:
    if breakdown == "year_group" and group.lstrip("-").isdigit():
        return (int(group), "")
    order = {"low": 0, "middle": 1, "high": 2, "True": 0, "False": 1, "N": 0, "K": 1, "E": 2}
    return (order.get(group, 9), group)


def group_table(user: Any, summaries: services.Summaries, urn: str) -> list[dict]:
    """Pupil groups (disadvantaged, SEN, EAL, sex, prior attainment) x measures."""
    measures = [m for m in GROUP_MEASURES if summaries.series("academy", urn, m)]
    table = []
    for breakdown, title in BREAKDOWNS.items():
        groups: list[str] = []
        for m in measures:
            groups += [g for g in summaries.groups("academy", urn, m, breakdown) if g not in groups]
        rows = []
        for group in sorted(groups, key=lambda g: _sort_key(breakdown, g)):
            cells = [summaries.cell("academy", urn, m, breakdown, group) for m in measures]
            _maybe_suppress(user, cells)
            rows.append({"label": group_label(breakdown, group), "cells": cells})
        if rows:
            table.append({"breakdown": breakdown, "title": title, "rows": rows})
    return [{"measures": [MEASURES[m] for m in measures], "sections": table}] if table else []


def _academy_charts(
    user: Any, summaries: services.Summaries, academy: Academy, context: dict
) -> list[charts.Chart]:
    urn = str(academy.urn)
    found = []
    trend = trend_chart(
        summaries,
        [(academy.name, "academy", urn), ("Trust", "trust", "trust")],
        "va",
        user,
        f"In-year value added by window: {academy.name} and the trust",
    )
    if trend:
        found.append(trend)
    statutory = "p8" if summaries.series("academy", urn, "p8") else "ks2_rwm"
    trend = trend_chart(
        summaries,
        [(academy.name, "academy", urn), ("Trust", "trust", "trust")],
        statutory,
        user,
        f"{MEASURES[statutory].label} by year: {academy.name} and the trust",
    )
    if trend:
        found.append(trend)
    trend = trend_chart(
        summaries,
        [(academy.name, "academy", urn), ("Trust", "trust", "trust")],
        "attendance",
        user,
        f"Attendance by year: {academy.name} and the trust",
    )
    if trend:
        found.append(trend)
    groups = [
        {"label": row["label"], "cell": row["cells"][0]}
        for block in context["groups"]
        for g in block["sections"]
        for row in g["rows"]
        if block["measures"] and block["measures"][0].code == "va"
    ]
    chart = interval_chart(
        groups,
        "va",
        f"In-year value added by pupil group, {context.get('va_period') or ''}: {academy.name}",
    )
    if chart:
        found.append(chart)
    gap = "p8_gap" if summaries.series("academy", urn, "p8_gap") else "ks2_rwm_gap"
    rows = [
        {"label": academy.name, "cell": summaries.cell("academy", urn, gap)},
        {"label": "Trust", "cell": summaries.cell("trust", "trust", gap)},
    ]
    _maybe_suppress(user, [r["cell"] for r in rows])
    chart = interval_chart(rows, gap, f"{MEASURES[gap].label}: disadvantaged minus other pupils")
    if chart:
        found.append(chart)
    return found


def class_rows(user: Any, academy: Academy, groups: list) -> list[dict]:
    """Classes of an academy with their latest value added (class aggregates)."""
    summaries = services.summaries_for(academy.trust.slug)
    scope = scope_of(user)
    rows = []
    for group in groups:
        cell = (
            summaries.cell("class", str(group.pk), "va")
            if summaries
            else Cell(measure="va", symbol="x")
        )
        rows.append(
            {
                "group": group,
                "cell": cell,
                "can_open": group.pk in scope.class_ids or scope.sees_pupils_of(academy.pk),
                "url": reverse(
                    "dashboards:class", kwargs={"urn": academy.urn, "class_id": group.pk}
                ),
            }
        )
    _maybe_suppress(user, [r["cell"] for r in rows])
    return rows


def class_context(user: Any, academy: Academy, group: Any, pupils: list) -> dict:
    """A class: its value added against the academy and the trust, and each pupil's latest
    value added by subject (formative data; pupil names come from the records database)."""
    summaries = services.summaries_for(academy.trust.slug)
    urn = str(academy.urn)
    cells = []
    if summaries is not None:
        for row in summaries.series("class", str(group.pk), "va"):
            cell = services.cell_from(row, "va")
            academy_cell = summaries.cell("academy", urn, "va", period=row["period"])
            trust_cell = summaries.cell("trust", "trust", "va", period=row["period"])
            rate(cell)
            cells.append(
                {
                    "cell": cell,
                    "academy": academy_cell,
                    "trust": trust_cell,
                    "tag": tag_text(cell.rag, cell),
                }
            )
    latest = services.pupil_latest(academy.trust.slug, [p.pupil_id for p in pupils])
    subject = (group.subject or "").lower()
    rows, values = [], []
    for pupil in sorted(pupils, key=lambda p: (p.surname, p.forename)):
        mine = latest[latest["pupil_id"] == pupil.pupil_id] if not latest.empty else latest
        if subject and not mine.empty:
            mine = mine[mine["subject"].str.lower() == subject]
        scores = (
            {str(r.subject): float(r.va) for r in mine.itertuples(index=False)}
            if not mine.empty
            else {}
        )
        mean = sum(scores.values()) / len(scores) if scores else None
        if mean is not None:
            values.append(mean)
        rows.append({"pupil": pupil, "scores": scores, "mean": mean})
    subjects = sorted({s for r in rows for s in r["scores"]})
    found = []
    if values:
        found.append(
            charts.distribution_chart(
                values,
                title=f"Pupils' value added in {group.name} (latest window)",
                x_label="Value added (SD units)",
                bins=8,
                decimals=2,
                marker=0.0,
                marker_label="trust average",
            )
        )
    return {
        "academy": academy,
        "group": group,
        "cells": cells,
        "pupils": rows,
        "subjects": subjects,
        "charts": found,
        "window": latest["academic_year"].iloc[0] + " " + latest["term"].iloc[0]
        if not latest.empty
        else "",
    }

"""One academy in depth: headline against the trust, year groups, subjects, pupil groups and
trends (class rows are added by the view for pupil-level scopes, ``contexts.classes``)."""

from __future__ import annotations

from typing import Any

from trustlens.analytics.summaries.group_gaps import BASE_MEASURES, PAIRS, gap_code
from trustlens.dashboards import charts, pages
from trustlens.dashboards.audience import Audience, audience_for
from trustlens.dashboards.cells import columns_for
from trustlens.dashboards.choices import BREAKDOWNS, GROUP_LABELS, MEASURES
from trustlens.dashboards.contexts.unit import headline_cells, headline_rows
from trustlens.dashboards.rag import rate, tag_text
from trustlens.dashboards.reading import Summaries, summaries_for
from trustlens.organisations.models import Academy

GROUP_MEASURES = ("va", "attendance", "p8", "ks2_rwm", "a8")
GROUP_ORDER = {"low": 0, "middle": 1, "high": 2, "True": 0, "False": 1, "N": 0, "K": 1, "E": 2}


def group_label(breakdown: str, group: str) -> str:
    if breakdown == "year_group":
        return f"Year {group}"
    if breakdown == "subject":
        return group
    return GROUP_LABELS.get((breakdown, group), f"{BREAKDOWNS.get(breakdown, breakdown)}: {group}")


def academy_context(user: Any, academy: Academy) -> dict:
    audience = audience_for(user)
    slug, urn, phase = academy.trust.slug, str(academy.urn), academy.phase
    summaries = summaries_for(slug)
    cells = headline_cells(audience, "academy", urn, slug, phase)
    trust_cells = headline_cells(audience, "trust", "trust", slug, phase)
    context = {
        "academy": academy,
        "summaries": summaries,
        "headline": headline_rows(columns_for(audience), cells, trust_cells),
    }
    if summaries is None:
        return context | {"year_groups": [], "subjects": [], "groups": [], "charts": []}
    context["year_groups"] = breakdown_rows(audience, summaries, urn, "year_group", "va")
    context["subjects"] = breakdown_rows(audience, summaries, urn, "subject", "va")
    context["groups"] = group_table(audience, summaries, urn)
    context["gaps"] = gap_rows(audience, summaries, urn)
    context["va_period"] = summaries.latest_period("va")
    context["charts"] = _academy_charts(audience, summaries, academy, context)
    return context


def breakdown_rows(
    audience: Audience, summaries: Summaries, urn: str, breakdown: str, measure: str
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
    audience.disclose([r["cell"] for r in rows] + [r["trust"] for r in rows])
    for row in rows:
        row["tag"] = tag_text(row["cell"].rag, row["cell"])
    return sorted(rows, key=lambda r: _sort_key(breakdown, r["group"]))


def _sort_key(breakdown: str, group: str) -> tuple:
    if breakdown == "year_group" and group.lstrip("-").isdigit():
        return (int(group), "")
    return (GROUP_ORDER.get(group, 9), group)


def group_table(audience: Audience, summaries: Summaries, urn: str) -> list[dict]:
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
            audience.disclose(cells)
            rows.append({"label": group_label(breakdown, group), "cells": cells})
        if rows:
            table.append({"breakdown": breakdown, "title": title, "rows": rows})
    return [{"measures": [MEASURES[m] for m in measures], "sections": table}] if table else []


def gap_rows(audience: Audience, summaries: Summaries, urn: str) -> list[dict]:
    """Each group against its reference group (disadvantaged, SEN, EAL, sex, prior band) on
    value added, P8, attendance and KS2 RWM: the gap with n, CI and RAG with its rule."""
    rows = []
    for breakdown, (reference, others) in PAIRS.items():
        for measure in BASE_MEASURES:
            code = gap_code(measure)
            for group in others:
                if not summaries.series("academy", urn, code, breakdown, group):
                    continue
                cell = summaries.cell("academy", urn, code, breakdown, group)
                trust = summaries.cell("trust", "trust", code, breakdown, group)
                rate(cell)
                rows.append(
                    {
                        "label": f"{group_label(breakdown, group)} minus {group_label(breakdown, reference)}",
                        "measure": MEASURES[measure].label,
                        "cell": cell,
                        "trust": trust,
                    }
                )
    audience.disclose([r["cell"] for r in rows] + [r["trust"] for r in rows])
    for row in rows:
        row["tag"] = tag_text(row["cell"].rag, row["cell"])
    return rows


def _academy_charts(
    audience: Audience, summaries: Summaries, academy: Academy, context: dict
) -> list[charts.Chart]:
    urn, name = str(academy.urn), academy.name
    statutory = "p8" if summaries.series("academy", urn, "p8") else "ks2_rwm"
    found = pages.against_trust(
        summaries,
        name,
        "academy",
        urn,
        audience,
        [
            ("va", f"In-year value added by window: {name} and the trust"),
            (statutory, f"{MEASURES[statutory].label} by year: {name} and the trust"),
            ("attendance", f"Attendance by year: {name} and the trust"),
        ],
    )
    period = context.get("va_period") or ""
    found.append(
        pages.interval_chart(
            _va_group_rows(context), "va", f"In-year value added by pupil group, {period}: {name}"
        )
    )
    found.append(_gap_chart(audience, summaries, academy))
    return [c for c in found if c]


def _va_group_rows(context: dict) -> list[dict]:
    return [
        {"label": row["label"], "cell": row["cells"][0]}
        for block in context["groups"]
        for g in block["sections"]
        for row in g["rows"]
        if block["measures"] and block["measures"][0].code == "va"
    ]


def _gap_chart(audience: Audience, summaries: Summaries, academy: Academy) -> Any:
    urn = str(academy.urn)
    gap = "p8_gap" if summaries.series("academy", urn, "p8_gap") else "ks2_rwm_gap"
    rows = [
        {"label": academy.name, "cell": summaries.cell("academy", urn, gap)},
        {"label": "Trust", "cell": summaries.cell("trust", "trust", gap)},
    ]
    audience.disclose([r["cell"] for r in rows])
    title = f"{MEASURES[gap].label}: disadvantaged minus other pupils"
    return pages.interval_chart(rows, gap, title)

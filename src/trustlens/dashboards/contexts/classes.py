"""Class rows of an academy page and the class page itself (formative data for
pupil-level scopes; pupil names come from the records database, figures from the summaries)."""

from __future__ import annotations

from typing import Any

import pandas as pd
from django.urls import reverse

from trustlens.dashboards import charts
from trustlens.dashboards.audience import audience_for
from trustlens.dashboards.formatting import Cell, cell_from
from trustlens.dashboards.rag import rate, tag_text
from trustlens.dashboards.reading import Summaries, pupil_latest, summaries_for
from trustlens.organisations.models import Academy


def class_rows(user: Any, academy: Academy, groups: list) -> list[dict]:
    """Classes of an academy with their latest value added (class aggregates)."""
    audience = audience_for(user)
    summaries = summaries_for(academy.trust.slug)
    rows = []
    for group in groups:
        cell = (
            summaries.cell("class", str(group.pk), "va")
            if summaries
            else Cell(measure="va", symbol="x")
        )
        can_open = group.pk in audience.scope.class_ids or audience.scope.sees_pupils_of(academy.pk)
        url = reverse("dashboards:class", kwargs={"urn": academy.urn, "class_id": group.pk})
        rows.append({"group": group, "cell": cell, "can_open": can_open, "url": url})
    audience.disclose([r["cell"] for r in rows])
    return rows


def class_context(user: Any, academy: Academy, group: Any, pupils: list) -> dict:
    """A class: its value added against the academy and the trust, and each pupil's latest
    value added by subject."""
    summaries = summaries_for(academy.trust.slug)
    latest = pupil_latest(academy.trust.slug, [p.pupil_id for p in pupils])
    rows = _pupil_rows(pupils, latest, (group.subject or "").lower())
    values = [r["mean"] for r in rows if r["mean"] is not None]
    return {
        "academy": academy,
        "group": group,
        "cells": _class_cells(summaries, str(academy.urn), group) if summaries else [],
        "pupils": rows,
        "subjects": sorted({s for r in rows for s in r["scores"]}),
        "charts": [_spread_chart(group, values)] if values else [],
        "window": latest["academic_year"].iloc[0] + " " + latest["term"].iloc[0]
        if not latest.empty
        else "",
    }


def _class_cells(summaries: Summaries, urn: str, group: Any) -> list[dict]:
    out = []
    for row in summaries.series("class", str(group.pk), "va"):
        cell = rate(cell_from(row, "va"))
        out.append(
            {
                "cell": cell,
                "academy": summaries.cell("academy", urn, "va", period=row["period"]),
                "trust": summaries.cell("trust", "trust", "va", period=row["period"]),
                "tag": tag_text(cell.rag, cell),
            }
        )
    return out


def _pupil_rows(pupils: list, latest: pd.DataFrame, subject: str) -> list[dict]:
    rows = []
    for pupil in sorted(pupils, key=lambda p: (p.surname, p.forename)):
        mine = latest[latest["pupil_id"] == pupil.pupil_id] if not latest.empty else latest
        if subject and not mine.empty:
            mine = mine[mine["subject"].str.lower() == subject]
        scores = {str(r.subject): float(r.va) for r in mine.itertuples(index=False)}
        mean = sum(scores.values()) / len(scores) if scores else None
        rows.append({"pupil": pupil, "scores": scores, "mean": mean})
    return rows


def _spread_chart(group: Any, values: list[float]) -> charts.Chart:
    return charts.distribution_chart(
        values,
        title=f"Pupils' value added in {group.name} (latest window)",
        x_label="Value added (SD units)",
        bins=8,
        decimals=2,
        marker=0.0,
        marker_label="trust average",
    )

"""Inclusion pages (trust, region, cluster, academy): unexplained exits and moves off roll.

Figures are the ``exits*`` facts (``analytics.summaries.inclusion``, from
``analytics.measures.exits``): the unit against the trust, the funnel of its academies around
the trust's rate, the trend over years, the pupil groups and the timing of exits, each with n
and its 95% interval. Every cell goes through the audience's ``disclose`` (trustees: groups
under the threshold are ``c``). No pupil is named here; the list of leavers is its own view.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trustlens.analytics.measures import exits
from trustlens.dashboards import pages
from trustlens.dashboards.audience import Audience, audience_for
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.formatting import Cell
from trustlens.dashboards.rag import rate, tag_text
from trustlens.dashboards.reading import Summaries, summaries_for
from trustlens.organisations.models import Academy

HEADLINE = ("exits", "exits_moves", "exits_explained", "exits_excluded")
GROUPS = tuple(exits.CHARACTERISTIC_GROUPS)
TIMING = exits.TIMING_GROUPS


@dataclass(frozen=True)
class Unit:
    """The unit an inclusion page is about: its level, key in the facts and name."""

    level: str  #: trust, region, cluster or academy
    key: str  #: "trust", region or cluster id, or URN
    name: str


def inclusion_context(
    user: Any,
    unit: Unit,
    trust: Any,
    academies: list[Academy],
    audience: Audience | None = None,
    as_of: int | None = None,
) -> dict:
    """The page for ``unit`` (``academies``: those of it the user sees, for the funnel and the
    academies table); ``audience`` defaults to the user's (the board pack forces suppression),
    ``as_of`` limits the figures to years published by then."""
    audience = audience or audience_for(user)
    summaries = summaries_for(trust.slug)
    context = {"unit": unit, "trust": trust, "summaries": summaries, "audience": audience}
    if summaries is None:
        return context | {"headline": [], "groups": [], "timing": [], "charts": [], "rows": []}
    period = summaries.latest_period("exits", "trust", as_of=as_of)
    return context | {
        "period": period,
        "headline": headline(audience, summaries, unit, period),
        "groups": group_rows(audience, summaries, unit, "exit_group", GROUPS, period),
        "timing": group_rows(audience, summaries, unit, "exit_timing", TIMING, period),
        "charts": inclusion_charts(audience, summaries, unit, academies),
        "rows": academy_rows(audience, summaries, academies, period)
        if unit.level != "academy"
        else [],
    }


def _cell(summaries: Summaries, level: str, key: str, measure: str, *group: str, period=None):
    """A cell of the latest period (or ``period``), rated by the inclusion rules."""
    breakdown_group = group or ("all", "all")
    cell = summaries.cell(level, key, measure, *breakdown_group, period=period)
    return rate(cell)


def headline(audience: Audience, summaries: Summaries, unit: Unit, period: str | None) -> list:
    """One row per inclusion measure: the unit's cell, the trust's, the counts behind them."""
    rows = []
    for measure in HEADLINE:
        cell = _cell(summaries, unit.level, unit.key, measure, period=period)
        trust = _cell(summaries, "trust", "trust", measure, period=period)
        rows.append({"label": MEASURES[measure].label, "cell": cell, "trust": trust})
    audience.disclose([r["cell"] for r in rows] + [r["trust"] for r in rows])
    for row in rows:
        row["tag"] = tag_text(row["cell"].rag, row["cell"])
        row["counts"] = counts_text(row["cell"])
    return rows


def counts_text(cell: Cell) -> str:
    """The counts behind a rate ("13 unexplained exits, 1 explained moves, ..."), or "" when
    the figure is withheld or missing."""
    return "" if cell.symbol or not cell.note else cell.note


def group_rows(
    audience: Audience,
    summaries: Summaries,
    unit: Unit,
    breakdown: str,
    groups: tuple[str, ...],
    period: str | None,
) -> list[dict]:
    """Unexplained exits per pupil group (or timing) of the unit beside the trust's group;
    every group is listed (``x`` when the unit has no pupil in it)."""
    rows = []
    for group in groups:
        cell = _cell(summaries, unit.level, unit.key, "exits", breakdown, group, period=period)
        trust = _cell(summaries, "trust", "trust", "exits", breakdown, group, period=period)
        rows.append({"label": group, "cell": cell, "trust": trust})
    audience.disclose([r["cell"] for r in rows] + [r["trust"] for r in rows])
    for row in rows:
        row["counts"] = counts_text(row["cell"])
    return rows


def academy_rows(
    audience: Audience, summaries: Summaries, academies: list[Academy], period: str | None
) -> list[dict]:
    """Each academy's unexplained exits and moves off roll, rated on the funnel."""
    rows = []
    for academy in academies:
        urn = str(academy.urn)
        cells = [_cell(summaries, "academy", urn, m, period=period) for m in HEADLINE[:2]]
        audience.disclose(cells)
        rows.append(
            {"academy": academy, "cells": cells, "tags": [tag_text(c.rag, c) for c in cells]}
        )
    return rows


def inclusion_charts(
    audience: Audience, summaries: Summaries, unit: Unit, academies: list[Academy]
) -> list:
    """Funnels of the academies (exits, moves off roll) and the trends beside the trust."""
    found = [pages.funnel_chart(summaries, academies, m) for m in ("exits", "exits_moves")]
    series = [(unit.name, unit.level, unit.key)]
    if unit.level != "trust":
        series.append(("Trust", "trust", "trust"))
    for measure in ("exits", "exits_moves"):
        title = f"{MEASURES[measure].label} by year: {unit.name}" + (
            " and the trust" if unit.level != "trust" else ""
        )
        found.append(pages.trend_chart(summaries, series, measure, audience, title))
    return [c for c in found if c]


def trust_academies(user: Any, trust: Any) -> list[Academy]:
    """The trust's academies the user sees (for the funnel and the academies table)."""
    return list(
        Academy.objects.restrict(user)
        .filter(trust=trust)
        .select_related("trust", "cluster__region")
        .order_by("name")
    )

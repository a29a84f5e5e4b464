"""The board summary: one page a trustee reads in five minutes.

Three short lists, each figure with its n and 95% interval, aggregates only (small groups
withheld whoever reads it, as in the board pack):

- **what changed**: the trust's and academies' rated figures whose change since the previous
  period is larger than its own uncertainty (|z| > 1.96, with z = change / sqrt(se1² + se0²),
  the usual two-sample normal test; figures without a standard error are not tested);
- **outliers**: academies' red ratings (below England by more than the interval and the
  material gap, or beyond the 99.8% funnel limit), with the rule that fired;
- **risks**: where the trust as a whole is red or amber (against England where loaded), and
  how many academies have a red status.

Everything comes from the overview's memoised rated cells (no per-request statistics beyond
this small selection) and the summaries' series.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.conf import settings

from trustlens.dashboards.cells import RATED_FOR_STATUS
from trustlens.dashboards.choices import MEASURES, RAG
from trustlens.dashboards.contexts.overview import overview_context
from trustlens.dashboards.formatting import change_size, fmt
from trustlens.dashboards.rag import tag_text

LIMIT = 6
Z = 1.96


def board_context(user: Any, as_of: dt.date | None = None) -> dict:
    return summary_of(overview_context(user, as_of=as_of, suppress=True)) | {"as_of": as_of}


def summary_of(context: dict) -> dict:
    """The board summary of an overview context (suppressed: the board pack's or the page's)."""
    rows, trusts = context["rows"], context["trusts"]
    return {
        "trusts": trusts,
        "changes": changes(trusts, rows)[:LIMIT],
        "outliers": outliers(rows)[: LIMIT * 2],
        "risks": risks(trusts, rows),
        "academy_count": len(rows),
        "red_count": sum(1 for r in rows if r["status"] == RAG.RED),
        "threshold": settings.SUPPRESSION_THRESHOLD,
        "trust_measures": [trust_measures(t, context["audience"]) for t in trusts],
    }


def trust_measures(entry: dict, audience: Any) -> dict:
    """The trust's Progress 8 two ways: the DfE MAT measure (academies 3+ years in the trust,
    weighted by cohort and years) and by years in the trust (``analytics.rollup``)."""
    summaries = entry["summaries"]
    if summaries is None:
        return {"trust": entry["trust"], "mat": None, "years": []}
    mat = summaries.cell("trust", "trust", "p8_mat")
    groups = summaries.groups("trust", "trust", "p8_time_in_trust", "years_in_trust")
    years = [
        (g, summaries.cell("trust", "trust", "p8_time_in_trust", "years_in_trust", g))
        for g in sorted(groups, key=lambda g: int(g.rstrip("+")))
    ]
    latest = max((c.period for _g, c in years), default="")
    years = [(g, c) for g, c in years if c.period == latest]  # one year's results
    audience.disclose([mat] + [c for _g, c in years])
    return {
        "trust": entry["trust"],
        "mat": mat if mat.available or mat.symbol == "c" else None,
        "years": [
            {"label": f"{g} full year{'' if g == '1' else 's'}", "cell": c} for g, c in years
        ],
    }


def _rated_cells(entry: dict) -> list:
    return [
        c
        for column, items in entry["cells"].items()
        if column in RATED_FOR_STATUS
        for c in items
        if c.available and not c.too_few and c.rag != RAG.GREY
    ]


def changes(trusts: list[dict], rows: list[dict]) -> list[dict]:
    """Changes beyond their uncertainty, largest |z| first."""
    found = []
    for entry in trusts:
        summaries = entry["summaries"]
        if summaries is None:
            continue
        units = [("trust", "trust", entry["trust"].name)]
        units += [
            ("academy", str(r["academy"].urn), r["academy"].name)
            for r in rows
            if r["academy"].trust_id == entry["trust"].pk
        ]
        for level, unit, name in units:
            for measure in _measures(entry, rows, level, unit):
                change = _change(summaries.series(level, unit, measure), measure, name)
                if change:
                    found.append(change)
    return sorted(found, key=lambda c: -abs(c["z"]))


def _measures(entry: dict, rows: list[dict], level: str, unit: str) -> list[str]:
    source = entry if level == "trust" else next(r for r in rows if str(r["academy"].urn) == unit)
    return list(dict.fromkeys(c.measure for c in _rated_cells(source)))


def _change(series: list[dict], measure: str, name: str) -> dict | None:
    if len(series) < 2:
        return None
    now, before = series[-1], series[-2]
    threshold = settings.SUPPRESSION_THRESHOLD
    if any((r["pupils"] or 0) < threshold for r in (now, before)):
        return None
    se = [r.get("se") for r in (now, before)]
    if any(s is None or not math.isfinite(s) for s in se) or now["score"] is None:
        return None
    diff = now["score"] - before["score"]
    spread = math.sqrt(se[0] ** 2 + se[1] ** 2)
    if spread <= 0 or abs(diff / spread) <= Z:
        return None
    spec = MEASURES[measure]
    better = diff > 0 if spec.higher_is_better else diff < 0
    return {
        "name": name,
        "label": spec.label,
        "z": diff / spread,
        "text": f"{'up' if diff > 0 else 'down'} {change_size(measure, abs(diff))}",
        "interval": f"{change_size(measure, diff - Z * spread)} to {change_size(measure, diff + Z * spread)}",
        "from": f"{fmt(measure, before['score'])} ({before['period']})",
        "to": f"{fmt(measure, now['score'])} ({now['period']})",
        "n": f"{int(now['pupils']):,}",
        "better": better,
    }


def outliers(rows: list[dict]) -> list[dict]:
    """Academies' red ratings, the rule that fired, n and interval."""
    out = []
    for row in rows:
        for cell in _rated_cells(row):
            if cell.rag == RAG.RED:
                out.append(_item(row["academy"].name, cell))
    return out


def risks(trusts: list[dict], rows: list[dict]) -> list[dict]:
    """The trust's own red and amber ratings (the trust against England)."""
    out = []
    for entry in trusts:
        for cell in _rated_cells(entry):
            if cell.rag in (RAG.RED, RAG.AMBER):
                out.append(_item(entry["trust"].name, cell))
    return sorted(out, key=lambda i: RAG.ORDER[i["rag"]])


def _item(name: str, cell: Any) -> dict:
    return {
        "name": name,
        "label": MEASURES[cell.measure].label,
        "cell": cell,
        "rag": cell.rag,
        "tag": tag_text(cell.rag, cell),
        "rule": cell.extra.get("rule") or (cell.flag or cell.band or ""),
        "national": cell.extra.get("national"),
    }

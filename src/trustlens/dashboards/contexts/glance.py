"""At a glance: academies x measures as a colour grid a leader scans in seconds.

Each square is one rated figure: its RAG (a colour *and* a letter: R, A, G, or a dash when
not rated), its value, a sparkline of its trend, and its reason on hover or keyboard focus
and in text (``title`` and a visually hidden sentence). Academies with the most red and amber
come first (the outliers), then by name. Built from the overview's memoised rated cells;
the sparklines are memoised per summaries build.
"""

from __future__ import annotations

from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trustlens.dashboards.cells import OVERVIEW_MEASURES
from trustlens.dashboards.choices import MEASURES, RAG
from trustlens.dashboards.contexts.overview import overview_context
from trustlens.dashboards.rag import tag_text

LETTER = {RAG.RED: "R", RAG.AMBER: "A", RAG.GREEN: "G", RAG.GREY: "–"}
SPARK_W, SPARK_H = 56, 16
GRID_COLUMNS = [c for c in OVERVIEW_MEASURES if c[0] not in ("sen_share", "safeguarding")]


def glance_context(user: Any) -> dict:
    context = overview_context(user)
    columns = [c for c in GRID_COLUMNS if c in context["columns"]]
    rows = [_row(row, columns, context) for row in context["rows"]]
    rows.sort(key=lambda r: (-r["reds"], -r["ambers"], r["academy"].name))
    return {
        "columns": columns,
        "rows": rows,
        "suppressed": context["suppressed"],
        "counts": {rag: sum(r[f"{rag}s"] for r in rows) for rag in ("red", "amber")},
    }


def _row(row: dict, columns: list, context: dict) -> dict:
    academy = row["academy"]
    summaries = next(
        (t["summaries"] for t in context["trusts"] if t["trust"].pk == academy.trust_id), None
    )
    squares = []
    for column, label in columns:
        cells = row["cells"].get(column) or []
        cell = min(cells, key=lambda c: RAG.ORDER[c.rag]) if cells else None
        squares.append(_square(cell, label, academy, summaries, context["suppressed"]))
    rated = [s["rag"] for s in squares]
    return {
        "academy": academy,
        "status": row["status"],
        "status_tag": row["status_tag"],
        "squares": squares,
        "reds": rated.count(RAG.RED),
        "ambers": rated.count(RAG.AMBER),
    }


def _square(cell: Any, label: str, academy: Any, summaries: Any, suppressed: bool) -> dict:
    if cell is None:
        return {
            "rag": RAG.GREY,
            "letter": LETTER[RAG.GREY],
            "text": "x",
            "reason": f"{label}: no figure.",
            "spark": "",
        }
    spark = ""
    if summaries is not None and not cell.symbol and not (suppressed and cell.too_few):
        spark = sparkline(summaries, str(academy.urn), cell.measure)
    return {
        "rag": cell.rag,
        "letter": LETTER[cell.rag],
        "text": cell.text,
        "tag": tag_text(cell.rag, cell),
        "reason": cell.reason or f"{MEASURES[cell.measure].label}: not rated.",
        "spark": spark,
        "measure": MEASURES[cell.measure].short,
    }


def sparkline(summaries: Any, urn: str, measure: str) -> SafeString:
    """A small inline SVG of the academy's figure over its periods (memoised per build)."""

    def build() -> SafeString:
        rows = summaries.series("academy", urn, measure)
        values = [r["score"] for r in rows if r["score"] is not None][-8:]
        if len(values) < 2:
            return mark_safe("")
        lo, hi = min(values), max(values)
        span = (hi - lo) or 1.0
        step = (SPARK_W - 4) / (len(values) - 1)
        points = " ".join(
            f"{2 + i * step:.1f},{SPARK_H - 2 - (v - lo) / span * (SPARK_H - 4):.1f}"
            for i, v in enumerate(values)
        )
        words = escape(f"trend over {len(values)} periods, latest last")
        return mark_safe(
            f'<svg class="tl-spark" width="{SPARK_W}" height="{SPARK_H}" viewBox="0 0 {SPARK_W} {SPARK_H}" role="img" aria-label="{words}">'
            f'<polyline fill="none" stroke="currentColor" stroke-width="1.5" points="{points}"/></svg>'
        )

    return summaries.memoised(("spark", urn, measure), build)

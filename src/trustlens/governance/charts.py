"""The change between two self-evaluation rounds as a dumbbell chart: one row per area, a
hollow dot at the first round's mean, a filled dot at the latest, joined by a line (built with
the dashboards' SVG parts, so it looks and reads like the trust's other charts: a title, a
summary in words and a table alternative)."""

from __future__ import annotations

from django.utils.html import escape

from trustlens.dashboards.charts import svg
from trustlens.dashboards.charts.svg import Chart, Scale

LABEL_W = 200


def change_chart(areas: list, first: str, last: str) -> Chart:
    """``areas``: [(area, first mean or None, last mean or None)], scores on the 1–4 scale."""
    chart_id, title_id, desc_id = svg.ids_for("selfeval")
    title = f"Change by area: {first} to {last}"
    x = Scale(1, 4, LABEL_W, svg.WIDTH - svg.PAD_R)
    top, bottom = svg.PAD_T + 26, svg.HEIGHT - svg.PAD_B
    step = (bottom - top) / max(len(areas), 1)
    body = [_grid(x, top, bottom), _key(first, last)]
    for k, (area, before, after) in enumerate(areas):
        body.append(_row(area, before, after, x, top + step * (k + 0.5)))
    summary = "; ".join(_words(a, b, c) for a, b, c in areas) or "No scores yet."
    rows = [[a, _num(b), _num(c), _num(c - b) if None not in (b, c) else "–"] for a, b, c in areas]
    return Chart(
        title,
        svg.frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        ["Area", f"{first} (mean)", f"{last} (mean)", "Change"],
        rows,
        chart_id,
    )


def _num(value: float | None) -> str:
    return "–" if value is None else svg.num(value, 1)


def _grid(x: Scale, top: float, bottom: float) -> str:
    parts = []
    for tick in (1, 2, 3, 4):
        parts.append(svg.vline(x(tick), top - 8, bottom, "#dddddd"))
        parts.append(
            f'<text x="{x(tick):.1f}" y="{bottom + 16}" text-anchor="middle" fill="{svg.GREY}">{tick}</text>'
        )
    parts.append(
        f'<text x="{(LABEL_W + svg.WIDTH - svg.PAD_R) / 2}" y="{svg.HEIGHT - 10}" text-anchor="middle" '
        f'fill="{svg.INK}">Mean score (1 a focus for development – 4 strong)</text>'
    )
    return "".join(parts)


def _key(first: str, last: str) -> str:
    y = svg.PAD_T + 4
    return (
        f'<circle cx="{LABEL_W + 6}" cy="{y}" r="5" fill="#fff" stroke="{svg.GREY}" stroke-width="2"/>'
        f'<text x="{LABEL_W + 16}" y="{y + 4}" fill="{svg.INK}">{escape(first)}</text>'
        f'<circle cx="{LABEL_W + 156}" cy="{y}" r="5" fill="{svg.BLUE}"/>'
        f'<text x="{LABEL_W + 166}" y="{y + 4}" fill="{svg.INK}">{escape(last)}</text>'
    )


def _row(area: str, before: float | None, after: float | None, x: Scale, py: float) -> str:
    parts = [
        f'<text x="{LABEL_W - 10}" y="{py + 4:.1f}" text-anchor="end" fill="{svg.INK}">{escape(svg.clip(area, 34))}</text>'
    ]
    if before is not None and after is not None:
        parts.append(
            f'<line x1="{x(before):.1f}" y1="{py:.1f}" x2="{x(after):.1f}" y2="{py:.1f}" stroke="{svg.BLUE}" stroke-width="2"/>'
        )
    if before is not None:
        parts.append(
            f'<circle cx="{x(before):.1f}" cy="{py:.1f}" r="5" fill="#fff" stroke="{svg.GREY}" stroke-width="2"><title>{escape(area)}: {_num(before)}</title></circle>'
        )
    if after is not None:
        parts.append(
            svg.dot(f"{x(after):.1f}", f"{py:.1f}", "5", svg.BLUE, f"{area}: {_num(after)}")
        )
    return "".join(parts)


def _words(area: str, before: float | None, after: float | None) -> str:
    if before is None or after is None:
        return f"{area}: scored in one round only"
    change = after - before
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return f"{area}: {_num(before)} to {_num(after)} ({direction} {_num(abs(change))})"

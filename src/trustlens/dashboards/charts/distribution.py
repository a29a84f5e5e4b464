"""Distribution chart: a histogram (pupils' scores in a class, academies' attendance)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape

from trustlens.dashboards.charts import svg
from trustlens.dashboards.charts.svg import Chart, Scale


def distribution_chart(
    values: Sequence[float],
    *,
    title: str,
    x_label: str,
    bins: int = 12,
    decimals: int = 1,
    marker: float | None = None,
    marker_label: str = "",
) -> Chart:
    """Histogram of values, with an optional marker line (e.g. the trust average)."""
    chart_id, title_id, desc_id = svg.ids_for("dist")
    finite = sorted(v for v in values if v is not None and math.isfinite(v))
    lo, hi = (finite[0], finite[-1]) if finite else (0.0, 1.0)
    hi = hi if hi > lo else lo + 1.0
    width = (hi - lo) / bins
    counts = [0] * bins
    for v in finite:
        counts[min(int((v - lo) / width), bins - 1)] += 1
    x = Scale(lo, hi, svg.PAD_L, svg.WIDTH - svg.PAD_R)
    y = Scale(0, max(counts or [1]) * 1.1, svg.HEIGHT - svg.PAD_B, svg.PAD_T)
    body = [svg.axes(x, y, x_label, "Number"), *_bars(counts, lo, width, x, y)]
    if marker is not None:
        body.append(_marker(x(marker), marker_label))
    summary = _summary(finite, lo, hi, decimals)
    rows = [
        [f"{svg.num(lo + i * width, decimals)} to {svg.num(lo + (i + 1) * width, decimals)}", c]
        for i, c in enumerate(counts)
    ]
    return Chart(
        title,
        svg.frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        [x_label, "Number"],
        rows,
        chart_id,
    )


def _bars(counts: list[int], lo: float, width: float, x: Scale, y: Scale) -> list[str]:
    out = []
    for i, c in enumerate(counts):
        x0, x1 = x(lo + i * width), x(lo + (i + 1) * width)
        out.append(
            f'<rect x="{x0 + 1:.1f}" y="{y(c):.1f}" width="{max(x1 - x0 - 2, 1):.1f}" height="{y(0) - y(c):.1f}" fill="{svg.BLUE}"/>'
        )
    return out


def _marker(px: float, label: str) -> str:
    line = svg.vline(
        px, svg.PAD_T, svg.HEIGHT - svg.PAD_B, svg.RED, ' stroke-width="2" stroke-dasharray="5 3"'
    )
    return (
        line
        + f'<text x="{px + 4:.1f}" y="{svg.PAD_T + 12}" fill="{svg.INK}">{escape(label)}</text>'
    )


def _summary(finite: list[float], lo: float, hi: float, decimals: int) -> str:
    if not finite:
        return "No data yet."
    median = finite[len(finite) // 2]
    return f"{len(finite)} values from {svg.num(lo, decimals)} to {svg.num(hi, decimals)}; median {svg.num(median, decimals)}."

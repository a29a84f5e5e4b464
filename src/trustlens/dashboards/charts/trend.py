"""Trend chart: lines over periods (years or assessment windows) with interval whiskers."""

from __future__ import annotations

import math
from collections.abc import Sequence

from django.utils.html import escape

from trustlens.dashboards.charts import svg
from trustlens.dashboards.charts.svg import Chart, Scale

COLOURS = (svg.BLUE, "#d4351c", "#4c2c92", svg.GREEN, svg.GREY)
DASHES = ("", "6 4", "2 3", "8 3 2 3", "1 2")


def _style(k: int) -> tuple[str, str]:
    return COLOURS[k % len(COLOURS)], DASHES[k % len(DASHES)]


def trend_chart(series: Sequence[dict], *, title: str, y_label: str, decimals: int = 1) -> Chart:
    """Lines over periods with interval whiskers. ``series``: [{label, points: [{period,
    score, ci_low, ci_high, pupils}]}]; periods are placed in the order first seen."""
    chart_id, title_id, desc_id = svg.ids_for("trend")
    periods = list(dict.fromkeys(p["period"] for s in series for p in s["points"]))
    values = [
        v
        for s in series
        for p in s["points"]
        for v in (p["score"], p.get("ci_low"), p.get("ci_high"))
    ]
    x = Scale(-0.5, max(len(periods) - 0.5, 0.5), svg.PAD_L, svg.WIDTH - svg.PAD_R)
    y = Scale(*svg.bounds([v for v in values if v is not None]), svg.HEIGHT - svg.PAD_B, svg.PAD_T)
    body = [svg.axes(x, y, "", y_label, x_ticks=[])]
    step = max(1, math.ceil(len(periods) / 10))  # at most 10 labels; every period keeps its point
    body += [_period_label(x(i), period) for i, period in enumerate(periods) if i % step == 0]
    for k, s in enumerate(series):
        body += _lines(s, k, x, y, periods, decimals)
    body.append(svg.legend([(s["label"], *_style(k)) for k, s in enumerate(series[:4])]))
    summary = "; ".join(_trend_words(s, decimals) for s in series) or "No data yet."
    rows = [
        [
            s["label"],
            p["period"],
            f"{svg.num(p['score'], decimals)}",
            svg.interval_text(p, decimals),
        ]
        + [p.get("pupils", "")]
        for s in series
        for p in s["points"]
    ]
    return Chart(
        title,
        svg.frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        ["Series", "Period", y_label, "95% interval", "Pupils (n)"],
        rows,
        chart_id,
    )


def _lines(s: dict, k: int, x: Scale, y: Scale, periods: list[str], decimals: int) -> list[str]:
    colour, dash = _style(k)
    pts = [(x(periods.index(p["period"])), y(p["score"])) for p in s["points"]]
    out = [svg.polyline(pts, colour, dash, 2)]
    for p, (px, _py) in zip(s["points"], pts, strict=True):
        out.append(_whisker(px, y, p, colour, s["label"], decimals))
    return out


def _period_label(px: float, period: str) -> str:
    """An x-axis period label: "2023/24" on one line, "2023/24 autumn" on two (year, term)."""
    year, _, term = period.partition(" ")
    lines = [year, term] if term else [year]
    spans = "".join(
        f'<tspan x="{px:.1f}" dy="{0 if k == 0 else 13}">{escape(text)}</tspan>'
        for k, text in enumerate(lines)
    )
    return f'<text y="{svg.HEIGHT - svg.PAD_B + 16}" text-anchor="middle" fill="{svg.GREY}">{spans}</text>'


def _whisker(px: float, y: Scale, p: dict, colour: str, label: str, decimals: int) -> str:
    whisker = ""
    if p.get("ci_low") is not None and p.get("ci_high") is not None:
        whisker = f'<line x1="{px:.1f}" y1="{y(p["ci_low"]):.1f}" x2="{px:.1f}" y2="{y(p["ci_high"]):.1f}" stroke="{colour}"/>'
    tip = svg.tip(f"{label} {p['period']}", p, decimals)
    return whisker + svg.dot(f"{px:.1f}", f"{y(p['score']):.1f}", "3.5", colour, tip)


def _trend_words(s: dict, decimals: int) -> str:
    pts = s["points"]
    if not pts:
        return f"{s['label']}: no data"
    first, last = pts[0], pts[-1]
    change = last["score"] - first["score"]
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return (
        f"{s['label']}: {svg.num(first['score'], decimals)} in {first['period']} to {svg.num(last['score'], decimals)} "
        f"in {last['period']} ({direction} {svg.num(abs(change), decimals)})"
    )

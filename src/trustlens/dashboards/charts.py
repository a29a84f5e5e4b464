"""Server-rendered SVG charts: funnel plot, trend, interval (forest) chart, distribution.

Hand-built SVG so the same markup serves the web page and the PDF board pack (WeasyPrint draws
inline SVG) and loads with the page, no script. Each chart is returned as a ``Chart``: the SVG,
a title, a plain-words summary, and the rows of its table alternative (WCAG 2.2 1.1.1: every
chart has a text alternative; the SVG itself is ``role="img"`` labelled by the title).

Funnel plots follow Spiegelhalter (2005), *Funnel plots for comparing institutional
performance*, Statistics in Medicine 24(8): each academy's score against its number of pupils,
with 95% and 99.8% control limits around the target; the limits come from
``trustlens.analytics.stats.funnel`` (via the dashboards services), not from this module.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 640, 320
PAD_L, PAD_R, PAD_T, PAD_B = 64, 24, 16, 48
INK, GREY, LIGHT = "#0b0c0c", "#505a5f", "#b1b4b6"
BLUE, RED, GREEN = "#1d4e89", "#b3261e", "#00703c"
_ids = count(1)


@dataclass
class Chart:
    """One chart: SVG markup, title, summary text and its table alternative."""

    title: str
    svg: SafeString
    summary: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    chart_id: str = ""


@dataclass
class Scale:
    """Linear map from data to pixels."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, value: float) -> float:
        span = (self.hi - self.lo) or 1.0
        return self.p0 + (value - self.lo) / span * (self.p1 - self.p0)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    ticks, value = [], first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


def _num(value: float, decimals: int) -> str:
    """A figure in the text alternative: rounded first, never "-0.00" (issue 12)."""
    return f"{round(value, decimals) + 0.0:.{decimals}f}"


def _fmt(value: float) -> str:
    value = value + 0.0  # -0.0 + 0.0 is 0.0: a tick at zero is "0", never "-0"
    return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"


def _frame(title_id: str, desc_id: str, title: str, summary: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="tl-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(summary)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{body}</svg>'
    )


def _axes(
    x: Scale, y: Scale, x_label: str, y_label: str, x_ticks: Sequence[float] | None = None
) -> str:
    parts = [
        f'<line x1="{PAD_L}" y1="{HEIGHT - PAD_B}" x2="{WIDTH - PAD_R}" y2="{HEIGHT - PAD_B}" stroke="{INK}"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{HEIGHT - PAD_B}" stroke="{INK}"/>',
    ]
    for tick in nice_ticks(y.lo, y.hi):
        py = y(tick)
        parts.append(
            f'<line x1="{PAD_L - 4}" y1="{py:.1f}" x2="{WIDTH - PAD_R}" y2="{py:.1f}" stroke="#eeeeee"/>'
        )
        parts.append(
            f'<text x="{PAD_L - 6}" y="{py + 4:.1f}" text-anchor="end" fill="{GREY}">{_fmt(tick)}</text>'
        )
    for tick in x_ticks if x_ticks is not None else nice_ticks(x.lo, x.hi):
        px = x(tick)
        parts.append(
            f'<line x1="{px:.1f}" y1="{HEIGHT - PAD_B}" x2="{px:.1f}" y2="{HEIGHT - PAD_B + 4}" stroke="{INK}"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle" fill="{GREY}">{_fmt(tick)}</text>'
        )
    parts.append(
        f'<text x="{(PAD_L + WIDTH - PAD_R) / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {(PAD_T + HEIGHT - PAD_B) / 2}) rotate(-90)" text-anchor="middle" fill="{INK}">{escape(y_label)}</text>'
    )
    return "".join(parts)


def _ids_for(prefix: str) -> tuple[str, str, str]:
    n = next(_ids)
    return f"{prefix}-{n}", f"{prefix}-{n}-title", f"{prefix}-{n}-desc"


def _polyline(
    points: Sequence[tuple[float, float]], colour: str, dash: str = "", width: float = 1.5
) -> str:
    if len(points) < 2:
        return ""
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes}/>'
    )


def _bounds(values: Sequence[float], pad: float = 0.08) -> tuple[float, float]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    lo, hi = min(finite), max(finite)
    span = hi - lo or max(abs(hi), 1.0) * 0.5
    return lo - span * pad, hi + span * pad


def funnel_chart(
    points: Sequence[dict],
    limits: dict[str, Sequence[dict]],
    target: float,
    *,
    title: str,
    y_label: str,
    decimals: int = 2,
) -> Chart:
    """Scores against n with 95% and 99.8% limits. ``points``: label, pupils, score, flag;
    ``limits``: {"95": [{pupils, lower, upper}...], "998": [...]} from the analytics funnel."""
    chart_id, title_id, desc_id = _ids_for("funnel")
    curve = [row for rows in limits.values() for row in rows]
    ys = (
        [p["score"] for p in points]
        + [r["lower"] for r in curve]
        + [r["upper"] for r in curve]
        + [target]
    )
    xs = [p["pupils"] for p in points] + [r["pupils"] for r in curve]
    x = Scale(0.0, max(xs or [1.0]) * 1.05, PAD_L, WIDTH - PAD_R)
    y = Scale(*_bounds(ys), HEIGHT - PAD_B, PAD_T)
    body = [_axes(x, y, "Number of pupils (n)", y_label)]
    body.append(_polyline([(x(0), y(target)), (x(x.hi), y(target))], INK, width=1))
    for tag, dash in (("95", "6 4"), ("998", "2 3")):
        rows = limits.get(tag, [])
        body.append(_polyline([(x(r["pupils"]), y(r["lower"])) for r in rows], GREY, dash))
        body.append(_polyline([(x(r["pupils"]), y(r["upper"])) for r in rows], GREY, dash))
    for point in points:
        body.append(_funnel_point(point, x, y, decimals))
    body.append(
        _legend([("95% limits", GREY, "6 4"), ("99.8% limits", GREY, "2 3"), ("target", INK, "")])
    )
    outside = [p for p in points if p.get("flag") not in (None, "within")]
    summary = (
        f"{len(points)} academies plotted against their number of pupils; target {_num(target, decimals)}. "
        + (
            "Outside the 95% limits: "
            + "; ".join(f"{p['label']} ({p['flag']})" for p in outside)
            + "."
            if outside
            else "Every academy is within the 95% limits."
        )
    )
    rows = [
        [p["label"], p["pupils"], f"{_num(p['score'], decimals)}", p.get("flag") or "–"]
        for p in points
    ]
    return Chart(
        title,
        _frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        ["Academy", "Pupils (n)", y_label, "Funnel position"],
        rows,
        chart_id,
    )


def _funnel_point(point: dict, x: Scale, y: Scale, decimals: int) -> str:
    flag = point.get("flag") or "within"
    colour = RED if flag.startswith("low") else GREEN if flag.startswith("high") else BLUE
    shape_x, shape_y = x(point["pupils"]), y(point["score"])
    label = escape(
        f"{point['label']}: {_num(point['score'], decimals)} (n={point['pupils']}), {flag}"
    )
    if flag == "within":
        mark = f'<circle cx="{shape_x:.1f}" cy="{shape_y:.1f}" r="4.5" fill="{colour}"/>'
    else:  # a triangle as well as a colour, so the flag never rests on colour alone
        pts = f"{shape_x:.1f},{shape_y - 6:.1f} {shape_x - 6:.1f},{shape_y + 5:.1f} {shape_x + 6:.1f},{shape_y + 5:.1f}"
        mark = f'<polygon points="{pts}" fill="{colour}"/>'
    return f"<g><title>{label}</title>{mark}</g>"


def _legend(items: Sequence[tuple[str, str, str]]) -> str:
    parts, px = [], PAD_L + 8
    for text, colour, dash in items:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{px}" y1="{PAD_T + 8}" x2="{px + 22}" y2="{PAD_T + 8}" stroke="{colour}" stroke-width="1.5"{dashes}/>'
        )
        parts.append(f'<text x="{px + 26}" y="{PAD_T + 12}" fill="{INK}">{escape(text)}</text>')
        px += 40 + 7 * len(text)
    return "".join(parts)


def trend_chart(series: Sequence[dict], *, title: str, y_label: str, decimals: int = 1) -> Chart:
    """Lines over periods with interval whiskers. ``series``: [{label, points: [{period,
    score, ci_low, ci_high, pupils}]}]; periods are placed in the order first seen."""
    chart_id, title_id, desc_id = _ids_for("trend")
    periods: list[str] = []
    for s in series:
        for p in s["points"]:
            if p["period"] not in periods:
                periods.append(p["period"])
    values = [
        v
        for s in series
        for p in s["points"]
        for v in (p["score"], p.get("ci_low"), p.get("ci_high"))
    ]
    x = Scale(-0.5, max(len(periods) - 0.5, 0.5), PAD_L, WIDTH - PAD_R)
    y = Scale(*_bounds([v for v in values if v is not None]), HEIGHT - PAD_B, PAD_T)
    body = [_axes(x, y, "", y_label, x_ticks=[])]
    step = max(1, math.ceil(len(periods) / 10))  # at most 10 labels; every period keeps its point
    for i, period in enumerate(periods):
        if i % step == 0:
            body.append(_period_label(x(i), period))
    colours = (BLUE, "#d4351c", "#4c2c92", GREEN, GREY)
    dashes = ("", "6 4", "2 3", "8 3 2 3", "1 2")
    for k, s in enumerate(series):
        colour, dash = colours[k % len(colours)], dashes[k % len(dashes)]
        pts = [(x(periods.index(p["period"])), y(p["score"])) for p in s["points"]]
        body.append(_polyline(pts, colour, dash, 2))
        for p, (px, _py) in zip(s["points"], pts, strict=True):
            body.append(_whisker(px, y, p, colour, s["label"], decimals))
    body.append(
        _legend(
            [
                (s["label"], colours[k % len(colours)], dashes[k % len(dashes)])
                for k, s in enumerate(series[:4])
            ]
        )
    )
    summary = "; ".join(_trend_words(s, decimals) for s in series) or "No data yet."
    rows = [
        [
            s["label"],
            p["period"],
            f"{_num(p['score'], decimals)}",
            _interval_text(p, decimals),
            p.get("pupils", ""),
        ]
        for s in series
        for p in s["points"]
    ]
    return Chart(
        title,
        _frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        ["Series", "Period", y_label, "95% interval", "Pupils (n)"],
        rows,
        chart_id,
    )


def _period_label(px: float, period: str) -> str:
    """An x-axis period label: "2023/24" on one line, "2023/24 autumn" on two (year, term)."""
    year, _, term = period.partition(" ")
    lines = [year, term] if term else [year]
    spans = "".join(
        f'<tspan x="{px:.1f}" dy="{0 if k == 0 else 13}">{escape(text)}</tspan>'
        for k, text in enumerate(lines)
    )
    return f'<text y="{HEIGHT - PAD_B + 16}" text-anchor="middle" fill="{GREY}">{spans}</text>'


def _whisker(px: float, y: Scale, p: dict, colour: str, label: str, decimals: int) -> str:
    parts = []
    if p.get("ci_low") is not None and p.get("ci_high") is not None:
        parts.append(
            f'<line x1="{px:.1f}" y1="{y(p["ci_low"]):.1f}" x2="{px:.1f}" y2="{y(p["ci_high"]):.1f}" stroke="{colour}"/>'
        )
    tip = escape(
        f"{label} {p['period']}: {_num(p['score'], decimals)} {_interval_text(p, decimals)} n={p.get('pupils', '')}"
    )
    parts.append(
        f'<circle cx="{px:.1f}" cy="{y(p["score"]):.1f}" r="3.5" fill="{colour}"><title>{tip}</title></circle>'
    )
    return "".join(parts)


def _interval_text(p: dict, decimals: int) -> str:
    if p.get("ci_low") is None or p.get("ci_high") is None:
        return "–"
    return f"{_num(p['ci_low'], decimals)} to {_num(p['ci_high'], decimals)}"


def _trend_words(s: dict, decimals: int) -> str:
    pts = s["points"]
    if not pts:
        return f"{s['label']}: no data"
    first, last = pts[0], pts[-1]
    change = last["score"] - first["score"]
    direction = "up" if change > 0 else "down" if change < 0 else "unchanged"
    return (
        f"{s['label']}: {_num(first['score'], decimals)} in {first['period']} to {_num(last['score'], decimals)} "
        f"in {last['period']} ({direction} {_num(abs(change), decimals)})"
    )


def interval_chart(
    rows: Sequence[dict],
    *,
    title: str,
    x_label: str,
    reference: float | None = 0.0,
    reference_label: str = "national average",
    decimals: int = 2,
) -> Chart:
    """Horizontal dot-and-whisker chart (one row per group/academy): ``rows``: label, score,
    ci_low, ci_high, pupils. Used for gaps and pupil-group comparisons."""
    chart_id, title_id, desc_id = _ids_for("interval")
    height = max(HEIGHT, PAD_T + PAD_B + 26 * len(rows))
    left = 210
    values = [
        v for r in rows for v in (r["score"], r.get("ci_low"), r.get("ci_high")) if v is not None
    ]
    if reference is not None:
        values.append(reference)
    x = Scale(*_bounds(values), left, WIDTH - PAD_R)
    body = []
    for tick in nice_ticks(x.lo, x.hi):
        body.append(
            f'<line x1="{x(tick):.1f}" y1="{PAD_T}" x2="{x(tick):.1f}" y2="{height - PAD_B}" stroke="#eeeeee"/>'
        )
        body.append(
            f'<text x="{x(tick):.1f}" y="{height - PAD_B + 16}" text-anchor="middle" fill="{GREY}">{_fmt(tick)}</text>'
        )
    if reference is not None:
        body.append(
            f'<line x1="{x(reference):.1f}" y1="{PAD_T}" x2="{x(reference):.1f}" y2="{height - PAD_B}" stroke="{INK}" stroke-dasharray="4 3"/>'
        )
    for i, r in enumerate(rows):
        py = PAD_T + 14 + 26 * i
        body.append(
            f'<text x="{left - 8}" y="{py + 4}" text-anchor="end" fill="{INK}">{escape(_clip(r["label"]))}</text>'
        )
        if r.get("ci_low") is not None and r.get("ci_high") is not None:
            body.append(
                f'<line x1="{x(r["ci_low"]):.1f}" y1="{py}" x2="{x(r["ci_high"]):.1f}" y2="{py}" stroke="{BLUE}" stroke-width="2"/>'
            )
        tip = escape(
            f"{r['label']}: {_num(r['score'], decimals)} {_interval_text(r, decimals)} n={r.get('pupils', '')}"
        )
        body.append(
            f'<circle cx="{x(r["score"]):.1f}" cy="{py}" r="4.5" fill="{BLUE}"><title>{tip}</title></circle>'
        )
    body.append(
        f'<text x="{(left + WIDTH - PAD_R) / 2}" y="{height - 8}" text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
    )
    summary = _interval_summary(rows, reference, reference_label, decimals)
    svg = (
        _frame(title_id, desc_id, title, summary, "".join(body))
        .replace(
            f'viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"',
            f'viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}"',
        )
        .replace(f'height="{HEIGHT}" fill="#fff"', f'height="{height}" fill="#fff"')
    )
    table = [
        [
            r["label"],
            f"{_num(r['score'], decimals)}",
            _interval_text(r, decimals),
            r.get("pupils", ""),
        ]
        for r in rows
    ]
    return Chart(
        title,
        mark_safe(svg),
        summary,
        ["Group", x_label, "95% interval", "Pupils (n)"],
        table,
        chart_id,
    )


def _clip(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def _bound(row: dict, key: str, decimals: int) -> float:
    """An interval bound as printed (rounded), NaN when missing (so no comparison holds)."""
    value = row.get(key)
    return float("nan") if value is None else round(value, decimals) + 0.0


def _interval_summary(
    rows: Sequence[dict], reference: float | None, label: str, decimals: int
) -> str:
    if not rows:
        return "No data yet."
    if reference is None:
        return f"{len(rows)} groups shown with their 95% intervals."
    below = [r["label"] for r in rows if _bound(r, "ci_high", decimals) < reference]
    above = [r["label"] for r in rows if _bound(r, "ci_low", decimals) > reference]
    label = label.removeprefix("the ")
    words = [f"{len(rows)} groups against the {label} ({_num(reference, decimals)})."]
    words.append(
        f"Interval wholly below: {', '.join(below)}." if below else "No interval is wholly below."
    )
    if above:
        words.append(f"Interval wholly above: {', '.join(above)}.")
    return " ".join(words)


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
    """Histogram of values (e.g. pupils' scores in a class or academies' attendance)."""
    chart_id, title_id, desc_id = _ids_for("dist")
    finite = sorted(v for v in values if v is not None and math.isfinite(v))
    lo, hi = (finite[0], finite[-1]) if finite else (0.0, 1.0)
    if hi <= lo:
        hi = lo + 1.0
    width = (hi - lo) / bins
    counts = [0] * bins
    for v in finite:
        counts[min(int((v - lo) / width), bins - 1)] += 1
    x = Scale(lo, hi, PAD_L, WIDTH - PAD_R)
    y = Scale(0, max(counts or [1]) * 1.1, HEIGHT - PAD_B, PAD_T)
    body = [_axes(x, y, x_label, "Number")]
    for i, c in enumerate(counts):
        x0, x1 = x(lo + i * width), x(lo + (i + 1) * width)
        body.append(
            f'<rect x="{x0 + 1:.1f}" y="{y(c):.1f}" width="{max(x1 - x0 - 2, 1):.1f}" height="{y(0) - y(c):.1f}" fill="{BLUE}"/>'
        )
    if marker is not None:
        body.append(
            f'<line x1="{x(marker):.1f}" y1="{PAD_T}" x2="{x(marker):.1f}" y2="{HEIGHT - PAD_B}" stroke="{RED}" stroke-width="2" stroke-dasharray="5 3"/>'
        )
        body.append(
            f'<text x="{x(marker) + 4:.1f}" y="{PAD_T + 12}" fill="{INK}">{escape(marker_label)}</text>'
        )
    median = finite[len(finite) // 2] if finite else float("nan")
    summary = (
        f"{len(finite)} values from {_num(lo, decimals)} to {_num(hi, decimals)}; median {_num(median, decimals)}."
        if finite
        else "No data yet."
    )
    rows = [
        [f"{_num(lo + i * width, decimals)} to {_num(lo + (i + 1) * width, decimals)}", c]
        for i, c in enumerate(counts)
    ]
    return Chart(
        title,
        _frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        [x_label, "Number"],
        rows,
        chart_id,
    )

"""Interval (forest) chart: one row per group or academy, a dot and its 95% interval."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import mark_safe

from trustlens.dashboards.charts import svg
from trustlens.dashboards.charts.svg import Chart, Scale

LEFT = 210  #: room for the row labels


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
    chart_id, title_id, desc_id = svg.ids_for("interval")
    height = max(svg.HEIGHT, svg.PAD_T + svg.PAD_B + 26 * len(rows))
    x = _scale(rows, reference)
    body = _grid(x, height)
    if reference is not None:
        dashed = ' stroke-dasharray="4 3"'
        body.append(svg.vline(x(reference), svg.PAD_T, height - svg.PAD_B, svg.INK, dashed))
    body += [_row(r, svg.PAD_T + 14 + 26 * i, x, decimals) for i, r in enumerate(rows)]
    body.append(
        f'<text x="{(LEFT + svg.WIDTH - svg.PAD_R) / 2}" y="{height - 8}" text-anchor="middle" fill="{svg.INK}">{escape(x_label)}</text>'
    )
    summary = _interval_summary(rows, reference, reference_label, decimals)
    table = [[r["label"], *_figures(r, decimals)] for r in rows]
    return Chart(
        title,
        _taller(svg.frame(title_id, desc_id, title, summary, "".join(body)), height),
        summary,
        ["Group", x_label, "95% interval", "Pupils (n)"],
        table,
        chart_id,
    )


def _scale(rows: Sequence[dict], reference: float | None) -> Scale:
    values = [v for r in rows for v in (r["score"], r.get("ci_low"), r.get("ci_high"))]
    values = [v for v in values if v is not None] + ([reference] if reference is not None else [])
    return Scale(*svg.bounds(values), LEFT, svg.WIDTH - svg.PAD_R)


def _figures(r: dict, decimals: int) -> list:
    return [f"{svg.num(r['score'], decimals)}", svg.interval_text(r, decimals), r.get("pupils", "")]


def _grid(x: Scale, height: int) -> list[str]:
    body = []
    for tick in svg.nice_ticks(x.lo, x.hi):
        body.append(svg.vline(x(tick), svg.PAD_T, height - svg.PAD_B, "#eeeeee"))
        body.append(
            f'<text x="{x(tick):.1f}" y="{height - svg.PAD_B + 16}" text-anchor="middle" fill="{svg.GREY}">{svg.tick_text(tick)}</text>'
        )
    return body


def _row(r: dict, py: float, x: Scale, decimals: int) -> str:
    label = f'<text x="{LEFT - 8}" y="{py + 4}" text-anchor="end" fill="{svg.INK}">{escape(svg.clip(r["label"]))}</text>'
    whisker = ""
    if r.get("ci_low") is not None and r.get("ci_high") is not None:
        whisker = f'<line x1="{x(r["ci_low"]):.1f}" y1="{py}" x2="{x(r["ci_high"]):.1f}" y2="{py}" stroke="{svg.BLUE}" stroke-width="2"/>'
    tip = svg.tip(r["label"], r, decimals)
    return label + whisker + svg.dot(f"{x(r['score']):.1f}", f"{py}", "4.5", svg.BLUE, tip)


def _taller(markup: str, height: int) -> str:
    """The standard frame stretched to ``height`` (one row per group)."""
    return mark_safe(
        markup.replace(
            f'viewBox="0 0 {svg.WIDTH} {svg.HEIGHT}" width="{svg.WIDTH}" height="{svg.HEIGHT}"',
            f'viewBox="0 0 {svg.WIDTH} {height}" width="{svg.WIDTH}" height="{height}"',
        ).replace(f'height="{svg.HEIGHT}" fill="#fff"', f'height="{height}" fill="#fff"')
    )


def _interval_summary(
    rows: Sequence[dict], reference: float | None, label: str, decimals: int
) -> str:
    if not rows:
        return "No data yet."
    if reference is None:
        return f"{len(rows)} groups shown with their 95% intervals."
    below = [r["label"] for r in rows if svg.bound(r, "ci_high", decimals) < reference]
    above = [r["label"] for r in rows if svg.bound(r, "ci_low", decimals) > reference]
    label = label.removeprefix("the ")
    words = [f"{len(rows)} groups against the {label} ({svg.num(reference, decimals)})."]
    words.append(
        f"Interval wholly below: {', '.join(below)}." if below else "No interval is wholly below."
    )
    if above:
        words.append(f"Interval wholly above: {', '.join(above)}.")
    return " ".join(words)

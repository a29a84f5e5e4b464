"""Funnel plot (Spiegelhalter 2005): each academy's score against its number of pupils, with
95% and 99.8% control limits around the target from ``trustlens.analytics.stats.funnel``."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import escape

from trustlens.dashboards.charts import svg
from trustlens.dashboards.charts.svg import Chart, Scale

LIMITS = (("95", "6 4"), ("998", "2 3"))


def funnel_chart(
    points: Sequence[dict],
    limits: dict[str, Sequence[dict]],
    target: float,
    *,
    title: str,
    y_label: str,
    decimals: int = 2,
    high_is_bad: bool = False,
) -> Chart:
    """Scores against n with 95% and 99.8% limits. ``points``: label, pupils, score, flag;
    ``limits``: {"95": [{pupils, lower, upper}...], "998": [...]} from the analytics funnel;
    ``high_is_bad`` (exit rates): points above the limits are the concern (red)."""
    chart_id, title_id, desc_id = svg.ids_for("funnel")
    x, y = _scales(points, limits, target)
    body = [svg.axes(x, y, "Number of pupils (n)", y_label)]
    body.append(svg.polyline([(x(0), y(target)), (x(x.hi), y(target))], svg.INK, width=1))
    body += _limit_lines(limits, x, y)
    body += [_funnel_point(point, x, y, decimals, high_is_bad) for point in points]
    body.append(
        svg.legend(
            [
                ("95% limits", svg.GREY, "6 4"),
                ("99.8% limits", svg.GREY, "2 3"),
                ("target", svg.INK, ""),
            ]
        )
    )
    summary = _summary(points, target, decimals)
    rows = [
        [p["label"], p["pupils"], f"{svg.num(p['score'], decimals)}", p.get("flag") or "–"]
        for p in points
    ]
    return Chart(
        title,
        svg.frame(title_id, desc_id, title, summary, "".join(body)),
        summary,
        ["Academy", "Pupils (n)", y_label, "Funnel position"],
        rows,
        chart_id,
    )


def _limit_lines(limits: dict[str, Sequence[dict]], x: Scale, y: Scale) -> list[str]:
    """The 95% and 99.8% control limits, lower and upper, as dashed lines."""
    out = []
    for tag, dash in LIMITS:
        rows = limits.get(tag, [])
        for side in ("lower", "upper"):
            out.append(svg.polyline([(x(r["pupils"]), y(r[side])) for r in rows], svg.GREY, dash))
    return out


def _scales(
    points: Sequence[dict], limits: dict[str, Sequence[dict]], target: float
) -> tuple[Scale, Scale]:
    curve = [row for rows in limits.values() for row in rows]
    ys = [p["score"] for p in points] + [r["lower"] for r in curve] + [r["upper"] for r in curve]
    xs = [p["pupils"] for p in points] + [r["pupils"] for r in curve]
    x = Scale(0.0, max(xs or [1.0]) * 1.05, svg.PAD_L, svg.WIDTH - svg.PAD_R)
    return x, Scale(*svg.bounds([*ys, target]), svg.HEIGHT - svg.PAD_B, svg.PAD_T)


def _summary(points: Sequence[dict], target: float, decimals: int) -> str:
    outside = [p for p in points if p.get("flag") not in (None, "within")]
    where = (
        "Outside the 95% limits: " + "; ".join(f"{p['label']} ({p['flag']})" for p in outside) + "."
        if outside
        else "Every academy is within the 95% limits."
    )
    return (
        f"{len(points)} {'academy' if len(points) == 1 else 'academies'} plotted against "
        "their number of pupils; "
        f"target {svg.num(target, decimals)}. " + where
    )


def _funnel_point(point: dict, x: Scale, y: Scale, decimals: int, high_is_bad: bool) -> str:
    flag = point.get("flag") or "within"
    bad, good = ("high", "low") if high_is_bad else ("low", "high")
    colour = svg.RED if flag.startswith(bad) else svg.GREEN if flag.startswith(good) else svg.BLUE
    shape_x, shape_y = x(point["pupils"]), y(point["score"])
    label = escape(
        f"{point['label']}: {svg.num(point['score'], decimals)} (n={point['pupils']}), {flag}"
    )
    if flag == "within":
        mark = f'<circle cx="{shape_x:.1f}" cy="{shape_y:.1f}" r="4.5" fill="{colour}"/>'
    else:  # a triangle as well as a colour, so the flag never rests on colour alone
        pts = f"{shape_x:.1f},{shape_y - 6:.1f} {shape_x - 6:.1f},{shape_y + 5:.1f} {shape_x + 6:.1f},{shape_y + 5:.1f}"
        mark = f'<polygon points="{pts}" fill="{colour}"/>'
    return f"<g><title>{label}</title>{mark}</g>"

"""The charts of the dashboard pages, built from precomputed summaries for one audience.

Every view context (``dashboards.contexts``) draws its charts with these; they read only the
``Summaries`` handed to them (``dashboards.reading``) and never call back into the contexts.
Points of trend charts go through the audience's suppression like every other figure.
"""

from __future__ import annotations

from trustlens.analytics.stats.funnel import funnel_curve
from trustlens.dashboards import charts
from trustlens.dashboards.audience import Audience
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.formatting import Cell, cell_from
from trustlens.dashboards.reading import Summaries
from trustlens.organisations.models import Academy

#: (label, level, unit) of one line on a trend chart.
Series = list[tuple[str, str, str]]


def funnel_data(
    summaries: Summaries | None, urns: dict[str, str], measure: str, as_of: int | None = None
) -> dict | None:
    """Points (academies in ``urns``: urn -> label) and 95% / 99.8% limits for the latest
    period of a progress measure, from the analytics funnel (Spiegelhalter 2005)."""
    if summaries is None:
        return None
    period = _latest_common_period(summaries, urns, measure, as_of)
    params = summaries.meta.get("funnel", {}).get(f"{measure}|{period}") if period else None
    points = _funnel_points(summaries, urns, measure, period, as_of) if params else []
    if not points:
        return None
    top = max(p["pupils"] for p in points) * 1.05
    bounds = (0.0, 100.0) if MEASURES[measure].unit == "percent" else None
    cached = summaries.memoised(
        ("funnel", measure, period, top), lambda: _funnel_limits(params, top, bounds)
    )
    return {
        "points": points,
        "limits": {tag: [dict(r) for r in rows] for tag, rows in cached.items()},
        "target": params["target"],
        "period": period,
        "tau2": params["tau2"],
    }


def _funnel_points(
    summaries: Summaries, urns: dict[str, str], measure: str, period: str, as_of: int | None
) -> list[dict]:
    points = []
    for urn, label in urns.items():
        rows = [r for r in summaries.series("academy", urn, measure, as_of=as_of)]
        rows = [r for r in rows if r["period"] == period]
        if rows and rows[-1]["score"] == rows[-1]["score"]:  # not NaN
            r = rows[-1]
            points.append(
                {
                    "label": label,
                    "pupils": int(r["pupils"]),
                    "score": float(r["score"]),
                    "flag": r["flag"],
                }
            )
    return points


def _funnel_limits(
    params: dict, top: float, bounds: tuple[float, float] | None = None
) -> dict[str, list[dict]]:
    """Points of the 95% and 99.8% limits; a rate's limits are clipped to ``bounds`` (0-100%)."""
    sizes = [max(5.0, top * i / 60) for i in range(1, 61)]
    out = {}
    for tag, level in (("95", 0.95), ("998", 0.998)):
        curve = funnel_curve(params["target"], params["sigma"], sizes, params["tau2"], level)
        if bounds is not None:
            curve[["lower", "upper"]] = curve[["lower", "upper"]].clip(*bounds)
        out[tag] = curve.to_dict("records")
    return out


def _latest_common_period(
    summaries: Summaries, urns: dict[str, str], measure: str, as_of: int | None
) -> str | None:
    periods = [summaries.series("academy", u, measure, as_of=as_of) for u in urns]
    latest = [rows[-1] for rows in periods if rows]
    if not latest:
        return None
    return max(latest, key=lambda r: r["period_order"])["period"]


def funnel_chart(
    summaries: Summaries | None, academies: list[Academy], measure: str
) -> charts.Chart | None:
    data = funnel_data(summaries, {str(a.urn): a.name for a in academies}, measure)
    if data is None:
        return None
    spec = MEASURES[measure]
    title = f"{spec.label} by academy against number of pupils, {data['period']} (funnel plot)"
    return charts.funnel_chart(
        data["points"],
        data["limits"],
        data["target"],
        title=title,
        y_label=spec.label,
        decimals=spec.decimals,
        high_is_bad=spec.higher_is_better is False,
    )


def trend_chart(
    summaries: Summaries | None,
    series: Series,
    measure: str,
    audience: Audience,
    title: str | None = None,
) -> charts.Chart | None:
    """``series``: (label, level, unit). Points carry n and interval; suppressed for trustees."""
    if summaries is None:
        return None
    spec = MEASURES[measure]
    out = []
    for label, level, unit in series:
        rows = summaries.series(level, unit, measure)[-15:]
        cells = audience.disclose([cell_from(r, measure) for r in rows])
        points = [_trend_point(c) for c in cells if c.available]
        if points:
            out.append({"label": label, "points": points})
    if not out:
        return None
    return charts.trend_chart(
        out, title=title or f"{spec.label} over time", y_label=spec.label, decimals=spec.decimals
    )


def _trend_point(cell: Cell) -> dict:
    return {
        "period": cell.period,
        "score": cell.score,
        "ci_low": cell.ci_low,
        "ci_high": cell.ci_high,
        "pupils": int(cell.pupils or 0),
    }


def against_trust(
    summaries: Summaries | None,
    name: str,
    level: str,
    unit: str,
    audience: Audience,
    measures: list[tuple[str, str]],
) -> list[charts.Chart]:
    """Trend charts of one unit beside the trust: ``measures`` is (measure, title) pairs."""
    series = [(name, level, unit), ("Trust", "trust", "trust")]
    found = [trend_chart(summaries, series, m, audience, title) for m, title in measures]
    return [c for c in found if c]


def interval_chart(rows: list[dict], measure: str, title: str) -> charts.Chart | None:
    points = [
        {
            "label": r["label"],
            "score": r["cell"].score,
            "ci_low": r["cell"].ci_low,
            "ci_high": r["cell"].ci_high,
            "pupils": r["cell"].n_text,
        }
        for r in rows
        if r["cell"].available
    ]
    if not points:
        return None
    spec = MEASURES[measure]
    reference = 0.0 if spec.progress else None
    label = "the national average" if measure == "p8" else "the trust average"
    return charts.interval_chart(
        points,
        title=title,
        x_label=spec.label,
        reference=reference,
        reference_label=label,
        decimals=spec.decimals,
    )


def overview_charts(context: dict) -> list[charts.Chart]:
    """Funnel plots (P8, VA) of the academies in scope, the trust's trends, and the spread
    of attendance across academies (``context``: an overview context)."""
    found: list[charts.Chart] = []
    for entry in context["trusts"]:
        trust = entry["trust"]
        rows = [r for r in context["rows"] if r["academy"].trust_id == trust.pk]
        found += _trust_charts(entry["summaries"], trust, rows, context["audience"])
    return found


def _trust_charts(
    summaries: Summaries | None, trust: object, rows: list[dict], audience: Audience
) -> list[charts.Chart]:
    academies = [r["academy"] for r in rows]
    found = [funnel_chart(summaries, academies, m) for m in ("p8", "va")]
    for measure in ("p8", "ks2_rwm", "attendance"):
        title = f"{MEASURES[measure].label} across the trust, by year ({trust.name})"
        series = [(trust.name, "trust", "trust")]
        found.append(trend_chart(summaries, series, measure, audience, title))
    values = [c.score for r in rows for c in r["cells"].get("attendance", []) if c.available]
    if values:
        found.append(
            charts.distribution_chart(
                values,
                title="Attendance across academies (latest year)",
                x_label="Attendance (%)",
                bins=8,
            )
        )
    return [c for c in found if c]

"""Server-rendered SVG charts: funnel plot, trend, interval (forest) chart, distribution.

Hand-built SVG so the same markup serves the web page and the PDF board pack (WeasyPrint draws
inline SVG) and loads with the page, no script. Each chart is returned as a ``Chart``: the SVG,
a title, a plain-words summary, and the rows of its table alternative (WCAG 2.2 1.1.1: every
chart has a text alternative; the SVG itself is ``role="img"`` labelled by the title).

Funnel plots follow Spiegelhalter (2005), *Funnel plots for comparing institutional
performance*, Statistics in Medicine 24(8): each academy's score against its number of pupils,
with 95% and 99.8% control limits around the target; the limits come from
``trustlens.analytics.stats.funnel`` (via ``dashboards.pages``), not from this module.
"""

from trustlens.dashboards.charts.distribution import distribution_chart
from trustlens.dashboards.charts.funnel import funnel_chart
from trustlens.dashboards.charts.interval import interval_chart
from trustlens.dashboards.charts.svg import Chart, Scale, nice_ticks
from trustlens.dashboards.charts.trend import trend_chart

__all__ = [
    "Chart",
    "Scale",
    "distribution_chart",
    "funnel_chart",
    "interval_chart",
    "nice_ticks",
    "trend_chart",
]

"""Precomputed dashboard summaries ("facts"): every measure for every academy, cluster,
region, class and the trust, for every year or assessment window, in one small long table.

:func:`trustlens.dashboards.services.rebuild_summaries` gathers the inputs (store tables,
organisation tree, class lists) and calls :func:`compute` after each import; the dashboards
then read a few thousand precomputed rows instead of millions of results. This package takes
Ibis tables and pandas frames and never touches the records database.

Columns of the facts table (``FACT_COLUMNS``): ``level`` (academy, cluster, region, trust,
class), ``unit`` (URN, cluster id, region id, "trust", class id), ``measure`` (a code from
``dashboards.choices.MEASURES``), ``period`` ("2023/24" or "2023/24 spring"), ``period_order``,
``breakdown`` ("all" or a pupil group such as "disadvantaged"), ``group``, ``pupils`` (n),
``score``, ``ci_low``/``ci_high`` (95%), ``se``, ``sd``, ``band`` (DfE band where one applies),
``flag`` (funnel position) and ``note`` (method notes, e.g. which national estimates).
"""

from __future__ import annotations

from trustlens.analytics.summaries.build import compute, merge, with_funnel_flags
from trustlens.analytics.summaries.registry import (
    BUILDER_IO,
    BUILDERS,
    FUNNEL_MEASURES,
    YEAR_SOURCES,
    builders_for,
    inputs_needed,
    measures_of,
)
from trustlens.analytics.summaries.units import FACT_COLUMNS, Inputs, period_order

__all__ = [
    "BUILDERS",
    "BUILDER_IO",
    "FACT_COLUMNS",
    "FUNNEL_MEASURES",
    "YEAR_SOURCES",
    "Inputs",
    "builders_for",
    "compute",
    "inputs_needed",
    "measures_of",
    "merge",
    "period_order",
    "with_funnel_flags",
]

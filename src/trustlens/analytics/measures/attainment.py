"""Attainment measures, each with its n and an interval.

Sources:
- DfE, *Secondary accountability measures* guidance: Attainment 8 (mean A8 score), English and
  maths at grade 4+ (standard pass) and 5+ (strong pass).
- DfE, *Primary school accountability* technical guide: reading, writing and maths combined at
  the expected standard (scaled scores >= 100, writing EXS/GDS) and the higher standard (>= 110,
  writing GDS).
Attainment is absolute, so its interval uses each group's own SD (Student-t) or, for
proportions, the Wilson score interval (Wilson 1927; Newcombe 1998). Proportions are percentages.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from trustlens.analytics.measures.groups import with_groups
from trustlens.analytics.measures.ks2 import rwm_flags
from trustlens.analytics.measures.summary import proportion_summary, summarise

DEFAULT_BY = ("urn", "academic_year")


def _label(table: ibis.Table, measure: str, unit: str) -> ibis.Table:
    return table.mutate(measure=ibis.literal(measure), unit=ibis.literal(unit))


def attainment8(
    ks4: ibis.Table,
    *,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Mean Attainment 8 per group with a t-interval from the group's own SD."""
    table = with_groups(ks4, by, pupils, academies)
    out = summarise(table, "attainment8", by, sigma="group", level=level, with_band=False)
    out = out.mutate(band=ibis.null().cast("string"))
    return _label(out, "attainment 8", "points")


def english_maths(
    ks4: ibis.Table,
    *,
    grade: int = 4,
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Percentage of pupils with English and maths at grade ``grade``+ (4 or 5), Wilson CI."""
    if grade not in (4, 5):
        raise ValueError("grade must be 4 or 5")
    table = with_groups(ks4, by, pupils, academies)
    out = proportion_summary(table, f"eng_maths_{grade}plus", by, level=level)
    return _label(out, f"English and maths grade {grade}+", "percent")


def ks2_rwm(
    ks2: ibis.Table,
    *,
    standard: str = "expected",
    by: Sequence[str] = DEFAULT_BY,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Percentage of pupils at the ``expected`` or ``higher`` standard in RWM, Wilson CI."""
    if standard not in ("expected", "higher"):
        raise ValueError("standard must be 'expected' or 'higher'")
    table = with_groups(rwm_flags(ks2), by, pupils, academies)
    out = proportion_summary(table, f"rwm_{standard}", by, level=level)
    return _label(out, f"reading, writing and maths: {standard} standard", "percent")

"""Disadvantaged gaps: the difference between disadvantaged pupils and the rest, with a CI.

Sources: Education Policy Institute (EPI), *Education in England: Annual Report* and the
"disadvantage gap" series - gaps are reported between disadvantaged pupils and all other pupils
(the EPI headline index is in months of learning from national rank positions, which needs the
national distribution; here the gap is in the measure's own units); DfE performance tables
publish measures split by disadvantage (``FSM6CLA1A`` / ``NotFSM6CLA1A``).

The gap is ``mean(disadvantaged) - mean(others)`` per group, so a negative gap means
disadvantaged pupils do less well. Its interval uses the two groups' own variances (Welch SE).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

from trustlens.analytics.measures.groups import with_groups
from trustlens.analytics.stats import intervals


def disadvantaged_gap(
    table: ibis.Table,
    value: str,
    *,
    by: Sequence[str] = ("urn", "academic_year"),
    flag: str = "disadvantaged",
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    measure: str | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """Gap in ``value`` (a pupil-level score or a boolean) between ``flag`` pupils and others.

    ``table`` is pupil-level (e.g. :func:`pupil_progress8` output, or ``ks4`` for A8); booleans
    are treated as 0/1 and the gap is then in percentage points. Columns: keys,
    ``pupils_disadvantaged``, ``pupils_other``, ``pupils`` (both), ``score`` (the gap),
    ``ci_low``, ``ci_high``, ``mean_disadvantaged``, ``mean_other``.
    """
    table = with_groups(table, [*by, flag], pupils, academies)
    col = table[value]
    scale = 100.0 if col.type().is_boolean() else 1.0
    x = col.cast("float64") * scale
    is_flag = table[flag].fill_null(False)
    x1 = is_flag.ifelse(x, ibis.null().cast("float64"))
    x0 = is_flag.ifelse(ibis.null().cast("float64"), x)
    agg = table.group_by(list(by)).agg(
        pupils_disadvantaged=x1.count(),
        sum_1=x1.sum(),
        sq_1=(x1 * x1).sum(),
        pupils_other=x0.count(),
        sum_0=x0.sum(),
        sq_0=(x0 * x0).sum(),
    )
    n1, n0 = agg.pupils_disadvantaged.cast("float64"), agg.pupils_other.cast("float64")
    var1 = intervals.sample_sd(n1, agg.sum_1, agg.sq_1) ** 2
    var0 = intervals.sample_sd(n0, agg.sum_0, agg.sq_0) ** 2
    gap, low, high = intervals.difference_interval(
        agg.sum_1 / n1, var1, n1, agg.sum_0 / n0, var0, n0, level
    )
    out = agg.mutate(
        pupils=agg.pupils_disadvantaged + agg.pupils_other,
        mean_disadvantaged=agg.sum_1 / n1,
        mean_other=agg.sum_0 / n0,
        score=gap,
        ci_low=low,
        ci_high=high,
        band=ibis.null().cast("string"),
        measure=ibis.literal(measure or f"disadvantaged gap: {value}"),
    )
    return out.drop("sum_1", "sq_1", "sum_0", "sq_0")

"""Prior attainment: the KS2 fine level, the 34 KS4 prior attainment groups, KS1 groups, bands.

Sources:
- DfE *Secondary accountability measures* guidance and the DfE KS4 ready-reckoner
  (dfe-analytical-services/KS4-ready-reckoners, ``server.R``): KS2 prior attainment is the mean
  of the KS2 reading and maths scaled scores (one subject alone when only one exists), banded
  into 34 groups: <=82, <=86, <=87.5, <=89, <=90.5, <=92, then 1-point steps (92.5-93 ... 118.5-119)
  and >=119.5. The same app labels pupils below 100 "below standard", 100-110 "achieving
  standard" and above 110 "above standard": our low / middle / high prior attainment bands.
- DfE primary performance tables (KS1 APS bands): low < 12, middle 12 to < 18, high >= 18.
  The DfE's KS1 prior attainment *groups* for KS2 progress are not in our shipped data, so KS1
  APS is grouped in 1-point bands (below 3 and from 21 merged); national estimates for those
  groups can be supplied by the caller.
"""

from __future__ import annotations

import ibis
import numpy as np
from ibis import _

LOW, MIDDLE, HIGH = "low", "middle", "high"

#: Upper bounds of KS4 prior attainment groups 1-6 (inclusive); from group 7 the steps are 1 point.
_P8_LOWER_GROUPS = (82.0, 86.0, 87.5, 89.0, 90.5, 92.0)
P8_GROUPS = 34


def ks2_fine_level(reading: ibis.Value, maths: ibis.Value) -> ibis.Value:
    """Mean of KS2 reading and maths scaled scores, or the one that exists."""
    reading, maths = reading.cast("float64"), maths.cast("float64")
    return ibis.coalesce((reading + maths) / 2.0, reading, maths)


def p8_group(fine_level: ibis.Value) -> ibis.Value:
    """KS4 prior attainment group (1-34) for a KS2 fine level; null when there is none.

    Two levels of cases: most pupils are above 92 and take one comparison and the stepped
    formula (a flat six-way CASE costs each of them six comparisons). A branch-free form
    (step less a count of bounds) measured slower on DuckDB, which repeats the fine level."""
    stepped = fine_level.ceil() - 86
    stepped = (stepped > P8_GROUPS).ifelse(P8_GROUPS, stepped)
    lower = [(fine_level <= bound, group) for group, bound in enumerate(_P8_LOWER_GROUPS[:-1], 1)]
    low_groups = ibis.cases(*lower, else_=len(_P8_LOWER_GROUPS))
    return ibis.cases((fine_level <= _P8_LOWER_GROUPS[-1], low_groups), else_=stepped).cast("int64")


def p8_group_numpy(fine_level: np.ndarray) -> np.ndarray:
    """The same banding on numpy arrays (NaN -> 0), for reference code and tests."""
    x = np.asarray(fine_level, dtype=float)
    groups = np.clip(np.ceil(x) - 86, 7, P8_GROUPS)
    for group, bound in reversed(list(enumerate(_P8_LOWER_GROUPS, 1))):
        groups = np.where(x <= bound, group, groups)
    return np.where(np.isnan(x), 0, groups).astype(np.int64)


def ks2_band(fine_level: ibis.Value) -> ibis.Value:
    """Low (< 100), middle (100-110) or high (> 110) prior attainment from the KS2 fine level."""
    return ibis.cases(
        (fine_level < 100, LOW), (fine_level <= 110, MIDDLE), (fine_level > 110, HIGH)
    )


def ks1_group(aps: ibis.Value) -> ibis.Value:
    """KS1 APS in 1-point bands: 2 (below 3), 3, 4, ... 21 (21 and above)."""
    floored = aps.floor()
    return ibis.cases((aps < 3, 2), (aps >= 21, 21), else_=floored).cast("int64")


def ks1_band(aps: ibis.Value) -> ibis.Value:
    """Low (APS < 12), middle (12 to < 18) or high (>= 18) prior attainment at KS1."""
    return ibis.cases((aps < 12, LOW), (aps < 18, MIDDLE), (aps >= 18, HIGH))


def with_ks4_prior(table: ibis.Table, reading: str, maths: str) -> ibis.Table:
    """Add ``ks2_fine_level``, ``pa_group`` and ``prior_band`` from KS2 reading/maths columns."""
    fine = ks2_fine_level(table[reading], table[maths])
    table = table.mutate(ks2_fine_level=fine)
    return table.mutate(pa_group=p8_group(_.ks2_fine_level), prior_band=ks2_band(_.ks2_fine_level))

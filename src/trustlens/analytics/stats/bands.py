"""DfE progress bands from a score and its confidence interval.

Source: DfE, *Secondary accountability measures* guidance (Progress 8 banding, published as
``P8_BANDING`` 1-5 in the performance tables): "well above average" = score above +0.5 and the
whole interval above 0; "above average" = interval above 0; "average" = interval includes 0;
"below" and "well below" mirror these. KS2 progress uses the same rule without the 0.5
threshold being meaningful (the DfE's KS2 bands use national percentiles); callers pass
``well_threshold=None`` to get the three-way significance band for other measures.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from trustlens.analytics.stats.intervals import _is_ibis

WELL_ABOVE = "well above average"
ABOVE = "above average"
AVERAGE = "average"
BELOW = "below average"
WELL_BELOW = "well below average"

#: The DfE's published band codes (``P8_BANDING`` in the KS4 performance tables).
BAND_CODES = {WELL_ABOVE: 1, ABOVE: 2, AVERAGE: 3, BELOW: 4, WELL_BELOW: 5}


def _conditions(score: Any, low: Any, high: Any, well: float | None) -> list[tuple[Any, str]]:
    above, below = low > 0, high < 0
    pairs = []
    if well is not None:
        pairs.append(((score > well) & above, WELL_ABOVE))
    pairs.append((above, ABOVE))
    if well is not None:
        pairs.append(((score < -well) & below, WELL_BELOW))
    pairs.append((below, BELOW))
    return pairs


def band(score: Any, ci_low: Any, ci_high: Any, well_threshold: float | None = 0.5) -> Any:
    """The DfE band for each row (Ibis column in, Ibis column out; or numpy arrays).

    Rows whose score or interval is missing get a null band.
    """
    pairs = _conditions(score, ci_low, ci_high, well_threshold)
    if _is_ibis(score):
        import ibis

        out = ibis.cases(*pairs, else_=AVERAGE)
        return (score.isnull() | ci_low.isnull() | ci_high.isnull()).ifelse(
            ibis.null().cast("string"), out
        )
    score, ci_low, ci_high = (np.asarray(a, dtype=float) for a in (score, ci_low, ci_high))
    out = np.select([c for c, _ in pairs], [b for _, b in pairs], AVERAGE).astype(object)
    out[~(np.isfinite(score) & np.isfinite(ci_low) & np.isfinite(ci_high))] = None
    return out

"""Statistical disclosure control for every output that leaves the trust.

Source: GSS (Government Statistical Service) symbols for official statistics -
``c`` confidential (suppressed), ``x`` not available, ``z`` not applicable - and the DfE's
practice of withholding figures for small groups in published school tables. The threshold
(default 6: "fewer than 6 pupils") is configurable per call.

``suppress`` works on executed group summaries (pandas), which is where outputs are formatted;
``small_group_mask`` is the Ibis form for callers that want to filter inside the engine;
``small_group_flags`` is the plain-Python form for row-wise callers (a handful of figures per
row, where building a DataFrame would cost far more than the test itself).
Secondary (complementary) suppression is applied within a partition so that a lone suppressed
row cannot be recovered from a published total by subtraction.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
import pandas as pd

SUPPRESSED = "c"
NOT_AVAILABLE = "x"
NOT_APPLICABLE = "z"
DEFAULT_THRESHOLD = 6

#: Columns that describe a group's result rather than identify the group.
DEFAULT_VALUE_COLUMNS = (
    "score",
    "ci_low",
    "ci_high",
    "band",
    "score_orig",
    "ci_low_orig",
    "ci_high_orig",
    "band_orig",
    "shrunk",
    "shrunk_low",
    "shrunk_high",
)


def small_group_mask(count: Any, threshold: int = DEFAULT_THRESHOLD) -> Any:
    """True where a group is too small to publish (works on Ibis columns and numpy arrays)."""
    return count < threshold


def small_group_flags(
    counts: Iterable[float | int | None], threshold: int = DEFAULT_THRESHOLD
) -> list[bool]:
    """True where a group is too small to publish, for plain Python values.

    The same rule as ``suppress`` without ``within`` (its ``suppressed`` column): a missing
    count (None or NaN) counts as 0, so it is suppressed.
    """
    return [
        (0 if c is None or (isinstance(c, float) and math.isnan(c)) else c) < threshold
        for c in counts
    ]


def _secondary(
    frame: pd.DataFrame, primary: pd.Series, count_column: str, within: Sequence[str]
) -> pd.Series:
    """Also suppress the next-smallest row where a partition has exactly one suppressed row."""
    mask = primary.copy()
    for _, idx in frame.groupby(list(within), dropna=False).groups.items():
        rows = frame.loc[idx]
        hit = primary.loc[idx]
        if int(hit.sum()) == 1 and len(rows) > 1:
            others = rows.loc[~hit, count_column].astype(float)
            mask.loc[others.idxmin()] = True
    return mask


def suppress(
    frame: pd.DataFrame,
    *,
    count_column: str = "pupils",
    value_columns: Sequence[str] | None = None,
    threshold: int = DEFAULT_THRESHOLD,
    within: Sequence[str] | None = None,
    suppress_count: bool = False,
) -> pd.DataFrame:
    """Replace the figures of groups with fewer than ``threshold`` pupils by ``c``.

    Missing figures for publishable groups become ``x``; ``band`` missing because no band
    applies becomes ``z``. ``within`` names partition columns for secondary suppression
    (e.g. ``["academic_year"]`` when a trust total is published beside its academies).
    ``suppress_count`` also replaces the count itself (needed when counts are below the
    threshold and the count alone would disclose, e.g. exclusions).
    """
    out = frame.copy()
    columns = [c for c in (value_columns or DEFAULT_VALUE_COLUMNS) if c in out.columns]
    mask = pd.Series(small_group_mask(out[count_column].fillna(0), threshold), index=out.index)
    if within:
        mask = _secondary(out, mask, count_column, within)
    for column in columns:
        values = out[column].astype(object)
        missing = values.isna()
        filler = NOT_APPLICABLE if column.startswith("band") else NOT_AVAILABLE
        values = values.where(~missing, filler)
        out[column] = values.where(~mask, SUPPRESSED)
    if suppress_count:
        out[count_column] = out[count_column].astype(object).where(~mask, SUPPRESSED)
    out["suppressed"] = np.asarray(mask, dtype=bool)
    return out

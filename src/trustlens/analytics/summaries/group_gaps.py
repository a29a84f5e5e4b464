"""Gaps between pupil groups, per academy and for the trust, from the built facts.

For each breakdown the gap is a group minus its reference group in the same unit and period:
disadvantaged minus other pupils, SEN support (K) and EHC plan (E) minus no SEN, EAL minus
not EAL, boys minus girls, low and high prior attainment minus middle. Measures: value added,
Progress 8, attendance and KS2 RWM expected standard. The interval treats the two groups as
independent: ``se = sqrt(se1^2 + se2^2)`` (a group's se is taken from its own 95% interval
when the builder stored none: half-width / 1.96), the Welch-style normal interval used for
the disadvantaged gap (``measures.gaps``). n is the smaller group's pupils. Built after every
rebuild (old gap rows are replaced), never per request.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trustlens.analytics.summaries.units import FACT_COLUMNS

Z = 1.959963984540054
BASE_MEASURES = ("va", "p8", "attendance", "ks2_rwm")
SUFFIX = "_group_gap"
#: breakdown -> (reference group, the groups compared with it)
PAIRS = {
    "disadvantaged": ("False", ("True",)),
    "sen": ("N", ("K", "E")),
    "eal": ("False", ("True",)),
    "sex": ("F", ("M",)),
    "prior_band": ("middle", ("low", "high")),
}


def gap_code(measure: str) -> str:
    return f"{measure}{SUFFIX}"


def with_group_gaps(facts: pd.DataFrame) -> pd.DataFrame:
    """``facts`` with every group-gap row recomputed (earlier ones dropped)."""
    kept = facts[~facts["measure"].str.endswith(SUFFIX)]
    rows = kept[
        kept["measure"].isin(BASE_MEASURES)
        & kept["breakdown"].isin(list(PAIRS))
        & kept["level"].isin(["academy", "trust"])
        & kept["score"].notna()
    ]
    if rows.empty:
        return kept.reset_index(drop=True)
    se = rows["se"].where(rows["se"].notna(), (rows["ci_high"] - rows["ci_low"]) / (2 * Z))
    rows = rows.assign(se=se)
    keys = ["level", "unit", "measure", "period", "breakdown"]
    found = []
    for key, unit_rows in rows.groupby(keys, sort=False):
        by_group = unit_rows.set_index("group")
        reference, others = PAIRS[key[4]]
        if reference not in by_group.index:
            continue
        ref = by_group.loc[reference]
        for group in others:
            if group in by_group.index:
                found.append(_gap(key, group, by_group.loc[group], ref))
    if not found:
        return kept.reset_index(drop=True)
    gaps = pd.DataFrame(found)[list(FACT_COLUMNS)]
    return pd.concat([kept, gaps], ignore_index=True)


def _gap(key: tuple, group: str, row: pd.Series, ref: pd.Series) -> dict:
    level, unit, measure, period, breakdown = key
    gap = float(row["score"] - ref["score"])
    se = float(np.sqrt(row["se"] ** 2 + ref["se"] ** 2))
    reference = PAIRS[breakdown][0]
    return {
        "level": level,
        "unit": unit,
        "measure": gap_code(measure),
        "period": period,
        "period_order": int(row["period_order"]),
        "breakdown": breakdown,
        "group": group,
        "pupils": float(min(row["pupils"], ref["pupils"])),
        "score": gap,
        "ci_low": gap - Z * se if np.isfinite(se) else np.nan,
        "ci_high": gap + Z * se if np.isfinite(se) else np.nan,
        "se": se,
        "sd": np.nan,
        "band": None,
        "flag": None,
        "note": f"{group} minus {reference} ({int(row['pupils'])} and {int(ref['pupils'])} pupils); n = the smaller group",
    }

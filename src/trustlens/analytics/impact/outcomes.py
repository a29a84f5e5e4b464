"""Secondary outcomes on a matched sample: pupil-group effects and attendance.

Both reuse the headline model (OLS on the matched sample, SEs clustered on matched sets,
Abadie & Spiess 2022). Pupil-group effects keep only the matched sets whose participant is in
the group and are standardised by the whole matched sample's pooled SD, so they sit on the
same scale as the headline; groups with fewer than ``MIN_GROUP_SETS`` participants get no
estimate (EEF analysis guidance: subgroup results are exploratory and often underpowered).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trustlens.analytics.impact.effect_size import regression_adjusted, treatment_coefficient
from trustlens.analytics.impact.months import months_progress
from trustlens.analytics.impact.sample import AnalysisSample

MIN_GROUP_SETS = 10

#: pupil group -> (characteristic column, value, label)
PUPIL_GROUPS: dict[str, tuple[str, int, str]] = {
    "disadvantaged": ("disadvantaged", 1, "Disadvantaged pupils"),
    "not_disadvantaged": ("disadvantaged", 0, "Other pupils (not disadvantaged)"),
    "sen": ("sen", 1, "Pupils with SEN"),
    "eal": ("eal", 1, "Pupils with English as an additional language"),
    "girls": ("female", 1, "Girls"),
    "boys": ("female", 0, "Boys"),
}


def group_effects(sample: AnalysisSample, sd: float) -> dict[str, dict]:
    """Regression-adjusted effect for each pupil group among the matched participants."""
    results = {}
    rows, matched = sample.rows, sample.matched
    participants = matched[matched["treated"]]
    reference = rows["reference"].to_numpy(bool)
    for key, (column, value, label) in PUPIL_GROUPS.items():
        if column not in matched:
            continue
        sets = participants.loc[participants[column].round() == value, "match_set"]
        entry: dict = {"label": label, "n_intervention": int(len(sets))}
        if len(sets) >= MIN_GROUP_SETS:
            group = rows[rows["match_set"].isin(sets).to_numpy() | reference]
            estimate = regression_adjusted(
                group["post"].to_numpy(),
                group["treated"].to_numpy(),
                sample.design(group),
                group["match_set"].to_numpy(),
                sd=sd,
            )
            entry |= {
                "n_comparison": int(len(sets)) * (estimate.n_comparison > 0),
                "effect_size": round(estimate.effect_size, 3),
                "ci_low": round(estimate.ci_low, 3),
                "ci_high": round(estimate.ci_high, 3),
                "months": months_progress(estimate.effect_size),
            }
        else:
            entry |= {
                "effect_size": None,
                "note": f"fewer than {MIN_GROUP_SETS} participants: no estimate",
            }
        results[key] = entry
    return results


def attendance_effect(sample: AnalysisSample) -> dict | None:
    """Difference in post-window attendance (percentage points), adjusted for the pre window
    (and academy, as the headline model is).

    Matched sets in which every pupil has a post-window attendance figure are used, with the
    reference pupils who have one; None when attendance is not held for at least half of the
    matched sample.
    """
    matched = sample.matched
    if "attendance_post" not in matched or matched["attendance_post"].notna().mean() < 0.5:
        return None
    complete = matched.groupby("match_set")["attendance_post"].transform(lambda s: s.notna().all())
    rows = sample.rows
    keep = rows["match_set"].isin(matched.loc[complete, "match_set"]).to_numpy() | (
        rows["reference"].to_numpy(bool) & rows["attendance_post"].notna().to_numpy()
    )
    rows = rows[keep]
    treated = rows["treated"].to_numpy(bool)
    arm = ~treated & ~rows["reference"].to_numpy(bool)
    if treated.sum() < 2 or arm.sum() < 2:
        return None
    blocks = []
    adjusted = "attendance_pre" in rows and rows["attendance_pre"].notna().all()
    if adjusted:
        blocks.append(rows[["attendance_pre"]].to_numpy(float))
    if sample.academy_adjusted and rows["urn"].nunique() > 1:
        blocks.append(
            pd.get_dummies(rows["urn"].astype(str), drop_first=True, dtype=float).to_numpy()
        )
    post = rows["attendance_post"].to_numpy(float)
    coefficient, _, half = treatment_coefficient(
        post, treated, np.column_stack(blocks) if blocks else None, rows["match_set"].to_numpy()
    )
    return {
        "n_intervention": int(treated.sum()),
        "n_comparison": int(arm.sum()),
        "mean_intervention": round(float(post[treated].mean()), 2),
        "mean_comparison": round(float(post[arm].mean()), 2),
        "difference_points": round(coefficient, 2),
        "ci_low": round(coefficient - half, 2),
        "ci_high": round(coefficient + half, 2),
        "adjusted_for_pre": bool(adjusted),
    }

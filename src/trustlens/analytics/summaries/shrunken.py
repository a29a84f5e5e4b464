"""Shrunken estimates for academies' pupil groups, beside the raw figures.

A small group's mean is noisy; the empirical-Bayes estimate pulls it towards the mean of the
same group across the trust's academies by its reliability ``B = tau^2 / (tau^2 + se^2)``
(Morris 1983; tau^2 by DerSimonian and Laird 1986: ``analytics.stats.shrinkage.shrink``). It
is computed once per build (after an import), for every academy-level pupil-group row of a
measure with a standard error, per (measure, period, breakdown, group) across academies (at
least :data:`MIN_UNITS` of them). The dashboards show it beside the raw figure for groups
under ``SMALL_GROUP`` pupils, with the method named; it never replaces the raw figure.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from trustlens.analytics.stats.shrinkage import shrink

MIN_UNITS = 3
SHRUNK_COLUMNS = ("shrunk", "shrunk_low", "shrunk_high", "reliability")
MEASURES = ("va", "p8", "a8", "ks2_reading", "ks2_writing", "ks2_maths", "attendance")


def with_shrinkage(facts: pd.DataFrame) -> pd.DataFrame:
    """``facts`` with the shrunken estimate columns (NaN where none is computed)."""
    facts = facts.copy()
    for column in SHRUNK_COLUMNS:
        facts[column] = np.nan
    mask = (
        (facts["level"] == "academy")
        & (facts["breakdown"] != "all")
        & facts["measure"].isin(MEASURES)
        & facts["se"].notna()
        & (facts["se"] > 0)
        & facts["score"].notna()
    )
    keys = ["measure", "period", "breakdown", "group"]
    for _key, rows in facts[mask].groupby(keys):
        if len(rows) < MIN_UNITS:
            continue
        out = shrink(rows)
        facts.loc[out.index, list(SHRUNK_COLUMNS)] = out[list(SHRUNK_COLUMNS)].to_numpy()
    return facts

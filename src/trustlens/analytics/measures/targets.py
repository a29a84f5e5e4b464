"""FFT-style estimates per pupil: what similar pupils achieve in schools at given percentiles.

Source: FFT Aspire methodology (FFT Education Datalab, "FFT estimates"): a pupil's estimate is
the outcome of similar pupils (same prior attainment, sex and month of birth) nationally,
shifted to what pupils achieve in schools at the 50th, 20th or 5th percentile of value added
(i.e. the median school, a top-20% school and a top-5% school). FFT stresses these are
estimates, not targets; every output here carries ``label = "estimate"``.

Here the similar-pupil outcome is the DfE P8 estimate for the pupil's prior attainment group
(national or cohort), optionally adjusted for sex and month of birth by the mean P8 of pupils
of that sex and birth month in the supplied reference cohort (labelled). The school percentiles
of P8 come from the 2018/19 national school table shipped in ``data/`` (every mainstream school's
published P8), or from any school summary the caller passes.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

import ibis
import numpy as np
import pandas as pd
from ibis import _

from trustlens.analytics.measures.groups import with_pupils
from trustlens.analytics.measures.progress8 import National, pupil_progress8

#: Percentile-of-schools bands: band name -> percentile of school value added.
BANDS = {"estimate_p50": 50, "estimate_p20": 80, "estimate_p5": 95}
A8_MIN, A8_MAX = 0.0, 90.0
LABEL = "estimate (not a target)"


@cache
def national_school_percentiles() -> pd.Series:
    """Percentile (1-99) -> school P8, from every mainstream school's 2018/19 P8 (DfE)."""
    path = resources.files("trustlens.analytics") / "data" / "ks4_school_p8_percentiles_2019.csv"
    frame = pd.read_csv(path.open())
    return frame.set_index("percentile")["school_p8"]


def percentiles_from(scores: Sequence[float] | np.ndarray) -> pd.Series:
    """Percentile (1-99) -> school score from any set of school scores."""
    values = np.asarray(scores, dtype=float)
    values = values[np.isfinite(values)]
    q = np.arange(1, 100)
    return pd.Series(np.percentile(values, q), index=q, name="school_score")


def band_offsets(percentiles: pd.Series, bands: Mapping[str, int] = BANDS) -> dict[str, float]:
    """School score at each band's percentile, relative to the median school."""
    median = float(percentiles.loc[50])
    return {name: float(percentiles.loc[p]) - median for name, p in bands.items()}


def estimate_bands(
    table: ibis.Table,
    expected: str,
    offsets: Mapping[str, float],
    *,
    scale: float = 1.0,
    lower: float | None = None,
    upper: float | None = None,
) -> ibis.Table:
    """Add one column per band: ``expected + scale * offset``, clipped to [lower, upper]."""
    columns = {}
    for name, offset in offsets.items():
        value = table[expected] + scale * offset
        if lower is not None:
            value = (value < lower).ifelse(lower, value)
        if upper is not None:
            value = (value > upper).ifelse(upper, value)
        columns[name] = value
    return table.mutate(label=ibis.literal(LABEL), **columns)


def _context_adjustment(scores: ibis.Table, pupils: ibis.Table) -> ibis.Table:
    """Mean P8 deviation by sex and by birth month in the reference cohort, added to the
    estimate (additive: each factor's mean P8 minus the cohort mean)."""
    table = with_pupils(scores, pupils)
    table = table.mutate(_dev=table.p8 - table.p8.mean().over(ibis.window()))
    by_sex = table.group_by("sex").agg(adj_sex=_._dev.mean())
    by_month = table.group_by("birth_month").agg(adj_month=_._dev.mean())
    out = table.left_join(by_sex, "sex").drop("sex_right")
    out = out.left_join(by_month, "birth_month").drop("birth_month_right")
    adj = out.adj_sex.fill_null(0.0) + out.adj_month.fill_null(0.0)
    return out.mutate(expected_a8=out.estimate + 10.0 * adj).drop("adj_sex", "adj_month", "_dev")


def ks4_estimates(
    ks4: ibis.Table,
    national: National = None,
    *,
    pupils: ibis.Table | None = None,
    percentiles: pd.Series | None = None,
) -> ibis.Table:
    """Per pupil: ``expected_a8`` and A8 ``estimate_p50`` / ``estimate_p20`` / ``estimate_p5``.

    ``pupils`` switches on the sex and month-of-birth adjustment (``similar_pupils`` says which
    was used). ``percentiles`` defaults to the national 2018/19 school P8 distribution.
    """
    scores = pupil_progress8(ks4, national)
    if pupils is not None:
        scores = _context_adjustment(scores, pupils)
        similar = "prior attainment group, sex, month of birth"
    else:
        scores = scores.mutate(expected_a8=_.estimate)
        similar = "prior attainment group"
    offsets = band_offsets(national_school_percentiles() if percentiles is None else percentiles)
    out = estimate_bands(scores, "expected_a8", offsets, scale=10.0, lower=A8_MIN, upper=A8_MAX)
    keep = ["pupil_id", "urn", "academic_year", "pa_group", "expected_a8", *offsets, "label"]
    return out.select(*keep).mutate(similar_pupils=ibis.literal(similar))

"""Empirical-Bayes shrinkage and multi-year weighted value added.

Sources:
- Morris, C. N. (1983). Parametric empirical Bayes inference: theory and applications.
  *JASA* 78(381), 47-55: ``theta_i = mean + B_i (y_i - mean)``, ``B_i = tau^2 / (tau^2 + se_i^2)``,
  with the between-group variance tau^2 from DerSimonian & Laird (1986).
- FFT Aspire methodology (FFT Education Datalab): three-year weighted value added, the most
  recent year weighted 3, the one before 2 and the earliest 1, for stability.

All functions work on executed group summaries (pandas), numpy/scipy only.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from trustlens.analytics.stats.funnel import dersimonian_laird
from trustlens.analytics.stats.intervals import z_value

THREE_YEAR_WEIGHTS = (3.0, 2.0, 1.0)


def shrink(
    summary: pd.DataFrame,
    *,
    score: str = "score",
    se: str = "se",
    target: float | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Add ``shrunk``, ``shrunk_low``, ``shrunk_high`` and the ``reliability`` B_i per group.

    Small groups (large ``se``) are pulled most towards ``target`` (default: the
    inverse-variance weighted mean of all groups). The interval is the posterior interval
    ``shrunk +- z sqrt(B_i se_i^2)`` (the uncertainty in tau^2 itself is not propagated, so it
    is slightly narrow when there are few groups).
    """
    out = summary.copy()
    y, s = out[score].to_numpy(float), out[se].to_numpy(float)
    het = dersimonian_laird(y, s**2)
    centre = het.pooled if target is None else float(target)
    reliability = het.tau2 / (het.tau2 + s**2) if het.tau2 > 0 else np.zeros_like(s)
    post = centre + reliability * (y - centre)
    post_se = np.sqrt(reliability * s**2)
    z = z_value(level)
    out["reliability"] = reliability
    out["shrunk"] = post
    out["shrunk_low"], out["shrunk_high"] = post - z * post_se, post + z * post_se
    out["tau2"] = het.tau2
    return out


def weighted_years(
    summary: pd.DataFrame,
    *,
    by: Sequence[str] = ("urn",),
    year: str = "academic_year",
    weights: Sequence[float] = THREE_YEAR_WEIGHTS,
    sigma: float | None = None,
    level: float = 0.95,
) -> pd.DataFrame:
    """Three-year weighted value added (3:2:1), pupil-weighted within each year.

    ``summary`` has one row per group and year with ``pupils`` and ``total`` (sum of pupil
    scores) and either ``total_sq`` or a common ``sigma``. The latest year present for each
    group gets ``weights[0]``. Score = ``sum w_t S_t / sum w_t n_t``; its SE treats pupils as
    independent with SD ``sigma`` (or the pooled within-year SD): ``sigma sqrt(sum w_t^2 n_t) /
    sum w_t n_t``.
    """
    frame = summary.copy()
    frame["_rank"] = frame.groupby(list(by))[year].rank(method="dense", ascending=False)
    frame = frame[frame["_rank"] <= len(weights)].copy()
    frame["_w"] = np.asarray(weights, float)[frame["_rank"].astype(int).to_numpy() - 1]
    if sigma is None:
        frame["_var"] = _pooled_variance(frame)
    else:
        frame["_var"] = sigma**2
    frame["_wn"] = frame["_w"] * frame["pupils"]
    frame["_ws"] = frame["_w"] * frame["total"]
    frame["_w2nv"] = frame["_w"] ** 2 * frame["pupils"] * frame["_var"]
    agg = frame.groupby(list(by), as_index=False).agg(
        pupils=("pupils", "sum"),
        years=(year, "nunique"),
        latest_year=(year, "max"),
        _wn=("_wn", "sum"),
        _ws=("_ws", "sum"),
        _w2nv=("_w2nv", "sum"),
    )
    agg["score"] = agg["_ws"] / agg["_wn"]
    agg["se"] = np.sqrt(agg["_w2nv"]) / agg["_wn"]
    z = z_value(level)
    agg["ci_low"], agg["ci_high"] = agg["score"] - z * agg["se"], agg["score"] + z * agg["se"]
    return agg.drop(columns=["_wn", "_ws", "_w2nv"])


def _pooled_variance(frame: pd.DataFrame) -> float:
    """Pooled within-group variance from (pupils, total, total_sq) across all rows."""
    n, s, ss = (frame[c].to_numpy(float) for c in ("pupils", "total", "total_sq"))
    within = np.nansum(ss - s**2 / n)
    dof = np.nansum(n - 1)
    return float(within / dof)

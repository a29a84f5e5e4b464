"""Funnel plots with robust over-dispersion: which academies really stand out?

Sources:
- Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
  *Statistics in Medicine* 24(8), 1185-1202: control limits ``target +- z * se(n)`` at 95% and
  99.8%, drawn against the group size.
- Spiegelhalter, D. J. (2005). Handling over-dispersion of performance indicators. *Quality and
  Safety in Health Care* 14(5), 347-351, and NHS England / NHS Digital funnel plots (SHMI): test
  for over-dispersion with the sum of squared z-scores against chi-square on k - 1 degrees of
  freedom; only when it is present, estimate it from z-scores winsorised at the 10th and 90th
  percentiles, so that an outlier cannot widen the limits until it hides itself; an *additive*
  random-effects variance tau^2 (limits ``target +- z sqrt(se^2 + tau^2)``).
- DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
  Trials* 7(3), 177-188: the moment estimator of the between-group variance tau^2 (kept for
  meta-analysis and shrinkage, and as a non-robust option here).

Why additive: academies' sizes differ tenfold; a multiplicative factor (phi x se^2) keeps the
limits of the largest academies narrow, so they would be flagged for differences too small to
matter. An additive tau^2 is the spread of true academy effects, the same for every size
(Spiegelhalter 2005, QSHC, section "additive random effects").

Works on executed group summaries (one row per academy): numpy/scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from trustlens.analytics.stats.intervals import z_value

FUNNEL_LEVELS = (0.95, 0.998)
#: Share of units winsorised at each end before over-dispersion is estimated.
WINSOR_FRACTION = 0.1
#: Significance level of the chi-square test for over-dispersion.
DISPERSION_ALPHA = 0.05
#: Fewest units with which over-dispersion is tested and estimated.
MIN_UNITS = 3


@dataclass(frozen=True)
class Heterogeneity:
    """DerSimonian-Laird summary of a set of group estimates."""

    tau2: float  #: between-group variance (0 when the groups agree beyond chance)
    q: float  #: Cochran's Q
    k: int  #: number of groups
    pooled: float  #: inverse-variance weighted mean (fixed effect)


@dataclass(frozen=True)
class Dispersion:
    """Robust over-dispersion of units around a target (Spiegelhalter 2005, QSHC)."""

    statistic: float  #: sum of squared (raw) z-scores, ~ chi-square on k - 1 df without it
    p_value: float  #: upper tail of chi-square(k - 1) at ``statistic``
    present: bool  #: over-dispersion detected (p < alpha)
    phi: float  #: mean squared winsorised z-score (multiplicative estimate; reported only)
    tau2: float  #: additive between-unit variance from winsorised z (0 when not present)
    k: int  #: number of units


def dersimonian_laird(estimates: np.ndarray, variances: np.ndarray) -> Heterogeneity:
    """DerSimonian-Laird tau^2 from estimates and their sampling variances."""
    y = np.asarray(estimates, dtype=float)
    v = np.asarray(variances, dtype=float)
    keep = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, w = y[keep], 1.0 / v[keep]
    k = int(y.size)
    if k < 2:
        return Heterogeneity(0.0, 0.0, k, float(y[0]) if k else float("nan"))
    pooled = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - pooled) ** 2))
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - (k - 1)) / denom) if denom > 0 else 0.0
    return Heterogeneity(tau2, q, k, pooled)


def winsorise(z: np.ndarray, fraction: float = WINSOR_FRACTION) -> np.ndarray:
    """Pull z-scores beyond the ``fraction`` / ``1 - fraction`` percentiles in to them.

    The percentiles are order statistics rounded inwards (numpy ``higher`` below, ``lower``
    above), so at least the most extreme unit at each end is pulled in: with eight academies
    the 10th percentile lies between the first and second, and linear interpolation would leave
    most of a lone outlier in the estimate it must not inflate.
    """
    z = np.asarray(z, dtype=float)
    low = np.quantile(z, fraction, method="higher")
    high = np.quantile(z, 1.0 - fraction, method="lower")
    return np.clip(z, low, high)


def robust_overdispersion(
    estimates: np.ndarray,
    variances: np.ndarray,
    target: float,
    fraction: float = WINSOR_FRACTION,
    alpha: float = DISPERSION_ALPHA,
) -> Dispersion:
    """Test for over-dispersion on the z-scores; if present, estimate tau^2 robustly.

    ``z = (y - target) / se``; the test compares ``sum z^2`` with chi-square on ``k - 1``
    degrees of freedom; the estimate is ``tau^2 = (k phi_w - (k - 1)) / (sum w - sum w^2 /
    sum w)`` with ``phi_w`` the mean squared winsorised z-score and ``w = 1 / se^2``
    (Spiegelhalter 2005, QSHC; the NHS SHMI method). Fewer than three units: no estimate.
    """
    y, v = np.asarray(estimates, float), np.asarray(variances, float)
    keep = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, v = y[keep], v[keep]
    k = int(y.size)
    if k < MIN_UNITS:
        return Dispersion(float("nan"), float("nan"), False, float("nan"), 0.0, k)
    z = (y - target) / np.sqrt(v)
    statistic = float(np.sum(z**2))
    p_value = float(stats.chi2.sf(statistic, k - 1))
    phi = float(np.mean(winsorise(z, fraction) ** 2))
    present = p_value < alpha
    w = 1.0 / v
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (k * phi - (k - 1)) / denom) if present and denom > 0 else 0.0
    return Dispersion(statistic, p_value, present, phi, tau2, k)


def winsorised_tau2(
    estimates: np.ndarray,
    variances: np.ndarray,
    target: float,
    fraction: float = WINSOR_FRACTION,
) -> float:
    """The robust additive tau^2 alone (0 unless the test finds over-dispersion)."""
    return robust_overdispersion(estimates, variances, target, fraction).tau2


def funnel(
    summary: pd.DataFrame,
    *,
    target: float | None = None,
    score: str = "score",
    se: str = "se",
    overdispersion: str = "winsorised",
    levels: tuple[float, ...] = FUNNEL_LEVELS,
) -> pd.DataFrame:
    """Funnel limits and flags for each group: the one funnel every measure uses.

    ``summary`` has a score and its standard error per group (for a mean with a national SD,
    ``se = sigma / sqrt(n)``; for a proportion, the binomial SE at the target). ``target``
    defaults to the inverse-variance weighted mean (the trust's own mean); pass 0 to compare
    with the national average of a progress measure. ``overdispersion`` is ``"winsorised"``
    (default: chi-square test, then robust additive tau^2; Spiegelhalter 2005, QSHC),
    ``"dersimonian-laird"`` (tau^2 from all units, not robust) or ``"none"``. Adds ``target``,
    ``tau2``, ``overdispersed``, ``dispersion_p``, ``lower_95``/``upper_95``,
    ``lower_998``/``upper_998`` and ``flag`` (``"high 99.8%"``, ``"high 95%"``, ``"within"``,
    ``"low 95%"``, ``"low 99.8%"``).
    """
    out = summary.copy()
    y, s = out[score].to_numpy(float), out[se].to_numpy(float)
    het = dersimonian_laird(y, s**2)
    centre = het.pooled if target is None else float(target)
    tau2, present, p_value = _tau2(overdispersion, het, y, s, centre)
    out["target"], out["tau2"] = centre, tau2
    out["overdispersed"], out["dispersion_p"] = present, p_value
    spread = np.sqrt(s**2 + tau2)
    flag = np.full(len(out), "within", dtype=object)
    for level in sorted(levels):
        z = z_value(level)
        tag = _level_tag(level)
        out[f"lower_{tag}"], out[f"upper_{tag}"] = centre - z * spread, centre + z * spread
        flag = np.where(y > centre + z * spread, f"high {level:.1%}".replace(".0%", "%"), flag)
        flag = np.where(y < centre - z * spread, f"low {level:.1%}".replace(".0%", "%"), flag)
    flag = np.where(np.isfinite(y) & np.isfinite(s), flag, None)
    out["flag"] = flag
    return out


def _tau2(
    method: str, het: Heterogeneity, y: np.ndarray, s: np.ndarray, centre: float
) -> tuple[float, bool, float]:
    """(tau^2, over-dispersion present, p-value of the test) for ``method``."""
    if method == "winsorised":
        robust = robust_overdispersion(y, s**2, centre)
        return robust.tau2, robust.present, robust.p_value
    if method == "dersimonian-laird":
        return het.tau2, het.tau2 > 0, float("nan")
    if method == "none":
        return 0.0, False, float("nan")
    raise ValueError(f"unknown over-dispersion method: {method!r}")


def _level_tag(level: float) -> str:
    """``0.95 -> '95'``, ``0.998 -> '998'``."""
    return f"{level * 100:g}".replace(".", "")


def funnel_curve(
    target: float, sigma: float, sizes: np.ndarray, tau2: float = 0.0, level: float = 0.95
) -> pd.DataFrame:
    """Points of the funnel's limits for drawing: ``target +- z sqrt(sigma^2/n + tau^2)``."""
    n = np.asarray(sizes, dtype=float)
    spread = z_value(level) * np.sqrt(sigma**2 / n + tau2)
    return pd.DataFrame({"pupils": n, "lower": target - spread, "upper": target + spread})

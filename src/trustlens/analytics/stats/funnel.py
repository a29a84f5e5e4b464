"""Funnel plots with over-dispersion: which academies really stand out?

Sources:
- Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional performance.
  *Statistics in Medicine* 24(8), 1185-1202: control limits ``target +- z * se(n)`` at 95% and
  99.8%, drawn against the group size; over-dispersion handled with an additive random-effects
  variance, estimated from (optionally winsorised) z-scores.
- DerSimonian, R. & Laird, N. (1986). Meta-analysis in clinical trials. *Controlled Clinical
  Trials* 7(3), 177-188: the moment estimator of the between-group variance tau^2.

Works on executed group summaries (one row per academy): numpy/scipy only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trustlens.analytics.stats.intervals import z_value

FUNNEL_LEVELS = (0.95, 0.998)


@dataclass(frozen=True)
class Heterogeneity:
    """DerSimonian-Laird summary of a set of group estimates."""

    tau2: float  #: between-group variance (0 when the groups agree beyond chance)
    q: float  #: Cochran's Q
    k: int  #: number of groups
    pooled: float  #: inverse-variance weighted mean (fixed effect)


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


def winsorised_tau2(
    estimates: np.ndarray, variances: np.ndarray, target: float, fraction: float = 0.1
) -> float:
    """Spiegelhalter's additive tau^2 from z-scores winsorised at ``fraction`` each tail."""
    y, v = np.asarray(estimates, float), np.asarray(variances, float)
    keep = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, v = y[keep], v[keep]
    k = y.size
    if k < 3:
        return 0.0
    z = (y - target) / np.sqrt(v)
    lo, hi = np.quantile(z, [fraction, 1 - fraction])
    z = np.clip(z, lo, hi)
    w = 1.0 / v
    numerator = k * float(np.mean(z**2)) - (k - 1)
    denom = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    return max(0.0, numerator / denom) if denom > 0 else 0.0


def funnel(
    summary: pd.DataFrame,
    *,
    target: float | None = None,
    score: str = "score",
    se: str = "se",
    overdispersion: str = "dersimonian-laird",
    levels: tuple[float, ...] = FUNNEL_LEVELS,
) -> pd.DataFrame:
    """Funnel limits and flags for each group.

    ``summary`` has a score and its standard error per group (for a mean with a national SD,
    ``se = sigma / sqrt(n)``). ``target`` defaults to the inverse-variance weighted mean (the
    trust's own mean); pass 0 to compare with the national average of a progress measure.
    ``overdispersion`` is ``"dersimonian-laird"``, ``"winsorised"`` (Spiegelhalter 2005) or
    ``"none"``. Adds ``target``, ``tau2``, ``lower_95``/``upper_95``, ``lower_998``/``upper_998``
    and ``flag`` (``"high 99.8%"``, ``"high 95%"``, ``"within"``, ``"low 95%"``, ``"low 99.8%"``).
    """
    out = summary.copy()
    y, s = out[score].to_numpy(float), out[se].to_numpy(float)
    het = dersimonian_laird(y, s**2)
    centre = het.pooled if target is None else float(target)
    tau2 = _tau2(overdispersion, het, y, s, centre)
    out["target"], out["tau2"] = centre, tau2
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


def _tau2(method: str, het: Heterogeneity, y: np.ndarray, s: np.ndarray, centre: float) -> float:
    if method == "dersimonian-laird":
        return het.tau2
    if method == "winsorised":
        return winsorised_tau2(y, s**2, centre)
    if method == "none":
        return 0.0
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

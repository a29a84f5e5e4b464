"""Pooling several evaluations of one programme: random-effects meta-analysis.

DerSimonian & Laird (1986), "Meta-analysis in clinical trials", *Controlled Clinical Trials*
7:177-188: inverse-variance weights 1 / (v_i + tau^2), tau^2 from Cochran's Q, a 95% CI of
+-1.96 / sqrt(sum of weights). Each evaluation's variance is taken from its 95% CI
((high - low) / (2 x 1.96))^2. This is how the EEF Toolkit pools studies of one approach, and
what the what-works library shows for a programme used in several academies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

Z95 = float(stats.norm.ppf(0.975))


@dataclass(frozen=True)
class Pooled:
    """A pooled effect size, its 95% CI, tau^2 (between-evaluation variance) and I^2."""

    effect_size: float
    ci_low: float
    ci_high: float
    tau2: float
    i2: float
    k: int


def pool_effects(
    effects: Sequence[float], ci_lows: Sequence[float], ci_highs: Sequence[float]
) -> Pooled | None:
    """DerSimonian-Laird random-effects pooling of effect sizes given with 95% CIs."""
    y = np.asarray(effects, float)
    v = ((np.asarray(ci_highs, float) - np.asarray(ci_lows, float)) / (2 * Z95)) ** 2
    keep = np.isfinite(y) & np.isfinite(v) & (v > 0)
    y, v = y[keep], v[keep]
    if len(y) == 0:
        return None
    w = 1 / v
    fixed = float(np.sum(w * y) / np.sum(w))
    q = float(np.sum(w * (y - fixed) ** 2))
    df = len(y) - 1
    c = float(np.sum(w) - np.sum(w**2) / np.sum(w))
    tau2 = max(0.0, (q - df) / c) if df > 0 and c > 0 else 0.0
    w_star = 1 / (v + tau2)
    pooled = float(np.sum(w_star * y) / np.sum(w_star))
    half = Z95 / float(np.sqrt(np.sum(w_star)))
    i2 = max(0.0, (q - df) / q) if q > 0 else 0.0
    return Pooled(pooled, pooled - half, pooled + half, tau2, i2, len(y))

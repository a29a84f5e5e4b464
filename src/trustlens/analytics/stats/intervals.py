"""Confidence intervals written once for numpy arrays and Ibis columns.

Every formula here is closed-form in the group summaries (n, sum, sum of squares), so the same
function builds an Ibis expression (run by DuckDB or Spark) or computes on numpy arrays after the
engine has returned the summaries. Quantiles come from scipy and enter the expressions as plain
floats.

Sources:
- Normal interval with a known (national) SD: DfE, *Secondary accountability measures* guidance
  (Progress 8 confidence intervals: P8 +- 1.96 x SD / sqrt(n)) and *Primary school accountability*
  technical guidance (KS2 progress, same form).
- Wilson score interval for a proportion: Wilson (1927), recommended by Newcombe (1998) and
  Agresti & Coull (1998) over the Wald interval for small n.
- Poisson score interval with over-dispersion for event rates: the score interval for a Poisson
  mean (e.g. Barker 2002), with the variance inflated by the dispersion ratio.
- Ratio-estimator (linearised) variance for attendance rates clustered by pupil: Cochran (1977),
  *Sampling Techniques*, section 6.
- Student-t quantile: Cornish-Fisher expansion (Abramowitz & Stegun 26.7.5), so small-sample
  intervals stay closed-form inside the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy import stats

#: Anything these functions compute on: numpy arrays/scalars or Ibis numeric columns.
Numeric = Any


def _is_ibis(x: Any) -> bool:
    return hasattr(x, "op") and hasattr(x, "type")


def f64(value: float) -> Any:
    """A float64 Ibis literal that every engine reads as a double.

    Spark SQL parses ``91.0`` as DECIMAL(3,1), so a column made only of float literals would be a
    decimal there (and averages of it rounded to the decimal's scale). Casting the literal's text
    to DOUBLE is exact on both engines and folded at planning time.
    """
    import ibis

    return ibis.literal(repr(float(value))).cast("float64")


def sqrt(x: Numeric) -> Numeric:
    """Square root of an Ibis column or a numpy value."""
    return x.sqrt() if _is_ibis(x) else np.sqrt(x)


def maximum(x: Numeric, floor: float) -> Numeric:
    """``max(x, floor)`` for an Ibis column or a numpy value."""
    if _is_ibis(x):
        return (x < floor).ifelse(floor, x)
    return np.maximum(x, floor)


def z_value(level: float = 0.95) -> float:
    """Two-sided standard-normal quantile for a confidence ``level`` (1.959964 for 0.95)."""
    return float(stats.norm.ppf(0.5 + level / 2.0))


def t_value(df: Numeric, level: float = 0.95) -> Numeric:
    """Two-sided Student-t quantile, closed form (Cornish-Fisher, 4 terms).

    Relative error against scipy at 95%: below 0.15% for df >= 3 and 0.02% for df >= 5 (every
    group big enough to publish); below 0.1% at 99% and 0.4% at 99.8% for df >= 5. ``df`` may be
    an Ibis column.
    """
    z = z_value(level)
    v = maximum(df.cast("float64") if _is_ibis(df) else np.asarray(df, dtype=float), 1.0)
    g1 = (z**3 + z) / 4.0
    g2 = (5 * z**5 + 16 * z**3 + 3 * z) / 96.0
    g3 = (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / 384.0
    g4 = (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / 92160.0
    return z + g1 / v + g2 / v**2 + g3 / v**3 + g4 / v**4


def normal_interval(
    mean: Numeric, sigma: Numeric, n: Numeric, level: float = 0.95
) -> tuple[Numeric, Numeric]:
    """``mean +- z * sigma / sqrt(n)``: the DfE P8 and KS2 progress interval.

    ``sigma`` is the national SD of pupil scores for the year (DfE), or a pooled SD of the
    supplied cohort when no national figure exists.
    """
    half = z_value(level) * sigma / sqrt(n)
    return mean - half, mean + half


def sample_sd(n: Numeric, total: Numeric, total_sq: Numeric) -> Numeric:
    """Sample SD from group sums (n, sum x, sum x^2); unsafe for n < 2 (returns NaN/null)."""
    var = (total_sq - total * total / n) / (n - 1)
    return sqrt(maximum(var, 0.0))


def mean_interval(
    n: Numeric, total: Numeric, total_sq: Numeric, level: float = 0.95
) -> tuple[Numeric, Numeric]:
    """Student-t interval for a group mean using the group's own SD."""
    mean = total / n
    half = t_value(n - 1, level) * sample_sd(n, total, total_sq) / sqrt(n)
    return mean - half, mean + half


def wilson_interval(successes: Numeric, n: Numeric, level: float = 0.95) -> tuple[Numeric, Numeric]:
    """Wilson score interval for a proportion (as a fraction, 0-1)."""
    z = z_value(level)
    p = successes / n
    denom = 1.0 + z * z / n
    centre = (p + z * z / (2.0 * n)) / denom
    half = z * sqrt(maximum(p * (1.0 - p) / n + z * z / (4.0 * n * n), 0.0)) / denom
    return centre - half, centre + half


def poisson_rate_interval(
    events: Numeric, exposure: Numeric, dispersion: Numeric = 1.0, level: float = 0.95
) -> tuple[Numeric, Numeric]:
    """Score interval for a rate ``events / exposure``, variance inflated by ``dispersion``.

    With ``dispersion`` = 1 this is the Poisson score interval; repeat events for the same pupil
    make counts over-dispersed, so callers pass the variance-to-mean ratio of per-pupil counts.
    A count of 0 gives ``[0, z^2 * dispersion / exposure]``, not a zero-width interval.
    """
    z = z_value(level)
    phi = maximum(dispersion, 1.0)
    centre = events + z * z * phi / 2.0
    half = z * sqrt(phi * events + z * z * phi * phi / 4.0)
    return (centre - half) / exposure, (centre + half) / exposure


def ratio_interval(
    n: Numeric,
    sum_y: Numeric,
    sum_x: Numeric,
    sum_yy: Numeric,
    sum_xx: Numeric,
    sum_xy: Numeric,
    level: float = 0.95,
) -> tuple[Numeric, Numeric]:
    """Interval for ``R = sum y / sum x`` with pupils as clusters (linearised variance).

    ``var(R) = sum (y_i - R x_i)^2 / (n (n-1) xbar^2)``, expanded into the group sums so the
    engine needs only sums of y, x, y^2, x^2 and xy per group.
    """
    ratio = sum_y / sum_x
    resid_ss = sum_yy - 2.0 * ratio * sum_xy + ratio * ratio * sum_xx
    xbar = sum_x / n
    se = sqrt(maximum(resid_ss, 0.0) / (n * (n - 1.0))) / xbar
    z = z_value(level)
    return ratio - z * se, ratio + z * se


def difference_interval(
    mean_a: Numeric,
    var_a: Numeric,
    n_a: Numeric,
    mean_b: Numeric,
    var_b: Numeric,
    n_b: Numeric,
    level: float = 0.95,
) -> tuple[Numeric, Numeric, Numeric]:
    """Gap ``mean_a - mean_b`` and its normal interval with unequal variances (Welch SE)."""
    gap = mean_a - mean_b
    se = sqrt(var_a / n_a + var_b / n_b)
    z = z_value(level)
    return gap, gap - z * se, gap + z * se


def implied_sd(
    score_low: Sequence[float] | np.ndarray,
    score_high: Sequence[float] | np.ndarray,
    n: Sequence[float] | np.ndarray,
    level: float = 0.95,
    min_n: int = 30,
) -> float:
    """The pupil-level SD implied by published intervals: median of ``half * sqrt(n) / z``.

    Used to recover the national SD behind a published table (e.g. 2018/19 P8, where the
    DfE did not publish the SD itself). Groups below ``min_n`` are left out because rounding
    of the published interval dominates their implied SD.
    """
    low, high, size = (np.asarray(a, dtype=float) for a in (score_low, score_high, n))
    keep = (size >= min_n) & np.isfinite(low) & np.isfinite(high)
    half = (high[keep] - low[keep]) / 2.0
    return float(np.median(half * np.sqrt(size[keep]) / z_value(level)))

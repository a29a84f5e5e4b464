"""Effect sizes with confidence intervals for a matched comparison.

- Hedges' g on the post-test (Hedges & Olkin 1985, *Statistical Methods for Meta-Analysis*,
  ch. 5): d = (mean_T - mean_C) / pooled SD of the two groups, the small-sample correction
  J = 1 - 3 / (4 (n_T + n_C) - 9), g = J d, var(g) = (n_T + n_C) / (n_T n_C) + g^2 / (2 (n_T + n_C)).
- The regression-adjusted effect size (EEF, *Statistical analysis guidance for EEF
  evaluations*; EEF *DIY Evaluation Guide*): OLS of the post-test on treatment and the baseline
  measures; the treatment coefficient over a standard deviation of the post-test, its CI the
  coefficient's CI over the same SD. ``trustlens.analytics.impact.evaluation`` passes the pooled
  within-year-group SD of the post-test of the whole year group (participants and every
  non-participant), so a catch-up group for low attainers and a whole-class programme are on
  one scale (the matched sample's own SD is restricted in range and inflates targeted
  interventions' effects; Hedges 2007; EEF guidance on restricted samples). Without a given SD
  the matched sample's pooled SD is used, with Hedges' J.
- After matching without replacement the standard error is clustered on the matched sets
  (Abadie & Spiess 2022, "Robust post-matching inference", *JASA* 117:983-995; CR1, as Stata's
  ``vce(cluster)``) with t on (matched sets - 1) degrees of freedom.
- Difference-in-differences where a pre-test exists: the same model with the gain
  (post - pre) as outcome and no baseline (the pre-test coefficient fixed at 1).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, replace

import numpy as np
import statsmodels.api as sm
from scipy import stats

Z95 = stats.norm.ppf(0.975)


@dataclass(frozen=True)
class EffectEstimate:
    """An effect in SD units (``effect_size``) and in the outcome's own units (``difference``)."""

    method: str
    effect_size: float
    ci_low: float
    ci_high: float
    difference: float
    difference_ci_low: float
    difference_ci_high: float
    n_intervention: int
    n_comparison: int
    sd: float

    @property
    def spans_zero(self) -> bool:
        return self.ci_low <= 0 <= self.ci_high

    def to_dict(self) -> dict:
        return {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}


def pooled_sd(treated: np.ndarray, comparison: np.ndarray) -> float:
    """The pooled standard deviation of two groups (each with n-1 in its variance)."""
    n1, n2 = len(treated), len(comparison)
    v1, v2 = np.var(treated, ddof=1), np.var(comparison, ddof=1)
    return float(np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (n1 + n2 - 2)))


def hedges_j(n_total: int) -> float:
    """Hedges' small-sample correction factor J = 1 - 3 / (4 N - 9)."""
    return 1.0 - 3.0 / (4.0 * n_total - 9.0)


def hedges_g(treated: np.ndarray, comparison: np.ndarray) -> EffectEstimate:
    """Hedges' g of the post-test with its 95% CI (Hedges & Olkin 1985)."""
    treated, comparison = np.asarray(treated, float), np.asarray(comparison, float)
    n1, n2 = len(treated), len(comparison)
    sd = pooled_sd(treated, comparison)
    diff = float(treated.mean() - comparison.mean())
    g = hedges_j(n1 + n2) * diff / sd
    half = Z95 * np.sqrt((n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2)))
    raw_half = Z95 * sd * np.sqrt(1 / n1 + 1 / n2)
    return EffectEstimate(
        "hedges_g_post", g, g - half, g + half, diff, diff - raw_half, diff + raw_half, n1, n2, sd
    )


SETS_PER_PARAMETER = 3


def _design(treated: np.ndarray, covariates: np.ndarray | None, n_sets: int) -> np.ndarray:
    """[1, treated, covariates...]: covariates are taken in the order given while each adds
    information (the rank grows) and there are at least three matched sets per parameter, so
    small samples are adjusted for their main baseline only and the clustered variance stays
    estimable."""
    design = np.column_stack([np.ones(len(treated)), treated.astype(float)])
    if covariates is None:
        return design
    limit = max(3, n_sets // SETS_PER_PARAMETER)
    for column in np.asarray(covariates, float).reshape(len(treated), -1).T:
        if design.shape[1] >= limit:
            break
        candidate = np.column_stack([design, column])
        if np.linalg.matrix_rank(candidate) == candidate.shape[1]:
            design = candidate
    return design


def treatment_coefficient(
    outcome: np.ndarray, treated: np.ndarray, covariates: np.ndarray | None, clusters: np.ndarray
) -> tuple[float, float, float]:
    """OLS treatment coefficient with the half-width of its 95% CI, clustered on matched sets.

    Returns (coefficient, standard error, half-width). t has (matched sets - 1) degrees of
    freedom, counting only the clusters that hold a participant: the academy reference pupils
    (each its own cluster) estimate academy levels, not the effect, and must not make the
    interval look surer than the number of participants allows.
    """
    clusters, treated = np.asarray(clusters), np.asarray(treated, bool)
    n_clusters = len(np.unique(clusters))
    model = sm.OLS(np.asarray(outcome, float), _design(treated, covariates, n_clusters))
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": clusters})
    se = float(np.sqrt(fit.cov_params()[1, 1]))  # only the treatment's (not fit.bse: a
    # near-collinear covariate's tiny negative variance would warn)
    df = max(len(np.unique(clusters[treated])) - 1, 1)
    return float(fit.params[1]), se, float(stats.t.ppf(0.975, df) * se)


def _standardised(
    method: str,
    coefficient: float,
    half: float,
    post: np.ndarray,
    treated: np.ndarray,
    sd: float | None,
) -> EffectEstimate:
    """Turn a coefficient and its CI half-width into an effect size over ``sd`` (an SD from the
    whole year group, estimated on many pupils: no correction) or, when None, over the matched
    sample's pooled post-test SD with Hedges' J."""
    j = 1.0 if sd else hedges_j(len(post))
    sd = sd or pooled_sd(post[treated], post[~treated])
    return EffectEstimate(
        method,
        j * coefficient / sd,
        j * (coefficient - half) / sd,
        j * (coefficient + half) / sd,
        coefficient,
        coefficient - half,
        coefficient + half,
        int(treated.sum()),
        int((~treated).sum()),
        sd,
    )


def regression_adjusted(
    post: np.ndarray,
    treated: np.ndarray,
    baseline: np.ndarray | None,
    clusters: np.ndarray,
    sd: float | None = None,
) -> EffectEstimate:
    """Regression-adjusted effect size: OLS of post on treatment + baseline, over pooled post SD."""
    post, treated = np.asarray(post, float), np.asarray(treated, bool)
    coefficient, _, half = treatment_coefficient(post, treated, baseline, clusters)
    return _standardised("regression_adjusted", coefficient, half, post, treated, sd)


def difference_in_differences(
    post: np.ndarray,
    pre: np.ndarray,
    treated: np.ndarray,
    clusters: np.ndarray,
    sd: float | None = None,
    covariates: np.ndarray | None = None,
) -> EffectEstimate:
    """Difference in mean gains (post - pre) between the arms (adjusted for ``covariates``,
    e.g. academy indicators), over ``sd`` (as above)."""
    post, pre, treated = np.asarray(post, float), np.asarray(pre, float), np.asarray(treated, bool)
    coefficient, _, half = treatment_coefficient(post - pre, treated, covariates, clusters)
    return _standardised("difference_in_differences", coefficient, half, post, treated, sd)


def restandardised(
    estimate: EffectEstimate, sd: float, n_total: int, method: str
) -> EffectEstimate:
    """The same difference and CI over another SD (with Hedges' J for a small sample's SD)."""
    j = hedges_j(n_total)
    return replace(
        estimate,
        method=method,
        effect_size=j * estimate.difference / sd,
        ci_low=j * estimate.difference_ci_low / sd,
        ci_high=j * estimate.difference_ci_high / sd,
        sd=sd,
    )


def year_group_sd(values: np.ndarray, year_groups: np.ndarray) -> float:
    """Pooled within-year-group SD: sqrt(sum (n_y - 1) s_y^2 / sum (n_y - 1))."""
    values, year_groups = np.asarray(values, float), np.asarray(year_groups)
    squares, df = 0.0, 0
    for year in np.unique(year_groups):
        group = values[year_groups == year]
        if len(group) > 1:
            squares += (len(group) - 1) * np.var(group, ddof=1)
            df += len(group) - 1
    return float(np.sqrt(squares / df)) if df else float("nan")

"""Effect sizes against hand calculations from their textbook formulas."""

from __future__ import annotations

import numpy as np
import pytest
import statsmodels.api as sm
from scipy import stats

from trustlens.analytics.impact.effect_size import (
    difference_in_differences,
    hedges_g,
    hedges_j,
    pooled_sd,
    regression_adjusted,
    treatment_coefficient,
)


def test_hedges_g_matches_hedges_and_olkin():
    treated = np.array([104.0, 99, 110, 108, 97, 103, 111, 100])
    comparison = np.array([98.0, 95, 101, 104, 92, 99, 100, 96, 94])
    n1, n2 = len(treated), len(comparison)
    s = np.sqrt(
        ((n1 - 1) * treated.var(ddof=1) + (n2 - 1) * comparison.var(ddof=1)) / (n1 + n2 - 2)
    )
    d = (treated.mean() - comparison.mean()) / s
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * d
    v = (n1 + n2) / (n1 * n2) + g**2 / (2 * (n1 + n2))
    estimate = hedges_g(treated, comparison)
    assert estimate.effect_size == pytest.approx(g)
    assert estimate.ci_low == pytest.approx(g - 1.959964 * np.sqrt(v), abs=1e-6)
    assert estimate.ci_high == pytest.approx(g + 1.959964 * np.sqrt(v), abs=1e-6)
    assert estimate.sd == pytest.approx(s)
    assert (estimate.n_intervention, estimate.n_comparison) == (n1, n2)


def test_hedges_j():
    assert hedges_j(20) == pytest.approx(1 - 3 / 71)


def test_pooled_sd_of_equal_groups_is_their_sd():
    a = np.array([1.0, 2, 3, 4])
    assert pooled_sd(a, a + 10) == pytest.approx(a.std(ddof=1))


def _pairs(n: int, seed: int = 3):
    rng = np.random.default_rng(seed)
    pre = rng.normal(100, 15, n)
    partner = pre + rng.normal(0, 1, n)
    post_t = 5 + 0.7 * pre + rng.normal(30, 8, n) + 4
    post_c = 5 + 0.7 * partner + rng.normal(30, 8, n)
    post = np.concatenate([post_t, post_c])
    baseline = np.concatenate([pre, partner])
    treated = np.r_[np.ones(n, bool), np.zeros(n, bool)]
    sets = np.r_[np.arange(n), np.arange(n)]
    return post, baseline, treated, sets


def test_regression_adjusted_is_the_ols_coefficient_over_pooled_sd_with_pair_clustered_ci():
    post, baseline, treated, sets = _pairs(40)
    X = sm.add_constant(np.column_stack([treated.astype(float), baseline]))
    fit = sm.OLS(post, X).fit(cov_type="cluster", cov_kwds={"groups": sets})
    half = stats.t.ppf(0.975, 39) * fit.bse[1]
    s = pooled_sd(post[treated], post[~treated])
    j = hedges_j(80)
    estimate = regression_adjusted(post, treated, baseline[:, None], sets)
    assert estimate.difference == pytest.approx(fit.params[1])
    assert estimate.effect_size == pytest.approx(j * fit.params[1] / s)
    assert estimate.ci_low == pytest.approx(j * (fit.params[1] - half) / s)
    assert estimate.ci_high == pytest.approx(j * (fit.params[1] + half) / s)


def test_small_samples_adjust_for_the_main_baseline_only():
    post, baseline, treated, sets = _pairs(8)
    noise = np.random.default_rng(1).normal(size=(16, 4))
    with_extra = regression_adjusted(post, treated, np.column_stack([baseline, noise]), sets)
    baseline_only = regression_adjusted(post, treated, baseline[:, None], sets)
    assert with_extra.effect_size == pytest.approx(baseline_only.effect_size)


def test_collinear_and_constant_covariates_are_dropped():
    post, baseline, treated, sets = _pairs(60)
    covariates = np.column_stack(
        [baseline, baseline * 2, np.ones_like(baseline), treated.astype(float)]
    )
    coefficient, se, half = treatment_coefficient(post, treated, covariates, sets)
    reference, _, _ = treatment_coefficient(post, treated, baseline[:, None], sets)
    assert coefficient == pytest.approx(reference)
    assert np.isfinite(se) and half > 0


def test_difference_in_differences_is_the_difference_in_mean_gains():
    post, pre, treated, sets = _pairs(30)
    gains = post - pre
    expected = gains[treated].mean() - gains[~treated].mean()
    estimate = difference_in_differences(post, pre, treated, sets)
    assert estimate.difference == pytest.approx(expected)
    assert estimate.ci_low < estimate.effect_size < estimate.ci_high

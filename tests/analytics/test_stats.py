"""Statistics on group summaries: intervals, bands, funnel limits, DerSimonian-Laird, shrinkage,
weighting and suppression. Checked against scipy/statsmodels and by simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.meta_analysis import combine_effects
from statsmodels.stats.proportion import proportion_confint

from trustlens.analytics.stats import intervals
from trustlens.analytics.stats.bands import ABOVE, AVERAGE, BELOW, WELL_ABOVE, WELL_BELOW, band
from trustlens.analytics.stats.funnel import dersimonian_laird, funnel, funnel_curve
from trustlens.analytics.stats.shrinkage import shrink, weighted_years
from trustlens.analytics.stats.suppression import suppress


@pytest.mark.parametrize("level,rel", [(0.95, 2e-4), (0.99, 1e-3), (0.998, 4e-3)])
def test_t_quantile_closed_form_matches_scipy(level, rel):
    """Closed-form t (usable inside the engine) is within ``rel`` of scipy from df = 5, i.e. for
    every group big enough to publish (n >= 6), and within 0.15% at 95% for df 3-4."""
    df = np.arange(3, 400)
    approx = intervals.t_value(df, level)
    exact = stats.t.ppf(0.5 + level / 2, df)
    error = np.abs(approx - exact) / exact
    assert np.max(error[df >= 5]) < rel
    if level == 0.95:
        assert np.max(error) < 1.5e-3


@given(st.integers(1, 500), st.integers(1, 500))
def test_wilson_matches_statsmodels(k, extra):
    n = k + extra
    lo, hi = intervals.wilson_interval(np.float64(k), np.float64(n))
    ref_lo, ref_hi = proportion_confint(k, n, alpha=0.05, method="wilson")
    assert lo == pytest.approx(ref_lo, abs=1e-9)
    assert hi == pytest.approx(ref_hi, abs=1e-9)


@given(st.lists(st.floats(-5, 5), min_size=2, max_size=60))
def test_group_sums_give_the_sample_sd(values):
    x = np.array(values)
    sd = intervals.sample_sd(len(x), x.sum(), (x * x).sum())
    assert sd == pytest.approx(x.std(ddof=1), abs=1e-6)


@given(st.floats(0, 50), st.floats(1, 1000), st.floats(1, 5))
def test_poisson_interval_contains_rate_and_widens_with_dispersion(events, exposure, phi):
    events = float(round(events))
    lo, hi = intervals.poisson_rate_interval(events, exposure, 1.0)
    lo2, hi2 = intervals.poisson_rate_interval(events, exposure, phi)
    rate = events / exposure
    assert lo <= rate <= hi and hi > 0
    assert lo2 <= lo + 1e-12 and hi2 >= hi - 1e-12


def test_poisson_score_interval_coverage():
    rng = np.random.default_rng(3)
    mu, exposure = 4.0, 100.0
    counts = rng.poisson(mu, 20000)
    lo, hi = intervals.poisson_rate_interval(counts.astype(float), exposure)
    cover = np.mean((lo <= mu / exposure) & (mu / exposure <= hi))
    assert 0.93 < cover < 0.975


def test_ratio_interval_matches_bootstrap_scale():
    rng = np.random.default_rng(5)
    x = rng.integers(300, 381, 400).astype(float)
    y = np.round(x * rng.beta(30, 2, 400))
    lo, hi = intervals.ratio_interval(
        400.0, y.sum(), x.sum(), (y * y).sum(), (x * x).sum(), (x * y).sum()
    )
    boots = [(lambda i: y[i].sum() / x[i].sum())(rng.integers(0, 400, 400)) for _ in range(2000)]
    b_lo, b_hi = np.percentile(boots, [2.5, 97.5])
    assert lo == pytest.approx(b_lo, abs=0.002) and hi == pytest.approx(b_hi, abs=0.002)


def test_bands_follow_dfe_rules():
    score = np.array([0.6, 0.3, 0.0, -0.3, -0.6, 0.6, np.nan])
    low = np.array([0.1, 0.05, -0.2, -0.5, -0.9, -0.1, 0.0])
    high = np.array([1.1, 0.55, 0.2, -0.1, -0.3, 1.3, 0.1])
    assert list(band(score, low, high)) == [
        WELL_ABOVE,
        ABOVE,
        AVERAGE,
        BELOW,
        WELL_BELOW,
        AVERAGE,
        None,
    ]
    assert list(band(score[:5], low[:5], high[:5], None)) == [ABOVE, ABOVE, AVERAGE, BELOW, BELOW]


def test_dersimonian_laird_matches_statsmodels():
    rng = np.random.default_rng(11)
    n = rng.integers(20, 300, 25)
    se = 1.3 / np.sqrt(n)
    y = rng.normal(0, 0.2, 25) + rng.normal(0, se)
    ours = dersimonian_laird(y, se**2)
    ref = combine_effects(y, se**2, method_re="dl")
    assert ours.tau2 == pytest.approx(ref.tau2, rel=1e-9)
    assert ours.q == pytest.approx(ref.q, rel=1e-9)


def test_funnel_flags_true_outliers_and_widens_with_overdispersion():
    n = np.array([40, 80, 120, 160, 200, 240, 280, 320, 360, 400])
    se = 1.4 / np.sqrt(n)
    y = np.zeros(10)
    y[3], y[8] = 1.2, -0.9
    frame = pd.DataFrame({"urn": range(10), "score": y, "se": se})
    out = funnel(frame, target=0.0, overdispersion="none")
    assert out.flag[3] == "high 99.8%" and out.flag[8] == "low 99.8%"
    assert (out.flag.drop([3, 8]) == "within").all()
    dl = funnel(frame, target=0.0, overdispersion="dersimonian-laird")
    assert dl.tau2.iloc[0] > 0 and (dl.upper_95 > out.upper_95).all()
    # Robust (default): the two outliers are winsorised away, the other eight agree exactly,
    # so no over-dispersion is estimated and the outliers stay flagged.
    robust = funnel(frame, target=0.0)
    assert bool(robust.overdispersed.iloc[0]) and robust.tau2.iloc[0] == 0
    assert list(robust.flag) == list(out.flag)
    curve = funnel_curve(0.0, 1.4, np.array([50.0, 200.0]))
    assert curve.upper[0] > curve.upper[1]


def _null_trusts(rng, trusts: int, academies: int, sigma: float = 1.4) -> list[pd.DataFrame]:
    frames = []
    for _ in range(trusts):
        n = rng.integers(30, 250, academies)
        se = sigma / np.sqrt(n)
        frames.append(pd.DataFrame({"score": rng.normal(0.0, se), "se": se}))
    return frames


@pytest.mark.parametrize("method", ["dersimonian-laird", "winsorised", "none"])
def test_funnel_false_positive_rate_on_null_data_at_or_below_nominal(method):
    """800 trusts x 12 academies with no real differences: flags <= 5% and <= 0.2%."""
    rng = np.random.default_rng(2024)
    flags = pd.concat(funnel(f, overdispersion=method) for f in _null_trusts(rng, 800, 12)).flag
    total = len(flags)
    rate_95 = flags.ne("within").mean()
    rate_998 = flags.str.contains("99.8").mean()
    mc_95 = 2 * np.sqrt(0.05 * 0.95 / total)
    mc_998 = 2 * np.sqrt(0.002 * 0.998 / total)
    assert rate_95 <= 0.05 + mc_95, rate_95
    assert rate_998 <= 0.002 + mc_998, rate_998


def test_funnel_with_real_differences_still_flags_extremes():
    rng = np.random.default_rng(9)
    n = rng.integers(60, 250, 30)
    se = 1.4 / np.sqrt(n)
    y = rng.normal(0, 0.1, 30) + rng.normal(0, se)
    y[0] = 1.5
    out = funnel(pd.DataFrame({"score": y, "se": se}))
    assert out.flag[0] == "high 99.8%"


def test_shrinkage_pulls_small_groups_most():
    frame = pd.DataFrame(
        {"score": [0.8, 0.8, -0.2, 0.1, 0.0, -0.5], "se": [0.5, 0.05, 0.1, 0.1, 0.1, 0.1]}
    )
    out = shrink(frame)
    assert abs(out.shrunk[0] - out.shrunk.mean()) < abs(out.shrunk[1] - out.shrunk.mean())
    assert out.reliability[0] < out.reliability[1]
    assert ((out.shrunk_high - out.shrunk_low) <= 2 * 1.96 * frame.se + 1e-12).all()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.floats(-2, 2), st.floats(0.02, 1)), min_size=3, max_size=40))
def test_shrinkage_properties(rows):
    frame = pd.DataFrame(rows, columns=["score", "se"])
    out = shrink(frame)
    centre = dersimonian_laird(frame.score.to_numpy(), frame.se.to_numpy() ** 2).pooled
    # Estimates move towards the centre, never past it, and reliabilities are in [0, 1].
    assert ((out.reliability >= 0) & (out.reliability <= 1)).all()
    assert (np.abs(out.shrunk - centre) <= np.abs(frame.score - centre) + 1e-9).all()


def test_weighted_years_three_two_one():
    frame = pd.DataFrame(
        {
            "urn": [1, 1, 1, 1],
            "academic_year": ["2019/20", "2020/21", "2021/22", "2022/23"],
            "pupils": [100, 100, 100, 100],
            "total": [-100.0, 0.0, 10.0, 30.0],
        }
    )
    out = weighted_years(frame, sigma=1.0).iloc[0]
    assert out.score == pytest.approx((3 * 30 + 2 * 10 + 0) / 600)
    assert out.se == pytest.approx(np.sqrt(9 * 100 + 4 * 100 + 100) / 600)
    assert out.years == 3 and out.latest_year == "2022/23"


def test_suppression_uses_gss_symbols():
    frame = pd.DataFrame(
        {
            "urn": [1, 2, 3, None],
            "academic_year": ["2023/24"] * 4,
            "pupils": [5, 40, 50, 95],
            "score": [0.1, np.nan, 0.3, 0.2],
            "ci_low": [-1.0, np.nan, 0.0, 0.0],
            "ci_high": [1.0, np.nan, 0.6, 0.4],
            "band": ["average", None, "above average", None],
        }
    )
    out = suppress(frame)
    assert out.score.tolist() == ["c", "x", 0.3, 0.2]
    assert out.band.tolist() == ["c", "z", "above average", "z"]
    assert out.pupils.tolist() == [5, 40, 50, 95]
    assert suppress(frame, threshold=3).score[0] == 0.1
    assert suppress(frame, suppress_count=True).pupils[0] == "c"


def test_secondary_suppression_protects_a_lone_small_group():
    frame = pd.DataFrame(
        {
            "academic_year": ["y"] * 3,
            "urn": [1, 2, 3],
            "pupils": [4, 30, 60],
            "score": [1.0, 2.0, 3.0],
        }
    )
    out = suppress(frame, within=["academic_year"])
    assert out.score.tolist() == ["c", "c", 3.0]


@given(st.lists(st.integers(0, 40), min_size=1, max_size=30), st.integers(1, 10))
def test_suppression_never_shows_a_small_group(counts, threshold):
    frame = pd.DataFrame({"pupils": counts, "score": np.arange(len(counts), dtype=float)})
    out = suppress(frame, threshold=threshold)
    small = np.array(counts) < threshold
    assert (out.score[small] == "c").all()
    assert (out.score[~small] != "c").all()

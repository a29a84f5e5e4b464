"""The practice analysis: REML from academy sums against statsmodels MixedLM, Benjamini-Hochberg
against the 1995 paper's worked example, the refusal, and the 200-replication simulation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.formula.api as smf
from statsmodels.stats.multitest import multipletests

from trustlens.analytics.practice import (
    AREA_CODES,
    MIN_ACADEMIES,
    analyse,
    bh_adjust,
    cluster_stats,
    fit_mixed,
)
from trustlens.analytics.practice_simulation import simulate_trust

#: Benjamini & Hochberg (1995), section 4: fifteen p values; at q = 0.05 four are rejected.
BH_1995 = [0.0001, 0.0004, 0.0019, 0.0095, 0.0201, 0.0278, 0.0298, 0.0344, 0.0459,
           0.3240, 0.4262, 0.5719, 0.6528, 0.7590, 1.0000]  # fmt: skip


def test_bh_reproduces_the_papers_example():
    adjusted = bh_adjust(BH_1995)
    assert (adjusted <= 0.05).sum() == 4
    np.testing.assert_allclose(adjusted, multipletests(BH_1995, method="fdr_bh")[1])


def test_bh_keeps_missing_values_missing():
    adjusted = bh_adjust([0.01, np.nan, 0.04])
    assert np.isnan(adjusted[1]) and adjusted[0] == pytest.approx(0.02)


@pytest.mark.parametrize("seed", [3, 11, 29])
def test_fit_from_academy_sums_agrees_with_mixedlm(seed):
    trust = simulate_trust(np.random.default_rng(seed), academies=14, effect=0.3)
    score = trust.profile[trust.profile.area == "behaviour"].set_index("urn")["score"]
    pupils = trust.pupils.join(score, on="urn")
    pupils["score"] = pupils["score"] - score.mean()
    model = smf.mixedlm("outcome ~ prior + disadv + score", pupils, groups=pupils["urn"])
    reference = model.fit(reml=True, method="powell")  # lbfgs stops early here
    sums = trust.sums.set_index("urn").join(score)
    ours = fit_mixed(cluster_stats(sums, sums["score"].to_numpy() - score.mean()))
    np.testing.assert_allclose(ours.beta, reference.fe_params.to_numpy(), rtol=1e-3, atol=1e-4)
    np.testing.assert_allclose(np.sqrt(np.diag(ours.cov)), reference.bse_fe.to_numpy(), rtol=1e-2)
    assert ours.tau2 == pytest.approx(float(reference.cov_re.iloc[0, 0]), rel=0.05, abs=1e-4)


def test_refuses_below_ten_academies_and_says_why():
    trust = simulate_trust(np.random.default_rng(5), academies=MIN_ACADEMIES - 1)
    result = analyse(trust.sums, trust.profile)
    assert result.rows.empty
    assert "only 9 academies" in result.refused and "at least 10" in result.refused


def test_ten_rows_with_cautions_when_fitted():
    trust = simulate_trust(np.random.default_rng(8), academies=12)
    result = analyse(trust.sums, trust.profile)
    assert result.refused is None
    assert list(result.rows["area"]) == list(AREA_CODES)
    assert result.rows["n_academies"].eq(12).all()
    assert result.rows["caution"].str.contains("not a cause").all()
    assert (result.rows["ci_low"] < result.rows["coefficient"]).all()


def test_academies_without_a_profile_are_left_out():
    trust = simulate_trust(np.random.default_rng(9), academies=12)
    profile = trust.profile[trust.profile.urn != trust.profile.urn.min()]
    result = analyse(trust.sums, profile)
    assert result.rows["n_academies"].eq(11).all()
    assert result.rows["n_pupils"].iloc[0] < trust.sums["n"].sum()


REPLICATIONS = 200
PLANTED, EFFECT = "behaviour", 0.3


@pytest.fixture(scope="module")
def replications() -> pd.DataFrame:
    """200 simulated trusts (12-20 academies, 40-90 pupils each), one planted effect."""
    rng = np.random.default_rng(2024)
    rows = []
    for rep in range(REPLICATIONS):
        trust = simulate_trust(
            rng, academies=int(rng.integers(12, 21)), planted=PLANTED, effect=EFFECT
        )
        result = analyse(trust.sums, trust.profile).rows.assign(rep=rep)
        rows.append(result)
    return pd.concat(rows, ignore_index=True)


@pytest.mark.slow
def test_planted_effect_is_covered_at_the_nominal_rate(replications):
    planted = replications[replications.area == PLANTED]
    covered = ((planted.ci_low <= EFFECT) & (planted.ci_high >= EFFECT)).mean()
    assert len(planted) == REPLICATIONS
    assert 0.93 <= covered <= 0.97, covered


@pytest.mark.slow
def test_unrelated_areas_are_flagged_at_the_nominal_rate(replications):
    unrelated = replications[replications.area != PLANTED]
    raw = (unrelated.p_value < 0.05).mean()
    adjusted = (unrelated.p_adjusted < 0.05).mean()
    assert len(unrelated) == 9 * REPLICATIONS
    assert 0.035 <= raw <= 0.065, raw  # 5% +/- 3 binomial SE over 1,800 tests
    assert adjusted <= 0.05, adjusted


@pytest.mark.slow
def test_planted_effect_is_found_more_often_than_chance(replications):
    planted = replications[replications.area == PLANTED]
    assert (planted.p_adjusted < 0.05).mean() > 0.2
    assert planted.coefficient.mean() == pytest.approx(EFFECT, abs=0.03)


def test_refusal_reads_well_for_one_academy():
    from trustlens.analytics.practice import refusal

    assert refusal(1).startswith("Not fitted: only 1 academy has both")
    assert refusal(10) is None

"""Planted effects are recovered within their stated intervals (DuckDB; the engines' agreement is
checked in test_measures and test_parity).

The trust is built by tests/analytics/planted.py (own generator; see the module docstring). Each
academy's P8 truth is its planted effect plus the disadvantaged gap times its share of
disadvantaged pupils; in-year truth is computed from the generator's per-pupil effects.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from planted import LATEST, NOISE_P8, YEARS

from trustlens.analytics import engine
from trustlens.analytics.measures import gaps, progress8
from trustlens.analytics.measures.value_added import pupil_value_added, value_added
from trustlens.analytics.stats.intervals import z_value
from trustlens.analytics.stats.shrinkage import weighted_years


@pytest.fixture(scope="module")
def loaded(duck, trust):
    return {
        name: engine.load(duck, f"planted_{name}", frame) for name, frame in trust.tables.items()
    }


def _p8_truth(trust) -> pd.Series:
    ks4 = trust.tables["ks4"]
    latest = ks4[ks4.academic_year == LATEST].merge(
        trust.tables["pupils"][["pupil_id", "disadvantaged"]]
    )
    share = latest.groupby("urn").disadvantaged.mean()
    return pd.Series(trust.p8_effect) + trust.gap * share


def test_academy_p8_effects_recovered_within_their_cis(loaded, trust):
    out = engine.execute(progress8.progress8(loaded["ks4"], 2023)).query("academic_year == @LATEST")
    out = out.set_index("urn").sort_index()
    truth = _p8_truth(trust).loc[out.index]
    inside = (out.ci_low <= truth) & (truth <= out.ci_high)
    assert inside.all(), pd.DataFrame({"truth": truth, "low": out.ci_low, "high": out.ci_high})
    # The national SD (1.414) is wider than the planted noise (1.2): the intervals are honest,
    # not just lucky; and the ranking is recovered.
    assert np.corrcoef(out.score, truth)[0, 1] > 0.95


def test_disadvantaged_gap_recovered(loaded, trust):
    pupils = progress8.pupil_progress8(loaded["ks4"], 2023)
    gap = engine.execute(
        gaps.disadvantaged_gap(pupils, "p8", by=["academic_year"], pupils=loaded["pupils"])
    )
    for _, row in gap.iterrows():
        assert row.ci_low <= trust.gap <= row.ci_high
        assert row.pupils_disadvantaged > 200


def test_in_year_value_added_recovered(loaded, trust):
    va = pupil_value_added(loaded["assessment_results"], loaded["prior_attainment"])
    pupil_rows = engine.execute(va.select("pupil_id", "urn", "term", "subject", "sigma"))
    effect = trust.truth["assessment_effect"]
    rows = pupil_rows.merge(effect, on=["pupil_id", "term", "subject"])
    # Truth in the model's units: the pupil's planted effect relative to the cell mean, over the
    # cell's residual SD (the model is fitted on the trust's own pupils).
    cell = rows.groupby(["term", "subject"]).true_effect.transform("mean")
    rows["truth"] = (rows.true_effect - cell) / rows.sigma
    truth = rows.groupby(["urn", "term", "pupil_id"]).truth.mean().groupby(["urn", "term"]).mean()
    out = engine.execute(value_added(va)).set_index(["urn", "term"]).sort_index()
    truth = truth.loc[out.index]
    assert ((out.ci_low <= truth) & (truth <= out.ci_high)).all()
    planted = pd.Series(trust.va_effect)
    autumn = out.xs("autumn", level="term")
    assert np.corrcoef(autumn.score, planted.loc[autumn.index])[0, 1] > 0.95


def test_contextual_model_removes_the_disadvantaged_gap(loaded):
    plain = pupil_value_added(loaded["assessment_results"], loaded["prior_attainment"])
    ctx = pupil_value_added(
        loaded["assessment_results"], loaded["prior_attainment"], loaded["pupils"], context=True
    )
    by = ("disadvantaged", "academic_year", "term")
    gap_plain = engine.execute(value_added(plain, by=by, pupils=loaded["pupils"]))
    gap_ctx = engine.execute(value_added(ctx, by=by, pupils=loaded["pupils"]))
    assert (gap_plain[gap_plain.disadvantaged].score < -0.15).all()
    assert (gap_ctx[gap_ctx.disadvantaged].score.abs() < 0.05).all()
    assert set(gap_ctx.model) == {
        "prior attainment + context (disadvantaged, SEN, EAL, month of birth)"
    }


def test_improving_academy_and_three_year_weighting(loaded, trust):
    out = engine.execute(progress8.progress8(loaded["ks4"], 2023))
    mine = out[out.urn == trust.improving_urn].sort_values("academic_year")
    assert mine.academic_year.tolist() == list(YEARS)
    assert mine.score.is_monotonic_increasing
    weighted = weighted_years(out, sigma=1.414023).set_index("urn")
    row = weighted.loc[trust.improving_urn]
    simple = mine.score.mean()
    assert row.score > simple  # 3:2:1 leans towards the latest (better) year
    assert row.years == 3
    # SE of the weighted mean with pupils weighted 3/2/1 is larger than that of a plain mean.
    assert row.se > 1.414023 / np.sqrt(mine.pupils.sum())
    assert row.ci_high - row.ci_low == pytest.approx(2 * z_value() * row.se)
    assert NOISE_P8 < 1.414023

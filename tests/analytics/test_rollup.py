"""Trust level two ways (DfE MAT measure beside a pupil-weighted mean), time in trust, pooling,
and FFT-style estimates."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import engine, rollup
from trustlens.analytics.measures import progress8
from trustlens.analytics.measures.targets import BANDS, ks4_estimates, national_school_percentiles

SD = 1.414023


def _schools():
    return pd.DataFrame(
        {
            "urn": [1, 2, 3, 4],
            "pupils": [100, 200, 150, 50],
            "total": [10.0, -20.0, 30.0, 25.0],
        }
    )


def _academies():
    return pd.DataFrame(
        {
            "urn": [1, 2, 3, 4],
            "joined_trust": [
                dt.date(2015, 9, 1),
                dt.date(2019, 9, 1),
                dt.date(2020, 9, 1),
                dt.date(2021, 10, 1),
            ],
        }
    )


def test_full_years_in_trust():
    years = rollup.full_years_in_trust(_academies().joined_trust, "2023/24")
    assert years.tolist() == [9, 5, 4, 2]


def test_mat_measure_weights_pupils_by_years_in_trust():
    row = rollup.mat_measure(_schools(), _academies(), "2023/24", sigma=SD)
    assert row["eligible"] and row["academies"] == 3 and row["included_urns"] == "1;2;3"
    w = np.array([4, 4, 4])  # capped at 4 full years
    n, total = np.array([100, 200, 150]), np.array([10.0, -20.0, 30.0])
    assert row["score"] == pytest.approx((w * total).sum() / (w * n).sum())
    assert row["se"] == pytest.approx(SD * np.sqrt((w**2 * n).sum()) / (w * n).sum())
    plain = rollup.pupil_weighted(_schools(), "2023/24", sigma=SD)
    assert plain["score"] == pytest.approx(45 / 500) and plain["academies"] == 4
    both = rollup.trust_two_ways(_schools(), _academies(), "2023/24", sigma=SD)
    assert len(both) == 2 and both.method.str.contains("MAT").iloc[0]


def test_mat_measure_not_eligible_with_fewer_than_three_long_standing_academies():
    row = rollup.mat_measure(_schools(), _academies(), "2021/22", sigma=SD)
    assert row["academies"] == 2 and not row["eligible"]


def test_time_in_trust_view():
    schools = pd.concat(
        [_schools().assign(academic_year=y) for y in ("2021/22", "2022/23", "2023/24")],
        ignore_index=True,
    )
    view = rollup.time_in_trust(schools, _academies(), sigma=SD)
    assert view.years_in_trust.tolist()[-1] == "5+"
    assert view.academy_years.sum() == len(schools)
    assert (view.ci_low < view.score).all()


def test_pool_schools_into_trust_matches_engine(duck, trust):
    ks4 = engine.load(duck, "pool_ks4", trust.tables["ks4"])
    schools = engine.execute(progress8.progress8(ks4, None))
    pooled = (
        rollup.pool(schools, ["academic_year"]).sort_values("academic_year").reset_index(drop=True)
    )
    direct = engine.execute(progress8.progress8(ks4, None, by=("academic_year",)))
    direct = direct.sort_values("academic_year").reset_index(drop=True)
    for column in ("pupils", "score", "ci_low", "ci_high", "score_orig", "ci_high_orig"):
        assert np.allclose(pooled[column], direct[column], atol=1e-9)
    assert (pooled.band == direct.band).all()


def test_estimate_bands_are_labelled_and_ordered(duck, trust):
    ks4 = engine.load(duck, "targets_ks4", trust.tables["ks4"])
    pupils = engine.load(duck, "targets_pupils", trust.tables["pupils"])
    out = engine.execute(ks4_estimates(ks4, 2023, pupils=pupils))
    assert set(out.label) == {"estimate (not a target)"}
    assert (out.estimate_p5 >= out.estimate_p20).all() and (
        out.estimate_p20 >= out.estimate_p50
    ).all()
    assert out[list(BANDS)].max().max() <= 90 and out[list(BANDS)].min().min() >= 0
    plain = engine.execute(ks4_estimates(ks4, 2023))
    pct = national_school_percentiles()
    gap = 10 * (pct.loc[95] - pct.loc[50])
    unclipped = plain[plain.estimate_p5 < 90]
    assert np.allclose(unclipped.estimate_p5 - unclipped.estimate_p50, gap)
    assert set(plain.similar_pupils) == {"prior attainment group"}

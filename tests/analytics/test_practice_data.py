"""Pupil outcomes and academy sums for the practice analysis, on the planted analytics trust."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics import engine
from trustlens.analytics.practice import AREA_CODES, analyse
from trustlens.analytics.practice_data import outcome_sums, pupil_outcomes


@pytest.fixture(scope="module")
def source(duck, trust):
    tables = {name: engine.load(duck, f"practice_{name}", f) for name, f in trust.tables.items()}
    return tables.__getitem__


@pytest.mark.parametrize("outcome", ["va", "p8", "attendance"])
def test_sums_count_each_pupil_once(source, trust, outcome):
    year = "2022/23"
    sums = outcome_sums(source, year, outcome)
    pupils = engine.execute(pupil_outcomes(source, year, outcome))
    assert sums["n"].sum() == len(pupils) > 0
    assert set(sums["urn"]) <= set(trust.tables["academies"]["urn"])
    np.testing.assert_allclose(sums["s_y"].sum(), pupils["outcome"].sum(), atol=1e-6)
    assert pupils["disadv"].isin([0.0, 1.0]).all()
    assert abs(pupils["prior"].mean()) < 0.2  # standardised within key stage


def test_va_sums_recover_the_planted_academy_effects(source, trust):
    sums = outcome_sums(source, "2022/23", "va").set_index("urn")
    mean_va = sums["s_y"] / sums["n"]
    planted = pd.Series(trust.va_effect).reindex(mean_va.index)
    assert np.corrcoef(mean_va, planted)[0, 1] > 0.8


def test_an_area_tracking_the_planted_effect_is_associated(source, trust):
    sums = outcome_sums(source, "2022/23", "va")
    effect = pd.Series(trust.va_effect)
    noise = np.random.default_rng(4).normal(0, 0.4, (len(effect), len(AREA_CODES)))
    profile = pd.DataFrame(
        [
            {"urn": urn, "area": code, "score": 3 + (2 * e if code == "behaviour" else noise[j, i])}
            for j, (urn, e) in enumerate(effect.items())
            for i, code in enumerate(AREA_CODES)
        ]
    )
    refused = analyse(sums, profile)
    assert refused.refused and str(len(sums)) in refused.refused  # 9 academies: refused
    rows = analyse(sums, profile, minimum=5).rows.set_index("area")
    assert rows.loc["behaviour", "coefficient"] == pytest.approx(0.5, abs=0.25)
    assert rows.loc["behaviour", "ci_low"] > 0

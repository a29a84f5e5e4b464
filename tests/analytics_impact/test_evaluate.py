"""evaluate(): the designs, the no-comparison cases, attrition and the JSON it returns."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from trustlens.analytics.impact.evaluation import (
    MATCHED_PRE_POST,
    MATCHED_PRIOR,
    NO_COMPARISON,
    evaluate,
)
from trustlens.analytics.impact.simulation import simulate_year_group

CLI_KEYS = {
    "n_intervention",
    "n_comparison",
    "effect_size",
    "ci_low",
    "ci_high",
    "months",
    "cost_per_pupil",
    "design",
    "cautions",
}


@pytest.fixture
def cohort() -> pd.DataFrame:
    rng = np.random.default_rng(11)
    frames = [simulate_year_group(rng, 0.3) for _ in range(3)]
    return max(frames, key=lambda f: f["treated"].sum())


def test_matched_pre_post_design(cohort):
    result = evaluate(cohort, cost_fixed=600, cost_per_pupil=40, n_academies=2)
    data = result.to_dict()
    assert data["design"] == MATCHED_PRE_POST
    assert set(data) >= CLI_KEYS
    assert data["n_intervention"] == data["n_comparison"] > 10
    assert data["ci_low"] < data["effect_size"] < data["ci_high"]
    assert data["difference_in_differences"] is not None
    assert data["cost_per_pupil"] == pytest.approx(600 / result.n_registered + 40, abs=0.01)
    assert {row["covariate"] for row in data["balance"]} >= {"pre", "prior", "disadvantaged"}
    assert "not_randomised" in {c["code"] for c in data["cautions"]}


def test_without_a_pretest_matches_on_prior_attainment(cohort):
    result = evaluate(cohort.drop(columns="pre"))
    assert result.design == MATCHED_PRIOR and result.did is None
    assert "no_pretest" in {c.code for c in result.cautions}


def test_no_comparison_pupils(cohort):
    result = evaluate(cohort[cohort["treated"]])
    assert result.design == NO_COMPARISON and result.headline is None
    assert result.to_dict()["effect_size"] is None
    assert [c.code for c in result.cautions][0] == "no_comparison"
    assert result.means["post_intervention"] is not None


def test_no_participant_with_a_result(cohort):
    frame = cohort.copy()
    frame.loc[frame["treated"], "post"] = np.nan
    result = evaluate(frame)
    assert result.design == NO_COMPARISON
    assert result.costs.per_pupil is not None and result.costs.per_month is None


def test_no_baseline_at_all(cohort):
    result = evaluate(cohort.drop(columns=["pre", "prior"]))
    assert result.design == NO_COMPARISON and "match on" in result.no_comparison_reason


def test_attrition_counts_registered_pupils_without_results(cohort):
    n = int(cohort["treated"].sum())
    result = evaluate(cohort, n_registered=n + 10)
    assert result.n_registered == n + 10
    assert "attrition" in {c.code for c in result.cautions}


def test_participants_with_no_close_match_are_excluded_and_counted(cohort):
    frame = cohort.copy()
    first = frame.index[frame["treated"]][0]
    frame.loc[first, "pre"] = 10.0
    result = evaluate(frame)
    assert result.n_unmatched >= 1
    assert "unmatched" in {c.code for c in result.cautions}


def test_pupil_groups_and_attendance(cohort):
    frame = cohort.assign(
        attendance_pre=95.0, attendance_post=np.where(cohort["treated"], 96.0, 94.0)
    )
    result = evaluate(frame)
    assert result.attendance["difference_points"] == pytest.approx(2.0)
    assert set(result.groups) == {
        "disadvantaged",
        "not_disadvantaged",
        "sen",
        "eal",
        "girls",
        "boys",
    }
    assert all(g["n_intervention"] >= 0 for g in result.groups.values())


def test_summary_words_follow_the_verdict(cohort):
    result = evaluate(cohort)
    assert result.verdict in {"positive", "unclear", "negative"}
    if result.verdict == "unclear":
        assert result.summary.startswith("We cannot tell whether it worked")
    else:
        assert "months'" in result.summary


def _two_academies(seed: int = 3, n: int = 1500) -> pd.DataFrame:
    """Academy 1 attains 1 SD above academy 2 in pre- and post-test alike; participants are
    academy 1's low scorers, its other pupils left out (as in the programme comparison); the
    true effect is 0."""
    rng = np.random.default_rng(seed)
    urn = np.repeat([1, 2], n)
    level = np.where(urn == 1, 0.5, -0.5)
    latent = rng.normal(0, 1, 2 * n)
    pre = 100 + 15 * (0.85 * latent + 0.53 * rng.normal(0, 1, 2 * n) + level)
    post = 100 + 15 * (0.85 * latent + 0.53 * rng.normal(0, 1, 2 * n) + level)
    frame = pd.DataFrame(
        {"pupil_id": [f"P{i}" for i in range(2 * n)], "urn": urn, "year_group": 9, "pre": pre,
         "post": post, "treated": (urn == 1) & (pre < 100)}
    )  # fmt: skip
    frame["academy_pre_mean"] = frame.groupby("urn")["pre"].transform("mean")
    return frame[frame["treated"] | (frame["urn"] == 2)]


def test_comparison_in_another_academy_is_corrected_for_regression_to_its_mean():
    frame = _two_academies()
    corrected = evaluate(frame, pupil_groups=False)
    naive = evaluate(frame.drop(columns="academy_pre_mean"), pupil_groups=False)
    assert corrected.context_adjusted and not naive.context_adjusted
    assert naive.headline.effect_size > 0.15  # low scorers of a high academy regress upwards
    assert corrected.headline.ci_low <= 0 <= corrected.headline.ci_high
    assert abs(corrected.headline.effect_size) < 0.08
    codes = {c.code: c.text for c in corrected.cautions}
    assert "corrected for each academy's average pre-test" in codes["academy_differences"]

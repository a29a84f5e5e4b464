"""The planted effects are in the data and recoverable with simple analyses (truth.json)."""

from __future__ import annotations

import math

import numpy as np
import polars as pl
import pytest

from trustlens.synth.outcomes import a8_estimates, p8_group

PUPIL_P8_SD = 1.41


def test_prior_attainment_groups_follow_the_dfe_cut_offs():
    fine = np.array([59, 82, 82.5, 86, 86.5, 87.5, 88, 92, 92.5, 93, 93.5, 105, 119, 119.5, 120])
    expected = [1, 1, 2, 2, 3, 3, 4, 6, 7, 7, 8, 19, 33, 34, 34]
    assert p8_group(fine).tolist() == expected
    assert a8_estimates().overall[19] == pytest.approx(45.47)  # DfE 2023 provisional, group 19


@pytest.fixture(scope="module")
def ks4(trust) -> pl.DataFrame:
    """KS4 pupils with prior attainment, their DfE estimate, P8 and planted pupil effects."""
    frame = trust.read("ks4").drop_nulls(["ks2_reading_scaled", "ks2_maths_scaled"])
    fine = ((frame["ks2_reading_scaled"] + frame["ks2_maths_scaled"]) / 2).to_numpy()
    estimate = a8_estimates().overall[p8_group(fine)]
    frame = frame.with_columns(estimate=estimate, p8=(frame["attainment8"] - estimate) / 10)
    frame = frame.join(trust.read("pupils"), on="pupil_id")
    params = trust.json["parameters"]
    shares, effects = params["national_shares"], params["pupil_effects"]["p8_given_ks2_p8_units"]
    indicators = {
        "disadvantaged": pl.col("disadvantaged") == "Y",
        "sen_k": pl.col("sen") == "K",
        "sen_e": pl.col("sen") == "E",
        "eal": pl.col("eal") == "Y",
    }
    pupil_part = sum(effects[k] * (indicators[k].cast(float) - shares[k]) for k in effects)
    return frame.with_columns(school_part=pl.col("p8") - pupil_part)


def test_attainment8_follows_the_dfe_estimate(ks4):
    slope, _ = np.polyfit(ks4["estimate"].to_numpy(), ks4["attainment8"].to_numpy(), 1)
    assert slope == pytest.approx(1.0, abs=0.1)
    assert ks4["p8"].std() == pytest.approx(PUPIL_P8_SD, abs=0.1)


def test_school_effects_show_in_mean_residuals(trust, ks4):
    """Mean of (A8 - estimate)/10, less the planted pupil effects, is each year's school effect."""
    by_year = ks4.group_by("urn", "academic_year").agg(pl.col("school_part").mean(), n=pl.len())
    worst = 0.0
    for urn, year, mean, n in by_year.iter_rows():
        truth = trust.truth.effect(urn, year)
        tolerance = 4 * PUPIL_P8_SD / math.sqrt(n) + 0.05  # sampling (4 SE) + clipping at 0/90
        assert abs(mean - truth) <= tolerance, (urn, year, mean, truth, n)
        worst = max(worst, abs(mean - truth) / tolerance)
    roles = trust.truth.roles
    overall = ks4.group_by("urn").agg(pl.col("school_part").mean())
    effect = dict(overall.iter_rows())
    assert effect[roles["high"]] > 0.3 and effect[roles["low"]] < -0.3


def test_improving_academy_rises(trust, ks4):
    urn = trust.truth.roles["improving"]
    trend = (
        ks4.filter(pl.col("urn") == urn).group_by("academic_year").agg(pl.col("school_part").mean())
    )
    trend = trend.sort("academic_year")
    years = np.arange(trend.height)
    slope, _ = np.polyfit(years, trend["school_part"].to_numpy(), 1)
    assert slope == pytest.approx(
        trust.json["parameters"]["school_effects"]["improving_slope_per_year"], abs=0.12
    )


def test_disadvantaged_gap_given_prior_attainment(trust, ks4):
    gap = trust.json["parameters"]["pupil_effects"]["p8_given_ks2_p8_units"]["disadvantaged"]
    other = ks4.filter(pl.col("sen") == "N", pl.col("eal") == "N")
    fit = other.with_columns(d=(pl.col("disadvantaged") == "Y").cast(float))
    x = np.column_stack([np.ones(fit.height), fit["d"].to_numpy()])
    coef = np.linalg.lstsq(x, (fit["p8"] - 0).to_numpy(), rcond=None)[0]
    # school effects differ between academies; compare within the trust's pooled estimate
    se = PUPIL_P8_SD * math.sqrt(1 / fit["d"].sum() + 1 / (fit.height - fit["d"].sum()))
    assert coef[1] == pytest.approx(gap, abs=4 * se + 0.1)
    ks2 = trust.read("prior_attainment").join(trust.read("pupils"), on="pupil_id")
    means = (
        ks2.group_by("disadvantaged").agg(pl.col("ks2_maths_scaled").mean()).sort("disadvantaged")
    )
    assert (
        means["ks2_maths_scaled"][0] - means["ks2_maths_scaled"][1] > 2
    )  # lower prior attainment too


def test_in_year_school_effects_after_prior_attainment(trust):
    """Secondary maths grades on KS2 prior attainment and academy dummies (within each window):
    the academy coefficients track the true effects in SD units of the grade."""
    results = trust.read("assessment_results").filter(
        (pl.col("scale") == "gcse") & (pl.col("subject") == "maths")
    )
    prior = trust.read("prior_attainment").drop_nulls(["ks2_reading_scaled", "ks2_maths_scaled"])
    frame = results.join(prior, on="pupil_id").with_columns(
        value=pl.col("value").cast(pl.Float64),
        prior=(pl.col("ks2_reading_scaled") + pl.col("ks2_maths_scaled")) / 2,
    )
    sd = trust.json["parameters"]["inyear"]["score_sd"]["gcse"]
    estimated, true = [], []
    for (year, _, _), cell in frame.group_by("academic_year", "term", "year_group"):
        urns = sorted(cell["urn"].unique())
        dummies = np.column_stack([(cell["urn"] == u).to_numpy() for u in urns]).astype(float)
        x = np.column_stack([cell["prior"].to_numpy(), dummies])
        coef = np.linalg.lstsq(x, cell["value"].to_numpy(), rcond=None)[0][1:] / sd
        effects = np.array([trust.truth.effect(u, year) for u in urns])
        estimated += list(coef - coef.mean())
        true += list(effects - effects.mean())
    assert np.corrcoef(estimated, true)[0, 1] > 0.9
    assert np.polyfit(true, estimated, 1)[0] == pytest.approx(1.0, abs=0.15)


def test_off_rolling_academy_has_most_unexplained_exits(trust):
    exits = trust.read("enrolments").filter(
        pl.col("year_group").is_in([10, 11])
        & pl.col("leaving_reason").is_in(["unknown", "elective_home"])
    )
    counts = exits.group_by("urn").len().sort("len")
    assert counts["urn"][-1] == trust.truth.roles["offrolling"]
    assert counts["len"][-1] >= 3 * counts["len"][-2]


def test_late_submitters_miss_the_current_autumn_window(trust):
    current = trust.json["current_academic_year"]
    results = trust.read("assessment_results").filter(
        (pl.col("academic_year") == current) & (pl.col("term") == "autumn")
    )
    missing = set(trust.read("academies")["urn"]) - set(results["urn"].unique())
    assert missing == set(trust.truth.late_submitters) and len(missing) == 2
    assert trust.json["late_submitters"]["urns"] == sorted(missing)


def test_interventions_select_low_attainers_and_list_true_effects(trust):
    interventions = trust.read("interventions")
    participants = trust.read("intervention_pupils")
    truths = {i["intervention_id"]: i for i in trust.truth.interventions}
    assert interventions.height == 6
    assert sorted(i["true_effect_sd"] for i in truths.values()) == [-0.1, 0.0, 0.05, 0.1, 0.2, 0.3]
    results = trust.read("assessment_results")
    for row in interventions.iter_rows(named=True):
        truth = truths[row["intervention_id"]]
        chosen = participants.filter(pl.col("intervention_id") == row["intervention_id"])[
            "pupil_id"
        ]
        assert len(chosen) == truth["participants"]
        pre = results.filter(
            (pl.col("urn") == row["urn"])
            & (pl.col("subject") == row["subject"])
            & (pl.col("academic_year") == row["pre_year"])
            & (pl.col("term") == row["pre_term"])
            & (pl.col("year_group") == truth["year_group"])
        ).with_columns(
            v=pl.col("value").cast(pl.Float64), chosen=pl.col("pupil_id").is_in(chosen.implode())
        )
        means = pre.group_by("chosen").agg(pl.col("v").mean()).sort("chosen")["v"]
        assert means[1] < means[0], "participants were selected on low pre-window scores"


def test_truth_json_lists_every_planted_effect(trust):
    kinds = {e["effect"] for e in trust.json["planted_effects"]}
    assert {
        "school_effect_high",
        "school_effect_low",
        "school_effect_improving",
        "disadvantaged_gap_p8",
        "disadvantaged_gap_inyear",
        "off_rolling",
        "worse_attendance",
        "late_submitters",
        "intervention",
    } <= kinds
    assert {a["urn"] for a in trust.json["academies"]} == set(trust.read("academies")["urn"])
    assert trust.json["files"]["assessment_results"] == trust.read("assessment_results").height

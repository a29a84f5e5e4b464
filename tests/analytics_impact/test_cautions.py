"""Each plain-words caution appears exactly when its condition holds."""

from __future__ import annotations

from trustlens.analytics.impact.cautions import Facts, cautions_for


def _facts(**changes) -> Facts:
    base = dict(
        design="matched_pre_post",
        n_registered=60,
        n_with_outcome=60,
        n_intervention=60,
        n_comparison=60,
        baseline="pre",
        ci=(0.1, 0.5),
        baseline_smd_before=-0.05,
        n_academies=3,
    )
    return Facts(**(base | changes))


def codes(**changes) -> set[str]:
    return {c.code for c in cautions_for(_facts(**changes))}


def test_a_strong_matched_design_still_says_it_is_not_randomised():
    assert codes() == {"not_randomised"}


def test_no_comparison_group():
    found = cautions_for(
        _facts(n_intervention=0, n_comparison=0, ci=None, no_comparison_reason="no pool")
    )
    assert [c.code for c in found] == ["no_comparison"]
    assert "no pool" in found[0].text and found[0].severity == "serious"


def test_small_arms():
    assert "small_sample" in codes(n_intervention=29, n_comparison=29)
    assert "small_sample" not in codes(n_intervention=30, n_comparison=30)


def test_interval_spanning_zero_says_we_cannot_tell():
    found = {c.code: c for c in cautions_for(_facts(ci=(-0.1, 0.4)))}
    assert "we cannot tell whether it worked" in found["ci_spans_zero"].text
    assert "ci_spans_zero" not in codes(ci=(-0.5, -0.1))


def test_attrition_over_ten_percent():
    assert "attrition" in codes(n_registered=60, n_with_outcome=53)
    assert "attrition" not in codes(n_registered=60, n_with_outcome=54)


def test_imbalance_after_matching_names_the_measures():
    found = {c.code: c for c in cautions_for(_facts(imbalanced=["Disadvantaged (proportion)"]))}
    assert "Disadvantaged (proportion)" in found["imbalance"].text


def test_selection_on_low_scores_warns_of_regression_to_the_mean():
    found = {c.code: c for c in cautions_for(_facts(baseline_smd_before=-0.8))}
    assert "regression to the mean" in found["regression_to_mean"].text
    assert "regression_to_mean" not in codes(baseline_smd_before=-0.1)


def test_single_academy_and_no_pretest():
    assert {"single_academy", "no_pretest"} <= codes(n_academies=1, baseline="prior")


def test_one_academy_is_about_carrying_it_over_not_about_the_comparison():
    found = {c.code: c for c in cautions_for(_facts(n_academies=1, academy_adjusted=True))}
    assert found["single_academy"].severity == "note"
    assert "would work as well in another academy" in found["single_academy"].text
    assert "academy_adjusted" in found and "academy_differences" not in found


def test_academy_adjustment_is_noted_when_the_model_allowed_for_academies():
    found = {
        c.code: c for c in cautions_for(_facts(academy_adjusted=True, comparison_elsewhere=0.9))
    }
    assert found["academy_adjusted"].severity == "note"
    assert "academy_differences" not in found


def test_academy_differences_only_when_comparison_pupils_are_elsewhere_and_not_allowed_for():
    found = {c.code: c for c in cautions_for(_facts(comparison_elsewhere=0.75, min_reference=10))}
    assert found["academy_differences"].severity == "warning"
    assert "75% of the comparison pupils" in found["academy_differences"].text
    assert "fewer than 10 other pupils" in found["academy_differences"].text
    assert "are not allowed for" in found["academy_differences"].text
    context = {
        c.code: c for c in cautions_for(_facts(comparison_elsewhere=1.0, context_adjusted=True))
    }
    assert "average pre-test" in context["academy_differences"].text
    one = {
        c.code: c for c in cautions_for(_facts(comparison_elsewhere=1.0, n_comparison_academies=1))
    }
    assert "come from only 1 academy" in one["academy_differences"].text
    many = {
        c.code: c for c in cautions_for(_facts(comparison_elsewhere=1.0, n_comparison_academies=5))
    }
    assert "come from only" not in many["academy_differences"].text
    # every comparison pupil in the participants' own academies, or academies unknown: nothing to warn of
    assert "academy_differences" not in codes(comparison_elsewhere=0.0)
    assert "academy_differences" not in codes(comparison_elsewhere=None)
    assert not {"academy_differences", "academy_adjusted", "single_academy"} & codes(
        n_intervention=0, n_comparison=0, ci=None, n_academies=1, comparison_elsewhere=1.0
    )


def test_unmatched_participants_are_mentioned():
    assert "unmatched" in codes(n_unmatched=3)


def test_serious_cautions_come_first():
    found = cautions_for(_facts(ci=(-0.2, 0.3), n_intervention=10, n_comparison=10))
    assert found[0].code == "ci_spans_zero"

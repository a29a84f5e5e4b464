"""Cost per pupil and per month of progress."""

import pytest

from trustlens.analytics.impact.costs import NO_PROGRESS_TO_COST, cost_per_pupil, costs


def test_cost_per_pupil_spreads_the_fixed_cost():
    assert cost_per_pupil(1200, 50, 40) == pytest.approx(80.0)


def test_cost_per_month_only_with_progress():
    assert costs(1200, 50, 40, 4).per_month == pytest.approx(20.0)
    for months in (0, -2):
        result = costs(1200, 50, 40, months)
        assert result.per_month is None and result.note == NO_PROGRESS_TO_COST
    assert costs(1200, 50, 40, None).per_month is None


def test_no_pupils_no_cost():
    assert costs(1200, 50, 0, 3).per_pupil is None


def test_to_dict_rounds_money():
    assert costs(100, 0, 3, 2).to_dict() == {
        "cost_per_pupil": 33.33,
        "cost_per_month": 16.67,
        "cost_note": "£16.67 per pupil per month of progress",
    }


def test_cost_per_month_of_an_unclear_result_says_it_may_have_bought_nothing():
    result = costs(100, 0, 3, 2, interval_includes_zero=True)
    assert result.per_month == pytest.approx(16.67, abs=0.01)
    assert "includes no progress" in result.note

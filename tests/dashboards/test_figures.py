"""Figures as printed (issue 12 items 2-4): what n counts, no rating of tiny groups, no -0."""

from __future__ import annotations

import pytest
from django.test import override_settings

from trustlens.dashboards.formatting import Cell, fmt
from trustlens.dashboards.rag import rate, tag_text
from trustlens.dashboards.templatetags.dashboards_tags import dash_cells, number


@pytest.mark.parametrize(
    ("measure", "pupils", "label"),
    [
        ("finance_balance", 7, "7 budget lines"),
        ("cover_share", 13204, "13,204 lessons"),
        ("staff_absence", 121, "121 staff"),
        ("first_preferences", 180, "180 places"),
        ("attendance", 1, "1 pupil"),
        ("va", 58, "58 pupils"),
    ],
)
def test_n_says_what_it_counts(measure, pupils, label):
    cell = Cell(measure=measure, score=1.0, pupils=pupils)
    assert cell.n_label == label
    assert f"n={label}<" in dash_cells({}, [cell])


def test_a_class_of_two_is_not_rated():
    cell = Cell(measure="va", period="2023/24 summer", score=0.4, ci_low=0.1, ci_high=0.7)
    cell.pupils, cell.previous, cell.previous_period, cell.flag = (
        2,
        0.1,
        "2023/24 spring",
        "high 95%",
    )
    rate(cell)
    assert cell.rag == "grey" and cell.flag is None
    assert "too few pupils to rate" in cell.reason and "Green" not in tag_text(cell.rag, cell)
    assert tag_text(cell.rag, cell) == "Too few pupils to rate"
    assert cell.trend_text == ""  # no change arrow either
    html = dash_cells({}, [cell], with_tags=True)
    assert "too few pupils to rate" in html and "tl-tag" not in html and "up " not in html


@override_settings(SUPPRESSION_THRESHOLD=10)
def test_the_threshold_comes_from_the_settings():
    assert rate(Cell(measure="va", score=0.4, ci_low=0.1, ci_high=0.7, pupils=8)).rag == "grey"


def test_a_class_at_the_threshold_is_rated_and_money_is_not_a_pupil_group():
    assert rate(Cell(measure="va", score=0.4, ci_low=0.1, ci_high=0.7, pupils=6)).rag == "green"
    deficit = rate(Cell(measure="finance_balance", score=-5000.0, pupils=3))
    assert deficit.rag == "red" and "n=3 budget lines" in deficit.reason


@pytest.mark.parametrize(
    ("measure", "value", "text"),
    [
        ("va", -0.001, "+0.00"),
        ("p8", -0.004, "+0.00"),
        ("attendance", -0.04, "0.0%"),
        ("finance_balance", -0.4, "£0"),
        ("a8", -0.02, "0.0"),
        ("va", -0.3, "-0.30"),
    ],
)
def test_never_minus_zero(measure, value, text):
    assert fmt(measure, value) == text


def test_an_interval_that_rounds_to_zero_is_not_wholly_below():
    cell = rate(Cell(measure="ks2_maths", score=-2.1, ci_low=-4.2, ci_high=-0.04, pupils=40))
    assert cell.interval_text == "-4.2 to 0.0"
    assert "wholly below" not in cell.reason and "includes 0" in cell.reason


def test_compared_words_use_the_printed_figures():
    trust = Cell(measure="attendance", score=94.0)
    cell = rate(
        Cell(measure="attendance", score=93.0, ci_low=92.0, ci_high=93.96, pupils=300), trust
    )
    assert cell.rag == "green" and "wholly" not in cell.reason  # 93.96 prints as 94.0


def test_a_change_that_rounds_to_zero_is_no_change():
    cell = Cell(measure="va", score=0.104, previous=0.1, previous_period="2023/24 spring")
    cell.pupils = 60
    assert cell.trend_text == "no change since 2023/24 spring"


@pytest.mark.parametrize(
    ("value", "text"), [(-0.001, "0.00"), (-0.3, "-0.30"), (None, ""), ([], "")]
)
def test_number_filter(value, text):
    assert number(value, 2) == text


def test_cell_template_and_tag_give_the_same_markup():
    """``_cell.html`` and ``dash_cells`` must stay byte-identical (the tag's docstring)."""
    from django.template.loader import render_to_string

    cells = [
        rate(Cell(measure="va", score=0.4, ci_low=0.1, ci_high=0.7, pupils=2)),
        rate(Cell(measure="finance_balance", score=-5000.0, pupils=7)),
        Cell(measure="attendance", symbol="c"),
    ]
    for with_tags in (True, False):
        context = {"items": cells, "with_tags": with_tags, "suppression_threshold": 6}
        template = render_to_string("dashboards/_cell.html", context)
        assert template.strip() == dash_cells(context, cells, with_tags=with_tags).strip()

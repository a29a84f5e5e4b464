"""The shared figure filters never print a negative zero (issue 12, item 4) in any app."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from trustlens.core.templatetags.figures import number, signed


@pytest.mark.parametrize(
    ("value", "decimals", "text"),
    [(-0.001, 2, "0.00"), (-0.04, 1, "0.0"), (-0.06, 1, "-0.1"), (1.25, 1, "1.2"), (7, 0, "7")],
)
def test_number_rounds_before_it_decides_the_sign(value, decimals, text):
    assert number(value, decimals) == text


@pytest.mark.parametrize("value", [None, "", "EXS", float("nan")])
def test_number_is_empty_when_there_is_no_number(value):
    assert number(value) == ""


def test_signed_uses_a_real_minus_and_no_negative_zero():
    assert signed(-0.004) == "+0.00"
    assert signed(-0.05) == "\u22120.05"
    assert signed(0.21) == "+0.21"
    assert signed(None) == "–"


def test_templates_of_every_app_can_load_the_filters():
    html = Template("{% load figures %}{{ a|number:1 }} to {{ b|number:1 }} {{ c|signed }}")
    text = html.render(Context({"a": -4.2, "b": -0.01, "c": -0.001}))
    assert text == "-4.2 to 0.0 +0.00"

"""The walk's own rules, without a browser: what counts as a defect in the visible text, which
paths are destructive, how a path maps to its URL pattern and how pupils are recognised."""

from __future__ import annotations

import pytest

from tests.browser.walk.checks import budget_problems, text_problems
from tests.browser.walk.trust import PupilIdentifiers
from tests.browser.walk.urlconf import app_patterns, is_destructive, pattern_of


@pytest.mark.parametrize(
    ("text", "defect"),
    [
        ("Result 2026/27 autumn maths 1 scaled nan", "nan"),
        ("Progress NaN", "nan"),
        ("Teacher None", "None"),
        ("KS2 reading -0.0 (-1.1 to 1.1)", "negative zero"),
        ("interval (-4.2 to -0.0) n=12", "negative zero"),
        ("score \u22120.00", "negative zero"),
        ("change -0%", "negative zero"),
        ("Hello {{ academy.name }}", "template syntax"),
        ("{% if x %}", "template syntax"),
    ],
)
def test_text_defects_are_found(text, defect):
    assert [key for key, _ in text_problems(text)] == [defect]


@pytest.mark.parametrize(
    "text",
    [
        "None of these is proof: pupils were not allocated at random.",
        "2023-01-05, -0.05, -0.5 (-1.2 to 0.3), Year 10, 0.0, +0.0",
        "Nancy Finance; cover n=13,204",
    ],
)
def test_ordinary_text_passes(text):
    assert text_problems(text) == []


def test_paths_map_to_their_patterns_and_destructive_paths_are_recognised():
    assert pattern_of("/schools/cluster/1/") == "dashboards:cluster"
    assert pattern_of("/pupils/?page=2") == "pupils:list"
    assert pattern_of("/no/such/page/") == "unresolved"
    assert is_destructive("/quality/findings/3/delete/") and is_destructive("/imports/2/confirm/")
    assert is_destructive("/quality/people/4/remove/") and not is_destructive("/quality/")
    patterns = app_patterns()
    assert "dashboards:academy" in patterns and "quality:finding_edit" in patterns
    assert not any(name.startswith("admin") or name == "logout" for name in patterns)
    assert not any(
        route.endswith(("delete/", "confirm/", "remove/")) for route in patterns.values()
    )


def test_pupil_identifiers_are_found_in_either_order_but_not_from_one_common_word():
    pupils = PupilIdentifiers(
        frozenset({"P000001", "E841270415001"}),
        frozenset({("sophia", "harrison"), ("harrison", "sophia")}),
    )
    assert pupils.found_in('<a href="/pupils/P000001/">Harrison, Sophia</a>') == [
        "P000001",
        "harrison sophia",
    ]
    assert pupils.found_in("<td>E841270415001</td>") == ["E841270415001"]
    assert pupils.found_in("<p>Harrison Academy; Sophia Street</p>") == []


def test_budgets():
    assert budget_problems(100 * 1024, 120.0) == []
    kinds = [kind for kind, _ in budget_problems(400 * 1024, 5000.0)]
    assert kinds == ["html size", "server time"]

"""The EEF months' progress conversion: the shipped table and its lookup."""

from __future__ import annotations

import pytest

from tests.real_data import REAL_DATA
from trustlens.analytics.impact.months import (
    TABLE_PATH,
    conversion_table,
    impact_description,
    months_progress,
)

SHARED = REAL_DATA / "eef_months_progress_conversion.csv"


def test_shipped_table_is_the_shared_copy_unchanged():
    assert TABLE_PATH.read_bytes() == SHARED.read_bytes()


def test_table_has_thirteen_contiguous_rows():
    table = conversion_table()
    assert [row.months for row in table] == list(range(13))
    for before, after in zip(table[1:], table[2:], strict=False):
        assert after.low == pytest.approx(before.high + 0.01)


@pytest.mark.parametrize(
    ("effect", "months"),
    [
        (0.0, 0),
        (0.01, 0),
        (0.014, 0),
        (0.02, 1),
        (0.09, 1),
        (0.094, 1),
        (0.095, 2),
        (0.1, 2),
        (0.18, 2),
        (0.19, 3),
        (0.3, 4),
        (0.35, 4),
        (0.36, 5),
        (0.52, 6),
        (0.96, 12),
        (1.0, 12),
        (1.7, 12),
    ],
)
def test_positive_effects_follow_the_table(effect, months):
    assert months_progress(effect) == months


@pytest.mark.parametrize("effect", [0.02, 0.1, 0.3, 0.5, 0.97])
def test_negative_effects_mirror_the_table(effect):
    assert months_progress(-effect) == -months_progress(effect)


def test_tiny_negative_effect_is_zero_not_minus_zero():
    assert months_progress(-0.005) == 0
    assert str(months_progress(-0.005)) == "0"


def test_missing_effect_has_no_months():
    assert months_progress(None) is None
    assert impact_description(None) == "Not evaluated"


def test_descriptions():
    assert impact_description(0.3) == "Moderate impact"
    assert impact_description(-0.3) == "Moderate negative impact"
    assert impact_description(0.0) == "Very low or no impact"

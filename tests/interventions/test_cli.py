"""`trustlens evaluate INTERVENTION_ID --format json` prints the issue's fields."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from trustlens.cli import build_app

pytestmark = pytest.mark.django_db
FIELDS = {
    "n_intervention", "n_comparison", "effect_size", "ci_low", "ci_high", "months",
    "cost_per_pupil", "design", "cautions",
}  # fmt: skip


def test_evaluate_prints_json_with_the_required_fields(impact_world):
    result = CliRunner().invoke(build_app(), ["evaluate", "RD-A-01", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout[result.stdout.index("{") :])
    assert set(data) >= FIELDS
    assert data["design"] == "matched_pre_post" and data["n_comparison"] > 0
    assert data["ci_low"] <= 0.3 <= data["ci_high"]
    assert {"code", "text", "severity"} <= set(data["cautions"][0])


def test_an_unknown_intervention_is_a_clear_error(world):
    result = CliRunner().invoke(build_app(), ["evaluate", "NOPE"])
    assert result.exit_code != 0
    assert "no intervention 'NOPE'" in result.output

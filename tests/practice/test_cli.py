"""``trustlens measure practice`` on a store holding a planted trust and its profiles."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from tests.practice.conftest import YEAR, doubled_trust, planted_profile, write_store
from trustlens.analytics.practice import AREA_CODES
from trustlens.cli import build_app

HOUSE = {"urn", "academy", "academic_year", "area", "n_academies", "n_pupils", "coefficient"}
HOUSE |= {"ci_low", "ci_high", "p_adjusted", "caution"}


def _run(store, *extra):
    args = ["measure", "practice", "--trust", "planted", "--year", YEAR, "--store", str(store)]
    return CliRunner().invoke(build_app(), [*args, *extra])


def test_json_rows_recover_the_planted_area(tmp_path):
    tables, effects = doubled_trust(copies=3)  # 18 academies with value added
    write_store(tmp_path, "planted", tables | {"practice_profile": planted_profile(effects)})
    result = _run(tmp_path, "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)
    assert [r["area"] for r in rows] == list(AREA_CODES)
    assert all(set(r) >= HOUSE and r["urn"] is None and r["academy"] == "planted" for r in rows)
    behaviour = next(r for r in rows if r["area"] == "behaviour")
    assert behaviour["n_academies"] == 18
    # planted: score = 3.2 + 3 x effect (in SD of the assessment noise), so about 1/3 per
    # point; value added divides by the residual SD, which also holds the academy spread,
    # so the slope in VA units is somewhat smaller
    assert 0.15 < behaviour["coefficient"] < 0.4 and behaviour["ci_low"] > 0
    flagged = [r["area"] for r in rows if r["p_adjusted"] < 0.05]
    assert flagged == ["behaviour"]
    assert behaviour["p_adjusted"] < 0.05


def test_refuses_below_ten_academies(tmp_path):
    tables, effects = doubled_trust(copies=1)
    write_store(tmp_path, "planted", tables | {"practice_profile": planted_profile(effects)})
    result = _run(tmp_path)
    assert result.exit_code == 1
    assert "only 6 academies" in result.output and "at least 10" in result.output


def test_profiles_from_fewer_than_five_respondents_are_left_out(tmp_path):
    tables, effects = doubled_trust(copies=2)
    profile = planted_profile(effects, respondents=4)
    write_store(tmp_path, "planted", tables | {"practice_profile": profile})
    result = _run(tmp_path)
    assert result.exit_code == 1 and "only 0 academies" in result.output


def test_a_store_without_profiles_says_so(tmp_path):
    tables, _ = doubled_trust(copies=1)
    write_store(tmp_path, "planted", tables)
    result = _run(tmp_path)
    assert result.exit_code == 1 and "practice_profile" in result.output

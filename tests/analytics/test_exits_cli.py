"""``trustlens measure exits`` end to end: a 6-academy synthetic trust (``trustlens synth
--academies 6 --seed 3``) imported with ``trustlens import``, then the command in each format.
The planted off-rolling academy (truth.json ``roles.offrolling``) is flagged ``above``."""

from __future__ import annotations

import csv
import io
import json

import pytest
from test_cli import _env, _tl
from typer.testing import CliRunner

from trustlens.cli.measures import measure_app

KEYS = {
    "urn",
    "academy",
    "academic_year",
    "group",
    "pupils",
    "exits",
    "explained_moves",
    "permanent_exclusions",
    "score",
    "ci_low",
    "ci_high",
    "flag",
}
YEARS = ("2022/23", "2023/24", "2024/25")


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    data_dir = tmp_path_factory.mktemp("exits-cli")
    env = _env(data_dir)
    _tl(env, "init")
    _tl(env, "synth", "--out", str(data_dir / "synth"), "--academies", "6", "--seed", "3")
    _tl(env, "import", str(data_dir / "synth"), "--trust", "exits")
    truth = json.loads((data_dir / "synth" / "truth.json").read_text())
    return {"env": env, "store": data_dir / "store", "truth": truth}


def _measure(demo: dict, *args: str) -> str:
    base = ["exits", "--trust", "exits", "--store", str(demo["store"])]
    result = CliRunner().invoke(measure_app, [*base, *args])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _rows(demo: dict, year: str, *args: str) -> list[dict]:
    return json.loads(_measure(demo, "--year", year, "--format", "json", *args))


@pytest.mark.parametrize("year", YEARS)
def test_off_rolling_academy_is_flagged_above(demo, year):
    offrolling = demo["truth"]["roles"]["offrolling"]
    rows = [r for r in _rows(demo, year) if r["group"] == "all" and r["urn"] is not None]
    exits = {r["urn"]: r for r in rows if r["measure"] == "unexplained exits"}
    assert exits[offrolling]["flag"] == "above", exits
    assert len(exits) == 6 and all(r["pupils"] > 100 for r in exits.values())
    others = [r["score"] for u, r in exits.items() if u != offrolling]
    assert exits[offrolling]["score"] > 2 * max(others)
    # Moves off roll: only the two secondaries have Years 10-11 (a two-point funnel, so no
    # flag is asserted); the off-rolling one loses more pupils without explanation.
    moves = {r["urn"]: r for r in rows if r["measure"] == "moves off roll Y10 to Y11"}
    assert len(moves) == 2 and max(moves, key=lambda u: moves[u]["score"]) == offrolling


def test_json_rows_have_the_agreed_keys_and_the_trust_row(demo):
    rows = _rows(demo, "2023/24")
    assert rows and all(set(r) >= KEYS for r in rows)
    trust = [r for r in rows if r["urn"] is None]
    assert {r["academy"] for r in trust} == {"exits"} and {r["flag"] for r in trust} == {""}
    every = next(r for r in trust if r["group"] == "all" and r["measure"] == "unexplained exits")
    academies = [
        r
        for r in rows
        if r["group"] == "all" and r["measure"] == "unexplained exits" and r["urn"] is not None
    ]
    assert every["pupils"] == sum(r["pupils"] for r in academies)
    assert every["exits"] == sum(r["exits"] for r in academies)
    assert every["ci_low"] <= every["score"] <= every["ci_high"]
    assert {r["group"] for r in rows} >= {"all", "SEN support", "EHC plan", "disadvantaged"}
    assert {r["flag"] for r in rows} <= {"above", "below", "", "c"}


def test_small_groups_suppressed_unless_asked(demo):
    rows = _rows(demo, "2023/24")
    small = [r for r in rows if r["pupils"] < 6]
    assert small and all(r["score"] == "c" and r["exits"] == "c" for r in small)
    plain = _rows(demo, "2023/24", "--no-suppress")
    assert all(isinstance(r["score"], float) for r in plain)


def test_csv_and_table(demo):
    table = list(
        csv.DictReader(io.StringIO(_measure(demo, "--year", "2023/24", "--format", "csv")))
    )
    assert {r["measure"] for r in table} == {"unexplained exits", "moves off roll Y10 to Y11"}
    shown = _measure(demo, "--year", "2023/24")
    assert "Unexplained exits and moves off roll: exits, 2023/24" in shown

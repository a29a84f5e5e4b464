"""``trustlens measure``: a small synthetic trust (``trustlens synth --academies 3``) imported into
a throw-away data directory, then every measure command in every output format.

The synth and import run once per module in subprocesses with their own SQLite database (no
``DATABASE_URL``), so this file never touches the test database. The measure commands then run
in-process (typer's CliRunner with ``--store``) to keep the suite fast; one test runs the
installed command end to end, with the store found through the Django settings.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from trustlens.analytics.stats.intervals import z_value
from trustlens.cli.measures import measure_app

SEED = 5
YEAR = "2023/24"
TRUSTLENS = str(Path(sys.executable).with_name("trustlens"))
ROW_KEYS = {"urn", "academy", "academic_year", "pupils", "score", "ci_low", "ci_high", "band"}


def _env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="trustlens.config.settings.local",
        TRUSTLENS_DATA_DIR=str(data_dir),
        PYTHONWARNINGS="ignore",
    )
    return env


def _tl(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [TRUSTLENS, *args], env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


@pytest.fixture(scope="module")
def demo(tmp_path_factory) -> dict:
    """A 3-academy synthetic trust imported as ``demo``; returns paths and the planted truth."""
    data_dir = tmp_path_factory.mktemp("measure-cli")
    env = _env(data_dir)
    _tl(env, "init")
    _tl(env, "synth", "--out", str(data_dir / "synth"), "--academies", "3", "--seed", str(SEED))
    _tl(env, "import", str(data_dir / "synth"), "--trust", "demo")
    truth = json.loads((data_dir / "synth" / "truth.json").read_text())
    return {"env": env, "store": data_dir / "store", "truth": truth}


def measure(demo: dict, *args: str) -> str:
    runner = CliRunner()
    result = runner.invoke(measure_app, [*args, "--trust", "demo", "--store", str(demo["store"])])
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def rows(demo: dict, *args: str) -> list[dict]:
    return json.loads(measure(demo, *args, "--format", "json"))


@pytest.mark.parametrize("name", ["progress8", "ks2", "va", "attendance", "exclusions"])
def test_json_rows_have_the_agreed_keys_and_a_trust_row(demo, name):
    extra = ["--national", "2023"] if name == "progress8" else []
    out = rows(demo, name, "--year", YEAR, *extra)
    assert out and all(set(r) >= ROW_KEYS for r in out)
    assert {r["academic_year"] for r in out} == {YEAR}
    trust = [r for r in out if r["level"] == "trust"]
    assert trust and all(r["urn"] is None for r in trust)
    academies = [r for r in out if r["level"] == "academy"]
    assert academies and all(isinstance(r["urn"], int) for r in academies)
    for r in out:
        if isinstance(r["score"], float):
            assert r["ci_low"] <= r["score"] <= r["ci_high"]


def test_progress8_planted_school_effect_within_its_cis(demo):
    """The high-effect secondary's P8 (DfE 2023 provisional estimates, as synth uses) covers
    its planted truth: in at least 4 of the 5 years (a 95% CI misses twice with p ~ 0.02) and
    in the pupil-weighted 5-year pool, whose CI uses the same national SD."""
    truth = demo["truth"]
    urn = truth["roles"]["high"]
    academy = next(a for a in truth["academies"] if a["urn"] == urn)
    effects = truth["parameters"]["pupil_effects"]["p8_given_ks2_p8_units"]
    national = truth["parameters"]["national_shares"]
    shift = sum(size * (academy["shares"][k] - national[k]) for k, size in effects.items())
    covered, pupils, total, planted_total = 0, 0, 0.0, 0.0
    years = [y for y in academy["effect_by_year"] if y < "2026/27"]
    for year in years:
        out = rows(
            demo, "progress8", "--year", year, "--national", "2023", "--status", "provisional"
        )
        row = next(r for r in out if r["urn"] == urn)
        planted = academy["effect_by_year"][year] + shift
        covered += row["ci_low"] <= planted <= row["ci_high"]
        pupils, total = pupils + row["pupils"], total + row["score"] * row["pupils"]
        planted_total += planted * row["pupils"]
        assert "national 2023 (provisional)" in row["method"]
    assert covered >= len(years) - 1
    sd = 1.412814  # DfE 2023 provisional national SD of pupil P8
    half = z_value() * sd / np.sqrt(pupils)
    assert abs(total / pupils - planted_total / pupils) <= half
    mat = next(r for r in out if r["level"] == "trust (MAT measure)")
    assert mat["urn"] is None and "not eligible" in mat["method"]


def test_value_added_recovers_the_planted_difference_between_primaries(demo):
    """In-year VA is relative to the trust's own cohort, so the testable truth is the difference
    between the two primaries sharing each model cell: (effect_a - effect_b) in residual SDs."""
    truth = demo["truth"]
    high, low = truth["roles"]["improving"], truth["roles"]["low"]
    effect = {a["urn"]: a["effect_by_year"][YEAR] for a in truth["academies"]}
    residual_sd = truth["parameters"]["inyear"]["residual_sd_given_prior"]
    planted = (effect[high] - effect[low]) / residual_sd
    out = rows(demo, "va", "--year", YEAR, "--term", "summer")
    by_urn = {r["urn"]: r for r in out}
    a, b = by_urn[high], by_urn[low]
    diff = a["score"] - b["score"]
    half = z_value() * np.hypot(a["se"], b["se"])
    assert diff - half <= planted <= diff + half, (diff, half, planted)
    assert {r["term"] for r in out} == {"summer"}


def test_csv_and_table_formats(demo):
    text = measure(demo, "attendance", "--year", YEAR, "--format", "csv")
    table = list(csv.DictReader(io.StringIO(text)))
    assert {r["measure"] for r in table} == {"attendance rate", "persistent absence"}
    assert all(0 <= float(r["score"]) <= 100 for r in table)
    shown = measure(demo, "exclusions", "--year", YEAR)
    assert "Suspensions and permanent exclusions: demo, 2023/24" in shown
    assert (
        "suspensions" in shown
        and "95% CI" in shown
        and str(demo["truth"]["roles"]["high"]) in shown
    )


def test_small_groups_are_suppressed_unless_asked(demo):
    suppressed = rows(demo, "ks2", "--year", YEAR, "--threshold", "1000")
    assert {r["score"] for r in suppressed} == {"c"} and {r["band"] for r in suppressed} == {"c"}
    assert all(isinstance(r["pupils"], int) for r in suppressed)
    plain = rows(demo, "ks2", "--year", YEAR, "--threshold", "1000", "--no-suppress")
    assert all(isinstance(r["score"], float) for r in plain)


def test_year_without_data_and_bad_input(demo):
    runner = CliRunner()
    base = ["--trust", "demo", "--store", str(demo["store"])]
    missing = runner.invoke(measure_app, ["progress8", "--year", "2030/31", *base])
    assert missing.exit_code == 1 and "years held" in missing.output
    assert runner.invoke(measure_app, ["ks2", "--year", "2023-24", *base]).exit_code == 2
    assert (
        runner.invoke(
            measure_app, ["progress8", "--year", YEAR, "--national", "2019", *base]
        ).exit_code
        == 2
    )
    other = runner.invoke(
        measure_app, ["ks2", "--year", YEAR, "--trust", "nobody", "--store", str(demo["store"])]
    )
    assert other.exit_code == 1 and "no data" in other.output


def test_installed_command_uses_the_configured_store(demo):
    result = _tl(
        demo["env"], "measure", "ks2", "--trust", "demo", "--year", YEAR, "--format", "json"
    )
    out = json.loads(result.stdout)
    assert {r["subject"] for r in out} == {"reading", "writing", "maths"}
    assert "measure" in _tl(demo["env"], "--help").stdout

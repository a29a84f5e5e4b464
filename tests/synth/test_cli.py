"""``trustlens synth`` writes the files and truth.json; bad arguments are refused."""

from __future__ import annotations

import json

import typer
from typer.testing import CliRunner

from trustlens.cli import synth as synth_cli
from trustlens.synth import DATASETS


def _app() -> typer.Typer:
    app = typer.Typer()
    synth_cli.register(app)
    app.command("noop")(lambda: None)  # two commands, so "synth" stays a subcommand
    return app


def test_synth_command_writes_a_trust(tmp_path):
    out = tmp_path / "trust"
    args = [
        "synth",
        "--out",
        str(out),
        "--academies",
        "3",
        "--seed",
        "4",
        "--pupils-per-academy",
        "60",
    ]
    result = CliRunner().invoke(_app(), args)
    assert result.exit_code == 0, result.output
    assert {p.name for p in out.iterdir()} == {f"{n}.csv" for n in DATASETS} | {"truth.json"}
    truth = json.loads((out / "truth.json").read_text())
    assert truth["arguments"] == {"academies": 3, "seed": 4, "years": 5, "pupils_per_academy": 60}
    assert "Synthetic trust written" in result.output


def test_synth_command_refuses_too_few_academies(tmp_path):
    result = CliRunner().invoke(_app(), ["synth", "--out", str(tmp_path), "--academies", "2"])
    assert result.exit_code != 0

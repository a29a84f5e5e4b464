"""The `trustlens` command: help lists every command; init is safe to run twice."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


def run(args: list[str], data_dir: Path) -> subprocess.CompletedProcess:
    env = {
        **os.environ,
        "TRUSTLENS_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "trustlens.config.settings.local",
    }
    env.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "trustlens", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )


def test_help_lists_every_command(tmp_path):
    result = run(["--help"], tmp_path)
    assert result.returncode == 0, result.stderr
    for command in (
        "init",
        "serve",
        "synth",
        "import",
        "import-dfe",
        "measure",
        "evaluate",
        "demo-users",
    ):
        assert command in result.stdout, f"{command} missing from trustlens --help"


def test_init_is_safe_to_run_twice(tmp_path):
    for _ in range(2):
        result = run(["init"], tmp_path)
        assert result.returncode == 0, result.stderr
    assert (tmp_path / "trustlens.sqlite3").exists()
    assert (tmp_path / "store").is_dir()

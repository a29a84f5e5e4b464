"""`trustlens import` and `trustlens import-dfe` as a user runs them (a subprocess, its own data
directory and SQLite database), including an import SIGKILLed mid-write."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.ingest import builders as b
from tests.ingest.test_dfe_real import KS4_FILE
from tests.ingest.test_refusals import zip_bytes
from trustlens.ingest.store import AnalyticalStore


def env_for(data_dir: Path, **extra: str) -> dict[str, str]:
    env = {
        **os.environ,
        "TRUSTLENS_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "trustlens.config.settings.local",
        **extra,
    }
    env.pop("DATABASE_URL", None)
    return env


def trustlens(args: list[str], data_dir: Path, **extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "trustlens", *args],
        capture_output=True,
        text=True,
        env=env_for(data_dir, **extra),
        timeout=600,
    )


@pytest.fixture(scope="module")
def initialised(tmp_path_factory) -> Path:
    data_dir = tmp_path_factory.mktemp("initialised")
    result = trustlens(["init"], data_dir)
    assert result.returncode == 0, result.stderr
    return data_dir


@pytest.fixture
def data_dir(initialised, tmp_path) -> Path:
    target = tmp_path / "var"
    shutil.copytree(initialised, target)
    return target


def rows(data_dir: Path, sql: str) -> int:
    with sqlite3.connect(data_dir / "trustlens.sqlite3") as connection:
        return connection.execute(sql).fetchone()[0]


def test_import_a_folder_creating_the_trust(data_dir, tmp_path):
    folder = b.write_folder(tmp_path / "in", b.small_trust())
    (folder / "readme.txt").write_text("not data: not even looked at")
    result = trustlens(["import", str(folder), "--trust", "demo"], data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Created trust 'demo'" in result.stdout and "Imported" in result.stdout
    assert rows(data_dir, "select count(*) from pupils_pupil") == 6
    assert AnalyticalStore(data_dir / "store").polars("demo", "assessment_results").height == 12
    assert rows(data_dir, "select count(*) from core_auditevent where action='import'") == 1


def test_errors_exit_non_zero_and_write_a_json_report(data_dir, tmp_path):
    data = b.small_trust()
    data["pupils"][2]["date_of_birth"] = "2012-13-01"
    folder = b.write_folder(tmp_path / "in", data)
    report_file = tmp_path / "report.json"
    result = trustlens(
        ["import", str(folder), "--trust", "demo", "--report", str(report_file)], data_dir
    )
    assert result.returncode == 1
    assert "nothing was loaded" in result.stdout
    report = json.loads(report_file.read_text())
    assert report["ok"] is False and report["loaded"] is False
    assert report["errors"][0] == {
        "file": "pupils.csv",
        "row": 4,
        "column": "date_of_birth",
        "value": "2012-13-01",
        "reason": "not a date written YYYY-MM-DD (ISO 8601), or no such day",
    }
    assert rows(data_dir, "select count(*) from organisations_trust") == 0


def zip_folder(tmp_path: Path, datasets: dict[str, list[dict]]) -> Path:
    """A folder holding only ``export.zip`` of the datasets' CSV files."""
    folder = tmp_path / "zipped"
    folder.mkdir()
    members = {f"export/{name}.csv": b.csv_text(rows) for name, rows in datasets.items()}
    (folder / "export.zip").write_bytes(zip_bytes(members))
    return folder


def test_a_folder_holding_only_a_zip_imports_the_zip(data_dir, tmp_path):
    folder = zip_folder(tmp_path, b.small_trust())
    result = trustlens(["import", str(folder), "--trust", "demo"], data_dir)
    assert result.returncode == 0, result.stdout + result.stderr
    assert rows(data_dir, "select count(*) from pupils_pupil") == 6
    assert AnalyticalStore(data_dir / "store").polars("demo", "assessment_results").height == 12


def test_loading_nothing_from_a_folder_exits_non_zero(data_dir, tmp_path):
    trust = b.write_folder(tmp_path / "trust", b.small_trust())
    assert trustlens(["import", str(trust), "--trust", "demo"], data_dir).returncode == 0
    cases = {
        "a zip of no data": ({"export.zip": zip_bytes({"notes.txt": "x"})}, "holds no CSV"),
        "only unknown files": ({"results.csv": b"a,b\n1,2\n"}, "assessment_results.csv"),
        "only other files": ({"readme.txt": b"hello"}, "no CSV, XLSX or zip file"),
        "a header-only file": ({"pupils.csv": b"pupil_id,upn\n"}, "no data rows"),
    }
    for case, (files, reason) in cases.items():
        folder = tmp_path / case.replace(" ", "-")
        folder.mkdir()
        for name, data in files.items():
            (folder / name).write_bytes(data)
        result = trustlens(["import", str(folder), "--trust", "demo", "--json"], data_dir)
        report = json.loads(result.stdout)
        assert result.returncode == 1 and not report["loaded"], case
        assert reason in report["errors"][0]["reason"], (case, report["errors"])
    assert rows(data_dir, "select count(*) from imports_importrun where status='committed'") == 1


def test_a_misnamed_file_is_refused_naming_the_datasets_it_could_be(data_dir, tmp_path):
    folder = b.write_folder(tmp_path / "in", b.small_trust())
    (folder / "assessment_results.csv").rename(folder / "results.csv")
    result = trustlens(["import", str(folder), "--trust", "demo", "--json"], data_dir)
    [error] = json.loads(result.stdout)["errors"]
    assert result.returncode == 1 and error["file"] == "results.csv"
    assert "assessment_results.csv" in error["reason"]


def test_json_output_and_dry_run(data_dir, tmp_path):
    folder = b.write_folder(tmp_path / "in", b.small_trust())
    result = trustlens(["import", str(folder), "--trust", "demo", "--dry-run", "--json"], data_dir)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["ok"] and not report["loaded"] and report["files"][0]["dataset"] == "academies"
    assert rows(data_dir, "select count(*) from pupils_pupil") == 0


def test_import_dfe_real_ks4(data_dir):
    result = trustlens(["import-dfe", "ks4", str(KS4_FILE), "--year", "2018/19"], data_dir)
    assert result.returncode == 0, result.stderr
    assert "ks4 2018/19" in result.stdout and "SUPP" in result.stdout
    ks4 = AnalyticalStore(data_dir / "store").national_polars("ks4")
    assert ks4.height == 5652
    bad = trustlens(["import-dfe", "ks4", str(KS4_FILE)], data_dir)
    assert bad.returncode == 1 and "--year" in bad.stdout


def killed_import(data_dir: Path, tmp_path: Path, point: str) -> tuple[AnalyticalStore, dict, Path]:
    """Import a first folder, then SIGKILL the import of a second one paused at ``point``."""
    first = trustlens(
        ["import", str(b.write_folder(tmp_path / "first", b.small_trust())), "--trust", "demo"],
        data_dir,
    )
    assert first.returncode == 0, first.stdout
    store = AnalyticalStore(data_dir / "store")
    before = {
        d: store.polars("demo", d).sort(store.polars("demo", d).columns)
        for d in store.datasets("demo")
    }
    pupils_a = b.pupils("A", 40)
    second = b.write_folder(
        tmp_path / "second",
        {
            "pupils": pupils_a,
            "enrolments": b.enrolments(pupils_a, b.URN_A),
            "assessment_results": b.results(pupils_a, b.URN_A)
            + b.results(pupils_a, b.URN_A, term="spring"),
        },
    )
    marker = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-m", "trustlens", "import", str(second), "--trust", "demo"],
        env=env_for(data_dir, TRUSTLENS_PAUSE_AT=point, TRUSTLENS_PAUSE_MARKER=str(marker)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 300
    while not marker.exists():
        assert process.poll() is None, "the import ended before the pause point"
        assert time.monotonic() < deadline
        time.sleep(0.05)
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    return store, before, second


def same_store(store: AnalyticalStore, before: dict) -> bool:
    after = {
        d: store.polars("demo", d).sort(store.polars("demo", d).columns)
        for d in store.datasets("demo")
    }
    return after.keys() == before.keys() and all(after[d].equals(before[d]) for d in before)


@pytest.mark.parametrize("point", ["file:2", "records", "manifest"])
def test_sigkill_mid_import_leaves_records_and_store_unchanged(data_dir, tmp_path, point):
    store, before, second = killed_import(data_dir, tmp_path, point)
    assert rows(data_dir, "select count(*) from pupils_pupil") == 6
    assert rows(data_dir, "select count(*) from imports_importrun where status='committed'") == 1
    assert same_store(store, before)
    again = trustlens(["import", str(second), "--trust", "demo"], data_dir)
    assert again.returncode == 0, again.stdout + again.stderr
    assert rows(data_dir, "select count(*) from pupils_pupil") == 43
    assert store.polars("demo", "assessment_results").height == 40 * 2 * 2 + 6


def test_sigkill_between_records_commit_and_pointer_switch_is_repaired_by_importing_again(
    data_dir, tmp_path
):
    """The one documented window: records committed, store pointer not yet switched."""
    store, before, second = killed_import(data_dir, tmp_path, "pointer")
    assert rows(data_dir, "select count(*) from pupils_pupil") == 43
    assert same_store(store, before)  # still readable, still the previous state
    again = trustlens(["import", str(second), "--trust", "demo"], data_dir)
    assert again.returncode == 0, again.stdout + again.stderr
    assert store.polars("demo", "assessment_results").height == 40 * 2 * 2 + 6
    assert store.polars("demo", "pupils").height == 43

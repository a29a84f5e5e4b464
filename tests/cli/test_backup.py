"""``trustlens backup`` / ``restore``: a synthetic trust backed up, restored into a fresh data
directory and database, gives identical measures and an identical ``manage dumpdata --all``.

Runs on the database of the test run: SQLite by default; with ``DATABASE_URL`` naming PostgreSQL,
the test creates two throw-away databases on that server (source and restore target) and drops
them afterwards.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg
import pytest

TRUSTLENS = str(Path(sys.executable).with_name("trustlens"))
SERVER = os.environ.get("DATABASE_URL", "")
ON_POSTGRES = SERVER.startswith("postgres")


def _database_url(name: str) -> str:
    parts = urlsplit(SERVER)
    return urlunsplit(parts._replace(path=f"/{name}"))


@pytest.fixture
def databases():
    """Two empty databases' URLs (PostgreSQL) or None for each (SQLite in the data dir)."""
    if not ON_POSTGRES:
        yield None, None
        return
    names = [f"tl_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(SERVER, autocommit=True) as con:
        for name in names:
            con.execute(f'CREATE DATABASE "{name}"')
    yield tuple(_database_url(n) for n in names)
    with psycopg.connect(SERVER, autocommit=True) as con:
        for name in names:
            con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _env(data_dir: Path, database_url: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        DJANGO_SETTINGS_MODULE="trustlens.config.settings.local",
        TRUSTLENS_DATA_DIR=str(data_dir),
        PYTHONWARNINGS="ignore",
        COLUMNS="200",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _tl(env: dict[str, str], *args: str, ok: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [TRUSTLENS, *args], env=env, capture_output=True, text=True, timeout=300
    )
    if ok:
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _state(env: dict[str, str]) -> tuple[list, list]:
    measures = json.loads(
        _tl(
            env, "measure", "progress8", "--trust", "demo", "--year", "2023/24", "--format", "json"
        ).stdout
    )
    dump = json.loads(_tl(env, "manage", "dumpdata", "--all").stdout)
    return measures, sorted(dump, key=lambda o: (o["model"], str(o["pk"])))


def _same(old: object, new: object) -> bool:
    """Equal; floats to 1e-9 relative (DuckDB's parallel sums may add in another order)."""
    if isinstance(old, float) and isinstance(new, float):
        return math.isclose(old, new, rel_tol=1e-9, abs_tol=1e-12)
    return old == new


def assert_same(after: tuple[list, list], before: tuple[list, list]) -> None:
    """Identical measures (row by row, naming any differing field) and identical dumps."""
    assert len(after[0]) == len(before[0])
    for new, old in zip(after[0], before[0], strict=True):
        assert {k: (old[k], new.get(k)) for k in old if not _same(old[k], new.get(k))} == {}
    assert after[1] == before[1]


def test_backup_then_restore_into_a_fresh_installation_is_identical(tmp_path, databases):
    source = _env(tmp_path / "source", databases[0])
    _tl(source, "init")
    _tl(source, "synth", "--out", str(tmp_path / "synth"), "--academies", "3", "--seed", "5")
    _tl(source, "import", str(tmp_path / "synth"), "--trust", "demo")
    archive = tmp_path / "backup.tar.gz"
    _tl(source, "backup", str(archive))
    before = _state(source)
    assert before[0] and any(o["model"] == "pupils.pupil" for o in before[1])
    assert any(o["model"] == "imports.importrun" and o["fields"]["academies"] for o in before[1])

    target = _env(tmp_path / "target", databases[1])
    restored = _tl(target, "restore", str(archive))
    assert "Restored" in restored.stdout

    assert_same(_state(target), before)
    again = _tl(target, "restore", str(archive), ok=False)
    assert again.returncode == 1 and "--force" in again.stdout
    assert _tl(target, "restore", str(archive), "--force").returncode == 0
    assert_same(_state(target), before)


def test_restore_refuses_what_is_not_a_backup(tmp_path):
    env = _env(tmp_path / "data", None)
    bogus = tmp_path / "bogus.tar.gz"
    bogus.write_bytes(b"not an archive")
    result = _tl(env, "restore", str(bogus), ok=False)
    assert result.returncode == 1 and "not a trustlens backup" in result.stdout

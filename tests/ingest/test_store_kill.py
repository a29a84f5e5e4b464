"""SIGKILL an import while it writes: the store must still read exactly the previous state.

The import runs in a subprocess. ``TRUSTLENS_PAUSE_AT`` (trustlens.ingest.faults) makes it stop
at a named point (after the first data file, after the last one, after the new manifest but
before the pointer switch) and signal readiness; the test then SIGKILLs it. A second test kills
imports at random moments without any pause.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import ibis
import polars as pl
import pytest

from tests.ingest import builders as b
from trustlens.ingest.pipeline import import_to_store
from trustlens.ingest.store import AnalyticalStore, StoreTransaction

SCRIPT = """
import sys
from pathlib import Path
from trustlens.ingest.pipeline import import_to_store
from trustlens.ingest.store import AnalyticalStore
report = import_to_store(Path(sys.argv[1]), AnalyticalStore(Path(sys.argv[2])), "demo")
print("LOADED" if report.loaded else "NOT LOADED")
"""


def snapshot(store: AnalyticalStore) -> dict[str, pl.DataFrame]:
    """Every dataset as read through the public API, sorted so states compare exactly."""
    state = {}
    for dataset in store.datasets("demo"):
        frame = store.polars("demo", dataset)
        state[dataset] = frame.sort(frame.columns)
    con = ibis.duckdb.connect()
    assert (
        con.execute(store.table(con, "demo", "assessment_results").count())
        == state["assessment_results"].height
    )
    return state


def same(a: dict[str, pl.DataFrame], b_: dict[str, pl.DataFrame]) -> bool:
    return a.keys() == b_.keys() and all(a[k].equals(b_[k]) for k in a)


def bigger_batch(folder: Path, pupils: int = 600) -> Path:
    """A second import touching every dataset: new pupils, new results for both academies."""
    pupils_a, pupils_b = b.pupils("A", pupils), b.pupils("B", pupils)
    data = {
        "pupils": pupils_a + pupils_b,
        "enrolments": b.enrolments(pupils_a, b.URN_A) + b.enrolments(pupils_b, b.URN_B),
        "assessment_results": [
            r
            for term in ("autumn", "spring", "summer")
            for r in b.results(pupils_a, b.URN_A, term=term, base=6)
            + b.results(pupils_b, b.URN_B, term=term, base=6)
        ],
        "attendance": b.attendance(pupils_a, b.URN_A) + b.attendance(pupils_b, b.URN_B),
    }
    return b.write_folder(folder, data)


@pytest.fixture
def loaded(tmp_path) -> tuple[AnalyticalStore, dict]:
    store = AnalyticalStore(tmp_path / "store")
    report = import_to_store(b.write_folder(tmp_path / "first", b.small_trust()), store, "demo")
    assert report.loaded
    return store, snapshot(store)


def start(folder: Path, store: AnalyticalStore, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", SCRIPT, str(folder), str(store.root)],
        env={**os.environ, **env},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def wait_for(marker: Path, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while not marker.exists():
        if process.poll() is not None:
            raise AssertionError(
                f"import ended before pausing: {process.stdout.read()} {process.stderr.read()}"
            )
        if time.monotonic() > deadline:
            process.kill()
            raise AssertionError("import did not reach the pause point")
        time.sleep(0.05)


def files_written_by(folder: Path, store: AnalyticalStore, tmp_path: Path) -> int:
    """How many data files the import of ``folder`` writes, counted on a copy of the store.

    The checkpoints are derived from this count, not hard-coded: the number of files follows the
    storage layout (``DatasetSpec.file_by``), and a hard-coded ``file:8`` silently stopped being
    reached when the layout was coarsened (the import then finished before pausing)."""
    copy = AnalyticalStore(tmp_path / "count-copy")
    shutil.copytree(store.root, copy.root)
    counted: list[int] = []
    commit = StoreTransaction.commit

    def counting_commit(tx: StoreTransaction) -> str:
        counted.append(len(tx.written))
        return commit(tx)

    StoreTransaction.commit = counting_commit  # type: ignore[method-assign]
    try:
        assert import_to_store(folder, copy, "demo").loaded
    finally:
        StoreTransaction.commit = commit  # type: ignore[method-assign]
    return counted[0]


def checkpoint_for(point: str, files: int) -> str:
    return {"first": "file:1", "middle": f"file:{(files + 1) // 2}", "last": f"file:{files}"}.get(
        point, point
    )


@pytest.mark.parametrize("point", ["first", "middle", "last", "manifest", "pointer"])
def test_sigkill_at_a_checkpoint_leaves_the_previous_state(tmp_path, loaded, point):
    store, before = loaded
    folder = bigger_batch(tmp_path / "second")
    files = files_written_by(folder, store, tmp_path)
    assert (
        files >= 4
    )  # pupils, enrolments, results of each academy, attendance: "middle" is a real middle
    marker = tmp_path / "paused"
    env = {
        "TRUSTLENS_PAUSE_AT": checkpoint_for(point, files),
        "TRUSTLENS_PAUSE_MARKER": str(marker),
    }
    files_before = set((store.root / "demo").rglob("*.parquet"))
    process = start(folder, store, env)
    wait_for(marker, process)
    written = set((store.root / "demo").rglob("*.parquet")) - files_before
    os.kill(process.pid, signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert written  # the killed import had written new files...
    assert same(snapshot(store), before)  # ...and none of them is visible
    # The store is not wedged: the lock died with the process and the next import completes.
    report = import_to_store(folder, store, "demo")
    assert report.loaded
    after = snapshot(store)
    assert (
        after["assessment_results"].height == 600 * 2 * 2 * 3
    )  # autumn replaced, spring and summer added
    assert after["pupils"].height == 1200
    # The next commit's garbage collection removed the killed import's orphans.
    assert not written & set((store.root / "demo").rglob("*.parquet"))


def new_files(store: AnalyticalStore, known: set[Path]) -> set[Path]:
    return set((store.root / "demo").rglob("*.parquet*")) - known


def test_sigkill_while_files_are_being_written_without_any_hook(tmp_path, loaded):
    """No pause hook: watch the store, kill just after the first new file appears (then a little
    later each time). Every kill leaves the old state or, if the commit won the race, the whole
    new one; never a mix."""
    store, before = loaded
    folder = bigger_batch(tmp_path / "second", pupils=1500)
    old_after_writing = 0
    for delay in (0.0, 0.0, 0.01, 0.02, 0.05, 0.1, 0.2, 0.4):
        known = set((store.root / "demo").rglob("*.parquet*"))
        process = start(folder, store, {})
        while not new_files(store, known) and process.poll() is None:
            time.sleep(0.002)
        time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
        state = snapshot(store)
        if same(state, before):
            old_after_writing += 1
            continue
        assert (
            state["pupils"].height == 3000
            and state["assessment_results"].height == 1500 * 2 * 2 * 3
        )
        break
    assert old_after_writing >= 1
    assert import_to_store(folder, store, "demo").loaded
    assert snapshot(store)["pupils"].height == 3000

"""Hypothesis: malformed, truncated and mis-encoded files never crash the importer and never load
partially. Without the records database (the Django-side twin is tests/imports/test_fuzz.py)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import polars as pl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest import builders as b
from trustlens.ingest.pipeline import import_to_store
from trustlens.ingest.store import AnalyticalStore

ENCODINGS = (
    "utf-16-le",
    "utf-16-be",
    "utf-32",
    "latin-1",
    "cp1252",
    "utf-8-sig",
    "mac_roman",
    "shift_jis",
)


def base_files() -> dict[str, bytes]:
    data = b.small_trust()
    data["assessment_results"] += b.results(b.pupils("A"), b.URN_A, term="spring")
    return {f"{name}.csv": b.csv_text(rows).encode() for name, rows in data.items()}


BASE = base_files()


@st.composite
def damaged_file(draw) -> tuple[str, bytes, str]:
    """One file of the folder, damaged in one of several ways a real export can be."""
    name = draw(st.sampled_from(sorted(BASE)))
    data = BASE[name]
    how = draw(
        st.sampled_from(
            ["truncate", "flip", "insert", "cut", "encode", "garbage", "nul", "quote", "append_row"]
        )
    )
    at = draw(st.integers(min_value=0, max_value=len(data)))
    if how == "truncate":
        data = data[:at]
    elif how == "flip":
        data = data[:at] + bytes([draw(st.integers(0, 255))]) + data[at + 1 :]
    elif how == "insert":
        data = data[:at] + draw(st.binary(min_size=1, max_size=12)) + data[at:]
    elif how == "cut":
        data = data[:at] + data[at + draw(st.integers(1, 40)) :]
    elif how == "encode":
        text = data.decode("utf-8").replace("Surname", "Sürnåme").replace("Forename", "Fœrenamé")
        data = text.encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    elif how == "garbage":
        data = draw(st.binary(max_size=300))
    elif how == "nul":
        data = data[:at] + b"\x00" + data[at:]
    elif how == "quote":
        data = data[:at] + b'"' + data[at:]
    else:
        data = data + draw(st.text(max_size=60)).encode("utf-8", errors="replace")
    return name, data, how


def rows_in(store: AnalyticalStore) -> dict[str, int]:
    return {d: store.polars("demo", d).height for d in store.datasets("demo")}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(damage=damaged_file())
def test_damaged_files_never_crash_and_never_load_partially(damage):
    name, data, how = damage
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        store = AnalyticalStore(work / "store")
        first = import_to_store(b.write_folder(work / "first", b.small_trust()), store, "demo")
        assert first.loaded
        before_version, before_rows = store.manifest("demo")["version"], rows_in(store)
        folder = work / "second"
        folder.mkdir()
        for file_name, content in BASE.items():
            (folder / file_name).write_bytes(data if file_name == name else content)
        report = import_to_store(folder, store, "demo")  # must not raise
        if not report.ok:
            assert not report.loaded and report.issues
            assert (
                store.manifest("demo")["version"] == before_version
                and rows_in(store) == before_rows
            )
            assert all(i.file and i.reason for i in report.issues)
        else:
            assert report.loaded
            # Every row of every file is in the store: the partitions this import wrote hold
            # exactly the file's rows (whole partitions replaced, none half-written).
            import_id = store.manifest("demo")["import_id"]
            for summary in report.files:
                dataset = summary.dataset
                if dataset in {"assessment_results", "attendance", "enrolments"}:
                    written = [s for s in store.slices("demo", dataset) if s.import_id == import_id]
                    assert sum(s.rows for s in written) == summary.rows, (how, dataset)
            assert rows_in(store)["pupils"] >= before_rows["pupils"]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_valid_folder_loads_whole():
    work = Path(tempfile.mkdtemp(prefix="fuzz-"))
    try:
        store = AnalyticalStore(work / "store")
        folder = work / "in"
        folder.mkdir()
        for file_name, content in BASE.items():
            (folder / file_name).write_bytes(content)
        assert import_to_store(folder, store, "demo").loaded
        assert (
            store.polars("demo", "assessment_results").filter(pl.col("term") == "spring").height
            == 6
        )
    finally:
        shutil.rmtree(work, ignore_errors=True)

"""Hypothesis over every importer, one by one: each dataset of the data standard (CSV and XLSX),
the DfE readers and (tests/imports/test_fuzz_upload.py) the web upload. Inputs: random bytes,
truncated files, wrong encodings, huge fields, spreadsheet formulas in cells, damaged workbooks;
and a zip bomb posing as an XLSX. The property each time: no exception but the project's own
(``ReadError`` for the DfE readers, a failed report for imports), nothing loaded unless the whole
file is valid (the store's manifest unchanged), and a reason naming the file.

``tests/ingest/test_fuzz.py`` damages one file of a whole folder; this module aims at each
importer's own columns. The number of examples run per importer is written to
``benchmarks/results/fuzz_examples.json`` (see ``tests/ingest/fuzz_counts.py``).
"""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from pathlib import Path

import polars as pl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from tests.ingest import builders as b
from tests.ingest.fuzz_counts import count, write_counts
from trustlens.core.exports import FORMULA_STARTS, safe_text
from trustlens.ingest import dfe, readers, registry
from trustlens.ingest.pipeline import import_to_store
from trustlens.ingest.readers import ReadError
from trustlens.ingest.store import AnalyticalStore

DATASETS = [r.spec.name for r in registry.registrations()]
FORMULAS = (
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.org/x?"&A1,"click")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A9)",
    "=1+1",
    "\t=1",
)
ENCODINGS = ("utf-16", "utf-32", "cp1252", "latin-1", "shift_jis", "utf-8-sig")
EXAMPLES = 25
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module", autouse=True)
def record_counts():
    yield
    write_counts()


def cell() -> st.SearchStrategy[str]:
    """A cell as an export might hold it: plausible, odd, a formula or very long."""
    return st.one_of(
        st.sampled_from(["", "Y", "N", "141001", "2024/25", "autumn", "A00001", "2024-09-02"]),
        st.sampled_from(FORMULAS),
        st.text(max_size=30),
        st.integers(-(10**12), 10**12).map(str),
        st.integers(1_000, 200_000).map(lambda n: "x" * n),  # a huge field
    )


@st.composite
def table_bytes(draw, columns: list[str]) -> tuple[bytes, str]:
    """A CSV with the dataset's real header and fuzzed rows, damaged one way or another."""
    rows = draw(
        st.lists(st.lists(cell(), min_size=len(columns), max_size=len(columns)), max_size=6)
    )
    text = b.csv_text([dict(zip(columns, r, strict=True)) for r in rows], columns)
    how = draw(st.sampled_from(["rows", "truncate", "encode", "random", "nul", "quote"]))
    data = text.encode()
    if how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "encode":
        data = text.replace("a", "å").encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    elif how == "random":
        data = draw(st.binary(max_size=2000))
    elif how == "nul":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b"\x00" + data[at:]
    elif how == "quote":
        at = draw(st.integers(0, len(data)))
        data = data[:at] + b'"' + data[at:]
    return data, how


def base_folder(folder: Path) -> Path:
    return b.write_folder(folder, b.small_trust())


def check_import(store: AnalyticalStore, folder: Path, dataset: str) -> None:
    """The property: a report, never an exception; a failed one loads nothing and says why."""
    before = store.manifest("demo")
    report = import_to_store(folder, store, "demo")
    if report.ok:
        assert report.loaded
        return
    assert not report.loaded and report.issues
    assert store.manifest("demo") == before
    assert all(issue.file and issue.reason for issue in report.issues), dataset


@pytest.mark.parametrize("dataset", DATASETS)
def test_each_dataset_csv_never_crashes_and_never_loads_partially(dataset):
    work = Path(tempfile.mkdtemp(prefix="fuzz-ds-"))
    store = AnalyticalStore(work / "store")
    assert import_to_store(base_folder(work / "base"), store, "demo").loaded
    columns = registry.spec(dataset).column_names

    @FUZZ
    @given(damage=table_bytes(columns))
    def run(damage):
        count(f"csv:{dataset}")
        folder = base_folder(Path(tempfile.mkdtemp(dir=work)))
        (folder / f"{dataset}.csv").write_bytes(damage[0])
        check_import(store, folder, dataset)
        shutil.rmtree(folder, ignore_errors=True)

    try:
        run()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def workbook_bytes(columns: list[str], rows: list[list[str]], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = title
    sheet.append(columns)
    for row in rows:
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", v)[:32_000] for v in row])  # Excel's limits
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@st.composite
def damaged_workbook(draw, dataset: str) -> bytes:
    columns = registry.spec(dataset).column_names
    rows = draw(
        st.lists(st.lists(cell(), min_size=len(columns), max_size=len(columns)), max_size=4)
    )
    data = workbook_bytes(columns, rows, dataset)
    how = draw(st.sampled_from(["whole", "truncate", "flip", "random"]))
    # A position drawn independently of the size: a workbook's bytes carry the time it was saved.
    at = draw(st.integers(0, 10**6)) % len(data)
    if how == "truncate":
        return data[:at]
    if how == "flip":
        return data[:at] + bytes([data[at] ^ 0xFF]) + data[at + 1 :]
    if how == "random":
        return draw(st.binary(max_size=3000))
    return data


XLSX_DATASETS = ["pupils", "assessment_results", "attendance", "academies", "enrolments"]


@pytest.mark.parametrize("dataset", XLSX_DATASETS)
def test_each_dataset_xlsx_never_crashes_and_never_loads_partially(dataset):
    work = Path(tempfile.mkdtemp(prefix="fuzz-xl-"))
    store = AnalyticalStore(work / "store")
    assert import_to_store(base_folder(work / "base"), store, "demo").loaded

    @FUZZ
    @given(data=damaged_workbook(dataset))
    def run(data):
        count(f"xlsx:{dataset}")
        folder = base_folder(Path(tempfile.mkdtemp(dir=work)))
        (folder / f"{dataset}.csv").unlink(missing_ok=True)
        (folder / f"{dataset}.xlsx").write_bytes(data)
        check_import(store, folder, dataset)
        shutil.rmtree(folder, ignore_errors=True)

    try:
        run()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def test_a_formula_in_a_cell_is_kept_as_text_and_neutralised_on_export(tmp_path):
    data = b.small_trust()
    data["pupils"][0]["surname"] = FORMULAS[0]
    store = AnalyticalStore(tmp_path / "store")
    report = import_to_store(b.write_folder(tmp_path / "in", data), store, "demo")
    assert report.loaded  # a surname is free text: kept, never evaluated
    tables = readers.read_path(tmp_path / "in" / "pupils.csv")
    assert FORMULAS[0] in tables[0].frame["surname"].to_list()
    assert not str(safe_text(FORMULAS[0])).startswith(FORMULA_STARTS)


@given(text=st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_no_exported_text_starts_a_formula(text):
    count("export:safe_text")
    assert not str(safe_text(text)).startswith(FORMULA_STARTS)


def bomb(path: Path, unpacked: int) -> Path:
    """A valid-looking XLSX whose sheet XML unpacks to ``unpacked`` bytes (a few MB on disk)."""
    chunk = b" " * (1024 * 1024)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            for _ in range(unpacked // len(chunk)):
                sheet.write(chunk)
    return path


def test_a_zip_bomb_xlsx_is_refused_by_size_before_parsing(tmp_path, monkeypatch):
    path = bomb(tmp_path / "pupils.xlsx", 2 * 1024**3 + 1024**2)
    assert path.stat().st_size < 20 * 1024**2
    import openpyxl

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a zip bomb")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    tables = readers.read_path(path)
    assert len(tables) == 1 and tables[0].error is not None
    assert "would unpack to" in str(tables[0].error) and "CSV" in str(tables[0].error)
    store = AnalyticalStore(tmp_path / "store")
    folder = base_folder(tmp_path / "in")
    (folder / "pupils.csv").unlink()
    shutil.copy(path, folder / "pupils.xlsx")
    report = import_to_store(folder, store, "demo")
    assert not report.ok and not report.loaded and store.datasets("demo") == []
    assert any("would unpack to" in issue.reason for issue in report.issues)


def dfe_header(kind: str) -> list[str]:
    table = dfe.TABLES[kind]
    return [options[0] for options in table.required] + ["SCHNAME", "LEA"]


@st.composite
def dfe_bytes(draw, kind: str) -> bytes:
    header = draw(st.sampled_from([dfe_header(kind), ["URN"], ["NOTHING"]]))
    rows = draw(st.lists(st.lists(cell(), min_size=len(header), max_size=len(header)), max_size=6))
    data = b.csv_text([dict(zip(header, r, strict=True)) for r in rows], header).encode()
    how = draw(st.sampled_from(["rows", "truncate", "encode", "random"]))
    if how == "truncate":
        return data[: draw(st.integers(0, len(data)))]
    if how == "encode":
        return data.decode().encode(draw(st.sampled_from(ENCODINGS)), errors="replace")
    if how == "random":
        return draw(st.binary(max_size=2000))
    return data


@pytest.mark.parametrize("kind", sorted(dfe.TABLES))
def test_each_dfe_reader_raises_only_its_read_error(kind, tmp_path):
    name = "2022-2023_england_ks4_provisional.csv" if dfe.TABLES[kind].yearly else "groups.csv"

    @FUZZ
    @given(data=dfe_bytes(kind))
    def run(data):
        count(f"dfe:{kind}")
        path = tmp_path / name
        path.write_bytes(data)
        try:
            result = dfe.read_dfe(kind, path, "2022/23" if dfe.TABLES[kind].yearly else None)
        except ReadError as error:
            assert str(error)
            return
        assert list(result.frame.columns) == list(result.table.schema())
        assert isinstance(result.frame, pl.DataFrame)

    run()

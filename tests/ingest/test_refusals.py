"""Files that load nothing are refused, naming the file; zips are read like folders (issue 12)."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from tests.ingest import builders as b
from tests.ingest.test_readers import workbook_bytes
from trustlens.ingest.pipeline import read_sources, validate_tables
from trustlens.ingest.readers import read_bytes
from trustlens.ingest.validate import KeyContext


def zip_bytes(members: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def errors_of(tables) -> list[tuple[str, str]]:
    report = validate_tables(tables, KeyContext()).report
    return [(i.file, i.reason) for i in report.issues]


def test_a_file_named_after_no_dataset_is_refused_with_the_closest_names():
    [(file, reason)] = errors_of(read_bytes(b.csv_text(b.academies()).encode(), "results.csv"))
    assert file == "results.csv" and "matches no dataset" in reason
    assert "assessment_results.csv" in reason


def test_a_name_close_to_nothing_lists_every_dataset():
    [(_, reason)] = errors_of(read_bytes(b"a,b\n1,2\n", "zzzz.csv"))
    assert "pupils.csv" in reason and "academies.csv" in reason


def test_a_header_only_file_is_refused():
    header = b.csv_text(b.academies()).splitlines()[0] + "\n"
    [(file, reason)] = errors_of(read_bytes(header.encode(), "academies.csv"))
    assert file == "academies.csv" and "no data rows" in reason


def test_a_header_only_sheet_is_refused():
    tables = read_bytes(workbook_bytes({"Sheet1": [b.ACADEMY_COLUMNS]}), "academies.xlsx")
    assert [r for _, r in errors_of(tables)] == [
        "the file has a header row but no data rows: nothing to import for academies "
        "(leave the file out when there is nothing to send)"
    ]


def test_a_workbook_with_no_dataset_sheet_is_refused():
    tables = read_bytes(workbook_bytes({"Results": [["a"], [1]]}), "export.xlsx")
    [(file, reason)] = errors_of(tables)
    assert file == "export.xlsx" and "nor a sheet's name" in reason


def test_nothing_to_import_is_an_error_not_zero_valid_rows():
    assert errors_of([]) == [("(import)", "no CSV, XLSX or zip file to import")]


def test_a_zip_is_read_like_a_folder_members_named_by_dataset():
    data = zip_bytes(
        {
            "Export/academies.csv": b.csv_text(b.academies()),
            "Export/assessment_windows.csv": b.csv_text(b.windows()),
            "Export/readme.txt": "exported by the MIS",
            "__MACOSX/Export/._academies.csv": "junk",
        }
    )
    tables = read_bytes(data, "mis-export.zip")
    sources = {t.source: t for t in tables}
    assert sources["mis-export.zip/Export/academies.csv"].dataset == "academies"
    assert sources["mis-export.zip/Export/readme.txt"].skipped_reason
    assert not any("__MACOSX" in s for s in sources)
    plan = validate_tables(tables, KeyContext())
    assert plan.report.ok and plan.datasets == ["academies", "assessment_windows"]


def test_a_zip_member_in_error_fails_the_whole_import():
    data = zip_bytes(
        {"academies.csv": b.csv_text(b.academies()), "results.csv": b.csv_text(b.academies())}
    )
    plan = validate_tables(read_bytes(data, "export.zip"), KeyContext())
    assert not plan.report.ok
    assert [i.file for i in plan.report.issues] == ["export.zip/results.csv"]


def test_unreadable_zips_are_refused_clearly():
    cases = {
        "damaged.zip": b"PK\x03\x04 not a zip at all",
        "empty.zip": zip_bytes({"notes.txt": "nothing here"}),
        "nested.zip": zip_bytes({"inner.zip": zip_bytes({"academies.csv": "urn\n1\n"})}),
    }
    reasons = {name: errors_of(read_bytes(data, name))[0][1] for name, data in cases.items()}
    assert "not a readable zip" in reasons["damaged.zip"]
    assert "holds no CSV or XLSX" in reasons["empty.zip"]
    assert "zip inside a zip" in reasons["nested.zip"]


def test_a_folder_holding_only_a_zip_reads_the_zip(tmp_path: Path):
    (tmp_path / "export.zip").write_bytes(zip_bytes({"academies.csv": b.csv_text(b.academies())}))
    plan = validate_tables(read_sources(tmp_path), KeyContext())
    assert plan.report.ok and plan.rows == len(b.academies())


def test_a_workbook_needing_an_unknown_zip_version_is_refused_not_a_crash():
    """Found by the fuzzed upload test: a zip directory that asks for zip version 23.5 made
    Python's zip reader raise NotImplementedError, a server error on the upload page."""
    data = bytearray(workbook_bytes({"pupils": [["upn"], ["A123"]]}))
    at = data.find(b"PK\x01\x02")  # the first central directory entry
    data[at + 6 : at + 8] = (235).to_bytes(2, "little")  # "version needed to extract"
    reason = errors_of(read_bytes(bytes(data), "pupils.xlsx"))[0][1]
    assert "not a readable XLSX workbook" in reason and "23.5" in reason

"""Reading CSV and XLSX as users save them: encodings, byte-order marks, Excel sheets, damage."""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook

from tests.ingest import builders as b
from trustlens.ingest.pipeline import validate_tables
from trustlens.ingest.readers import cell_text, discover, read_bytes
from trustlens.ingest.validate import KeyContext

ACADEMY_ROWS = b.academies()


def academies_text() -> str:
    return b.csv_text(ACADEMY_ROWS)


def test_utf8_with_bom_and_crlf():
    data = ("\ufeff" + academies_text()).replace("\n", "\r\n").encode("utf-8")
    [table] = read_bytes(data, "academies.csv")
    assert table.error is None and table.encoding == "utf-8-sig"
    assert table.frame.columns[0] == "urn" and table.frame.height == 2


def test_windows_1252_is_read_and_noted():
    text = academies_text().replace("Alderbrook Academy", "St Æthelred’s Academy")
    [table] = read_bytes(text.encode("cp1252"), "academies.csv")
    assert table.encoding == "cp1252"
    assert table.frame["name"][0] == "St Æthelred’s Academy"
    plan = validate_tables([table], KeyContext())
    assert plan.report.ok and any("Windows-1252" in w for w in plan.report.warnings)


def test_utf16_with_bom_is_read():
    [table] = read_bytes(academies_text().encode("utf-16"), "academies.csv")
    assert table.error is None and table.encoding == "utf-16" and table.frame.height == 2


def test_binary_and_undecodable_files_are_errors_not_crashes():
    [nul] = read_bytes(b"urn,name\x00\x00\x01\n", "academies.csv")
    assert "NUL bytes" in str(nul.error)
    [bad] = read_bytes(b"urn,name\n\x81\x8d\x8f\x90\x9d\n", "academies.csv")
    assert "neither UTF-8 nor Windows-1252" in str(bad.error)
    [empty] = read_bytes(b"", "academies.csv")
    assert "empty" in str(empty.error)


def test_ragged_and_truncated_rows_name_the_row():
    text = (
        academies_text()
        + "141003,9994003,Extra Academy,primary,converter,Northshire,North Cluster,2019-09-01,2,2022-01-01,surplus\n"
    )
    [table] = read_bytes(text.encode(), "academies.csv")
    assert table.error is not None and table.error.row == 4 and "11 cells" in str(table.error)
    [quoted] = read_bytes((academies_text() + '141003,"Unclosed quote\n').encode(), "academies.csv")
    assert quoted.error is not None or quoted.frame is not None  # reported below either way
    plan = validate_tables([quoted], KeyContext())
    assert not plan.report.ok


def test_a_short_last_row_shows_as_missing_values():
    text = academies_text() + "141003,9994003,Cut Off Acad"
    plan = validate_tables(read_bytes(text.encode(), "academies.csv"), KeyContext())
    assert {(i.row, i.column) for i in plan.report.issues} >= {(4, "phase")}


def test_trailing_blank_lines_and_padded_cells():
    text = academies_text().replace("secondary", " secondary ") + "\n\n,,,,,,,,,\n"
    [table] = read_bytes(text.encode(), "academies.csv")
    assert table.frame.height == 2 and table.frame["phase"][0] == "secondary"


def test_header_case_and_spaces_are_normalised():
    text = academies_text().replace("urn,laestab,name", " URN , LAESTAB,Name")
    [table] = read_bytes(text.encode(), "Academies.CSV")
    assert table.dataset == "academies" and table.frame.columns[:3] == ["urn", "laestab", "name"]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_xlsx_with_a_sheet_per_dataset_and_excel_types():
    academies = [b.ACADEMY_COLUMNS] + [
        [
            141001,
            9994001,
            "Alderbrook Academy",
            "secondary",
            "converter",
            "Northshire",
            "North Cluster",
            dt.datetime(2018, 9, 1),
            2,
            dt.date(2022, 3, 1),
        ],
    ]
    windows = [
        ["academic_year", "term", "opens", "closes"],
        ["2024/25", "autumn", dt.datetime(2024, 11, 18), dt.datetime(2024, 12, 13)],
    ]
    data = workbook_bytes(
        {"academies": academies, "Assessment Windows": windows, "Notes": [["anything"]]}
    )
    tables = read_bytes(data, "trust-data.xlsx")
    by_source = {t.source: t for t in tables}
    assert by_source["trust-data.xlsx [Notes]"].skipped_reason
    plan = validate_tables(tables, KeyContext())
    assert plan.report.ok, [i.as_text() for i in plan.report.issues]
    row = plan.table("academies").frame.row(0, named=True)
    assert (
        row["joined_trust"] == dt.date(2018, 9, 1)
        and row["ofsted_grade"] == "2"
        and row["laestab"] == 9994001
    )


def test_xlsx_named_after_a_dataset_uses_its_first_sheet_and_excel_rows():
    rows = [
        b.ACADEMY_COLUMNS,
        [141001, None, "A", "secondary", None, None, None, None, None, None],
        [141002, None, "B", "school", None, None, None, None, None, None],
    ]
    plan = validate_tables(
        read_bytes(workbook_bytes({"Sheet1": rows}), "academies.xlsx"), KeyContext()
    )
    assert [(i.row, i.column) for i in plan.report.issues] == [(3, "phase")]


def test_a_damaged_workbook_is_an_error():
    [table] = read_bytes(b"PK\x03\x04 this is not really a zip", "academies.xlsx")
    assert "not a readable XLSX" in str(table.error)


def test_cell_text():
    assert cell_text(True) == "Y" and cell_text(104.0) == "104" and cell_text(4.5) == "4.5"
    assert cell_text(dt.datetime(2024, 9, 2)) == "2024-09-02" and cell_text(None) is None


def test_discover_skips_hidden_and_lock_files(tmp_path):
    for name in ("pupils.csv", ".hidden.csv", "~$academies.xlsx", "notes.txt", "academies.xlsx"):
        (tmp_path / name).write_text("x")
    assert [p.name for p in discover(tmp_path)] == ["academies.xlsx", "pupils.csv"]

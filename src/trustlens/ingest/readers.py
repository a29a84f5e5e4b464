"""Read the data standard's files (CSV or XLSX) into all-text Polars frames.

Every cell is read as text so that validation, not the reader, decides what a value means.
CSV: UTF-8 (with or without a byte-order mark) is expected; UTF-16 with a byte-order mark
(Excel's "Unicode text") and Windows-1252 (Excel's default "CSV" on Windows) are read too and
noted in the report. A file that is neither, or that Polars cannot split into rows, is read
again with Python's csv module only to find the row at fault for the report.

A zip (a management information system's export often is one) is read member by member, each
CSV or XLSX inside named by its dataset as in a folder; the import stays all or nothing. A file
whose name is no dataset's is an error naming the datasets it could be, never silently skipped.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from trustlens.ingest import registry

SUFFIXES = (".csv", ".xlsx", ".zip")
TABLE_SUFFIXES = (".csv", ".xlsx")
#: A zip whose members would unpack to more than this is refused (a "zip bomb", or not an export).
ZIP_MAX_BYTES = 2 * 1024**3
#: An XLSX is a zip of XML parts; one whose parts would unpack to more than this is refused before
#: openpyxl parses a byte of it (an "XML bomb": a few MB that decompress to gigabytes). A whole
#: trust's assessment results as XLSX unpack to well under this; bigger exports belong in CSV.
XLSX_MAX_UNPACKED_BYTES = 512 * 1024**2


class ReadError(Exception):
    """A file that cannot be read at all; ``row`` when one row is at fault."""

    def __init__(self, message: str, row: int | None = None) -> None:
        super().__init__(message)
        self.row = row


@dataclass
class RawTable:
    """One dataset's cells as text: header names are stripped and lower-cased."""

    source: str
    dataset: str | None
    frame: pl.DataFrame | None = None
    encoding: str | None = None
    error: ReadError | None = None
    skipped_reason: str | None = None
    nbytes: int = 0
    first_row: int = 2  # spreadsheet row number of the frame's first row


def discover(path: Path) -> list[Path]:
    """The CSV, XLSX and zip files to import: ``path`` itself, or those directly in the folder."""
    if path.is_dir():
        return sorted(
            p
            for p in path.iterdir()
            if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
        )
    return [path]


def read_path(path: Path, display_name: str | None = None) -> list[RawTable]:
    """Every table in one file (one for a CSV, one per dataset sheet for an XLSX)."""
    name = display_name or path.name
    try:
        data = path.read_bytes()
    except OSError as error:
        return [
            RawTable(
                name,
                registry.dataset_for_file(name),
                error=ReadError(f"cannot open the file: {error}"),
            )
        ]
    return read_bytes(data, name)


def read_bytes(data: bytes, name: str) -> list[RawTable]:
    suffix = Path(name).suffix.lower()
    if suffix == ".zip":
        return read_zip(data, name)
    if suffix == ".xlsx":
        return read_xlsx(data, name)
    dataset = registry.dataset_for_file(name)
    if suffix != ".csv":
        return [RawTable(name, None, skipped_reason="not a CSV or XLSX file")]
    if dataset is None:
        return [_unknown(name, len(data))]
    table = RawTable(name, dataset, nbytes=len(data))
    try:
        table.frame, table.encoding = read_csv(data)
    except ReadError as error:
        table.error = error
    except Exception as error:  # noqa: BLE001 - a reader must never crash the import
        table.error = ReadError(f"could not read the file: {error}")
    return [table]


def _unknown(name: str, nbytes: int = 0) -> RawTable:
    """A file named after no dataset: an error naming the datasets it could be."""
    return RawTable(name, None, error=ReadError(registry.unknown_file_reason(name)), nbytes=nbytes)


# --- zip -----------------------------------------------------------------------------------


def read_zip(data: bytes, name: str) -> list[RawTable]:
    """Every CSV and XLSX inside a zip (at any depth), each named ``archive.zip/member``."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if _is_member(m)]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        return [_zip_error(name, f"not a readable zip file: {error}", len(data))]
    problem = _zip_problem(members)
    if problem:
        return [_zip_error(name, problem, len(data))]
    tables: list[RawTable] = []
    for member in members:
        tables += _read_member(archive, member, f"{name}/{member.filename}")
    return tables


def _is_member(member: zipfile.ZipInfo) -> bool:
    parts = Path(member.filename).parts
    hidden = any(p.startswith((".", "~$")) or p == "__MACOSX" for p in parts)
    return not member.is_dir() and not hidden


def _zip_problem(members: list[zipfile.ZipInfo]) -> str | None:
    if any(m.flag_bits & 0x1 for m in members):
        return "the zip is password-protected: export it again without a password"
    if sum(m.file_size for m in members) > ZIP_MAX_BYTES:
        return f"the zip would unpack to more than {ZIP_MAX_BYTES // 1024**3} GB: unpack it and import the folder"
    if not any(Path(m.filename).suffix.lower() in SUFFIXES for m in members):
        return "the zip holds no CSV or XLSX file: nothing to import"
    return None


def _read_member(archive: zipfile.ZipFile, member: zipfile.ZipInfo, source: str) -> list[RawTable]:
    suffix = Path(member.filename).suffix.lower()
    if suffix == ".zip":
        return [RawTable(source, None, error=ReadError("a zip inside a zip: unpack the outer one"))]
    if suffix not in TABLE_SUFFIXES:
        return [RawTable(source, None, skipped_reason="not a CSV or XLSX file")]
    try:
        data = archive.read(member)
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError) as error:
        return [_zip_error(source, f"cannot unpack it from the zip: {error}", member.file_size)]
    return read_bytes(data, source)


def _zip_error(name: str, reason: str, nbytes: int) -> RawTable:
    return RawTable(name, registry.dataset_for_file(name), error=ReadError(reason), nbytes=nbytes)


# --- CSV ---------------------------------------------------------------------------------


def decode(data: bytes) -> tuple[bytes, str]:
    """UTF-8 bytes for Polars and the encoding the file was in."""
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :], "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16").encode("utf-8"), "utf-16"
        except UnicodeDecodeError as error:
            raise ReadError(f"starts like UTF-16 text but is not: {error.reason}") from error
    return data, "utf-8"


def as_text_bytes(data: bytes) -> tuple[bytes, str]:
    """Decode, falling back to Windows-1252 when the bytes are not UTF-8."""
    body, encoding = decode(data)
    if b"\x00" in body:
        raise ReadError(
            "the file contains NUL bytes: it is not a text CSV (binary, or saved as UTF-16 without a byte-order mark?)"
        )
    if encoding == "utf-8":
        try:
            body.decode("utf-8")
        except UnicodeDecodeError:
            try:
                return body.decode("cp1252").encode("utf-8"), "cp1252"
            except UnicodeDecodeError as error:
                raise ReadError(
                    "the file is neither UTF-8 nor Windows-1252 text: save it as CSV UTF-8"
                ) from error
    return body, encoding


def read_csv(data: bytes) -> tuple[pl.DataFrame, str]:
    """All cells as text, header normalised; ReadError names the row when one is malformed."""
    body, encoding = as_text_bytes(data)
    if not body.strip():
        raise ReadError("the file is empty: it needs at least a header row")
    try:
        frame = pl.read_csv(body, infer_schema=False, encoding="utf8", raise_if_empty=True)
    except Exception as error:  # noqa: BLE001 - find the row at fault with the csv module
        raise locate_csv_error(body, error) from None
    header = _first_header(body)
    return normalise(frame, header), encoding


def _first_header(body: bytes) -> list[str]:
    line = body.split(b"\n", 1)[0].decode("utf-8", errors="replace").rstrip("\r")
    return next(csv.reader([line]), [])


def locate_csv_error(body: bytes, polars_error: Exception) -> ReadError:
    """Re-read with the csv module to name the first malformed row."""
    text = body.decode("utf-8", errors="replace")
    try:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader, None)
        width = len(header or [])
        for row in reader:
            if row and len(row) != width:
                return ReadError(
                    f"row has {len(row)} cells but the header has {width}", row=reader.line_num
                )
    except csv.Error as error:
        return ReadError(
            f"malformed CSV near line {reader.line_num}: {error} (truncated file or a stray quote?)",
            row=reader.line_num,
        )
    message = (
        str(polars_error).splitlines()[0] if str(polars_error) else type(polars_error).__name__
    )
    return ReadError(f"could not read the CSV: {message}")


def normalise(frame: pl.DataFrame, header: list[str] | None = None) -> pl.DataFrame:
    """Header names stripped and lower-cased; cells stripped, blank -> null; trailing blank rows dropped."""
    names = [
        str(h).strip().lower()
        for h in (header if header and len(header) == frame.width else frame.columns)
    ]
    frame = frame.rename(
        dict(zip(frame.columns, [f"__col{i}" for i in range(frame.width)], strict=True))
    )
    frame = frame.with_columns(
        pl.col(c).cast(pl.String).str.strip_chars().replace("", None) for c in frame.columns
    )
    frame = _drop_trailing_blank_rows(frame)
    return frame.rename(dict(zip(frame.columns, unique_names(names), strict=True)))


def unique_names(names: list[str], repeat: str = "{name} ({n})") -> list[str]:
    """Keep duplicate header names detectable: the second 'urn' becomes 'urn (2)'.

    ``repeat`` formats the n-th (n >= 2) occurrence of a name.
    """
    seen: dict[str, int] = {}
    out = []
    for name in names:
        seen[name] = seen.get(name, 0) + 1
        out.append(name if seen[name] == 1 else repeat.format(name=name, n=seen[name]))
    return out


def _drop_trailing_blank_rows(frame: pl.DataFrame) -> pl.DataFrame:
    if frame.height == 0 or frame.width == 0:
        return frame
    filled = frame.select(pl.any_horizontal(pl.all().is_not_null()).alias("f"))["f"]
    true_rows = filled.arg_true()
    keep = int(true_rows[-1]) + 1 if len(true_rows) else 0
    return frame.head(keep) if keep < frame.height else frame


# --- XLSX ----------------------------------------------------------------------------------


def read_xlsx(data: bytes, name: str) -> list[RawTable]:
    """One table per sheet named after a dataset; a workbook named after a dataset uses its first
    sheet (or the sheet of that name)."""
    problem = _xlsx_problem(data)
    if problem:
        return [RawTable(name, registry.dataset_for_file(name), error=problem, nbytes=len(data))]
    try:
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - zip/XML errors of a damaged workbook
        return [
            RawTable(
                name,
                registry.dataset_for_file(name),
                error=ReadError(f"not a readable XLSX workbook: {error}"),
                nbytes=len(data),
            )
        ]
    try:
        if not workbook.worksheets:
            error = ReadError("the workbook has no sheets: save the data as CSV and import that")
            return [RawTable(name, registry.dataset_for_file(name), error=error, nbytes=len(data))]
        return list(_sheets(workbook, name, len(data)))
    finally:
        workbook.close()


def _xlsx_problem(data: bytes) -> ReadError | None:
    """Why a workbook is refused unread: not a zip at all, or parts that unpack too large (the
    sizes its zip directory declares, which the zip reader also holds each part to)."""
    try:
        members = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError) as error:
        # NotImplementedError: a zip directory asking for a zip version or method Python lacks
        return ReadError(f"not a readable XLSX workbook: {error}")
    unpacked = sum(m.file_size for m in members)
    if unpacked > XLSX_MAX_UNPACKED_BYTES:
        limit = XLSX_MAX_UNPACKED_BYTES // 1024**2
        return ReadError(
            f"the workbook would unpack to {unpacked / 1024**2:,.0f} MB, more than the "
            f"{limit} MB allowed: save the sheet as CSV and import that"
        )
    return None


def _sheets(workbook, name: str, nbytes: int) -> Iterator[RawTable]:
    file_dataset = registry.dataset_for_file(name)
    sheets = {ws.title: ws for ws in workbook.worksheets}
    if file_dataset:
        chosen = next(
            (
                ws
                for title, ws in sheets.items()
                if registry.dataset_for_file(title + ".csv") == file_dataset
            ),
            None,
        )
        yield _sheet_table(chosen or workbook.worksheets[0], name, file_dataset, nbytes)
        return
    if not any(registry.dataset_for_file(title + ".csv") for title in sheets):
        reason = "neither the workbook's name nor a sheet's name is a dataset of the data standard"
        yield RawTable(name, None, error=ReadError(f"{reason}: {registry.dataset_hint(name)}"))
        return
    for title, worksheet in sheets.items():
        dataset = registry.dataset_for_file(title + ".csv")
        source = f"{name} [{title}]"
        if dataset is None:
            yield RawTable(
                source, None, skipped_reason="sheet is not a dataset of the data standard"
            )
        else:
            yield _sheet_table(worksheet, source, dataset, nbytes)


def _sheet_table(worksheet, source: str, dataset: str, nbytes: int) -> RawTable:
    table = RawTable(source, dataset, encoding="xlsx", nbytes=nbytes)
    try:
        rows = worksheet.iter_rows(values_only=True)
        header = next(rows, None)
        if not header or all(cell is None for cell in header):
            raise ReadError("the sheet is empty: it needs a header row")
        names = ["" if h is None else str(h) for h in header]
        cells = [
            [cell_text(c) for c in row[: len(names)]] + [None] * (len(names) - len(row))
            for row in rows
        ]
        frame = pl.DataFrame(cells, schema=[f"__col{i}" for i in range(len(names))], orient="row")
        table.frame = normalise(frame, names)
    except ReadError as error:
        table.error = error
    except Exception as error:  # noqa: BLE001
        table.error = ReadError(f"could not read the sheet: {error}")
    return table


def cell_text(value: object) -> str | None:
    """An Excel cell as the text the standard expects (dates ISO 8601, booleans Y/N)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value)

"""The DfE's public files as published, read into national benchmark tables.

Performance-tables school files (KS4, KS2, census, absence) and the GIAS groups extract are
read as the DfE publishes them: UTF-8 with a byte-order mark or Windows-1252 (GIAS), "%" signs
and thousands commas in numbers, and special values instead of numbers: ``SUPP`` (suppressed),
``NE`` (no entries), ``NA`` (not applicable), ``NP`` (not published), ``LOWCOV`` (low coverage),
``SUPPMAT`` (suppressed in MAT files). A special value is **never** turned into a number: the
measure is missing (null) and the code is kept in the table's ``<name>_codes`` companion
(academic_year, rectype, la, urn, column, code), so dashboards can show the right GSS symbol.

Each table keeps a curated set of the file's columns (lower-cased DfE names, so they can be
looked up in the DfE's metadata): headline measures, their confidence intervals and the
disadvantaged / other splits. Columns a file does not have are left missing. A later file's row
for the same school (academic_year, rectype, la, urn) replaces the earlier row's values for the
columns the later file has; other columns keep their values.

Sources: DfE performance tables metadata (ks4_meta_methodology.csv, census_meta.csv,
abbreviations.xlsx in shared/data/real/la815_north_yorkshire), GIAS "all groups" extract.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from trustlens.ingest.readers import ReadError, as_text_bytes, unique_names
from trustlens.ingest.store import NATIONAL, AnalyticalStore, conform

SPECIAL_VALUES = (
    "SUPP",
    "NE",
    "NA",
    "NP",
    "LOWCOV",
    "SUPPMAT",
    "X",
    "C",
    "Z",
    "..",
    ":",
    "NEW",
    "DNS",
)
KEY = ("academic_year", "rectype", "la", "urn")
CODES_SCHEMA: dict[str, pl.DataType] = {
    "academic_year": pl.String(),
    "rectype": pl.Int64(),
    "la": pl.Int64(),
    "urn": pl.Int64(),
    "column": pl.String(),
    "code": pl.String(),
}
DTYPES = {"int": pl.Int64(), "float": pl.Float64(), "text": pl.String(), "date": pl.Date()}


@dataclass(frozen=True)
class Field:
    """One output column: its DfE source column name(s) (first found wins) and type."""

    name: str
    sources: tuple[str, ...]
    dtype: str = "float"

    @property
    def measure(self) -> bool:
        return self.dtype in {"int", "float"} and self.name not in {
            "rectype",
            "la",
            "estab",
            "urn",
            "laestab",
            "iclose",
        }


def _fields(spec: str, dtype: str = "float") -> tuple[Field, ...]:
    """'A B C' -> Fields named a, b, c from source columns A, B, C."""
    return tuple(Field(name.lower(), (name,), dtype) for name in spec.split())


ID_FIELDS = (
    Field("rectype", ("RECTYPE",), "int"),
    Field("la", ("LEA", "LA", "LA NUMBER", "LA (CODE)"), "int"),
    Field("estab", ("ESTAB", "ESTABLISHMENT NUMBER", "ESTABLISHMENTNUMBER"), "int"),
    Field("urn", ("URN",), "int"),
    Field("school_name", ("SCHNAME", "ESTABLISHMENTNAME"), "text"),
)


@dataclass(frozen=True)
class NationalTable:
    name: str
    title: str
    fields: tuple[Field, ...]
    required: tuple[tuple[str, ...], ...]  # each tuple: at least one of these source columns
    yearly: bool = True
    key: tuple[str, ...] = KEY
    notes: str = ""

    def schema(self) -> dict[str, pl.DataType]:
        lead = {"academic_year": pl.String(), "status": pl.String()} if self.yearly else {}
        return lead | {f.name: DTYPES[f.dtype] for f in self.fields}


KS4 = NationalTable(
    name="ks4",
    title="KS4 school performance (Attainment 8, Progress 8 with CIs, EBacc)",
    fields=ID_FIELDS
    + (Field("nftype", ("NFTYPE",), "text"), Field("iclose", ("ICLOSE",), "int"))
    + _fields("TOTPUPS TPUP P8PUP TP8ADJ P8_BANDING P8PUP_FSM6CLA1A P8PUP_NFSM6CLA1A", "int")
    + _fields(
        "ATT8SCR ATT8SCRENG ATT8SCRMAT ATT8SCREBAC ATT8SCROPEN P8MEACOV P8MEA P8CILOW P8CIUPP "
        "P8MEA_ORIG P8CILOW_ORIG P8CIUPP_ORIG P8MEAENG P8MEAENG_CILOW P8MEAENG_CIUPP P8MEAMAT "
        "P8MEAMAT_CILOW P8MEAMAT_CIUPP P8MEAEBAC P8MEAEBAC_CILOW P8MEAEBAC_CIUPP P8MEAOPEN "
        "P8MEAOPEN_CILOW P8MEAOPEN_CIUPP PTL2BASICS_94 PTL2BASICS_95 EBACCAPS PTEBACC_E_PTQ_EE "
        "PTEBACC_94 PTEBACC_95 PT5EM_94 ATT8SCR_FSM6CLA1A P8MEA_FSM6CLA1A P8CILOW_FSM6CLA1A "
        "P8CIUPP_FSM6CLA1A ATT8SCR_NFSM6CLA1A P8MEA_NFSM6CLA1A P8CILOW_NFSM6CLA1A P8CIUPP_NFSM6CLA1A"
    ),
    required=(("URN",), ("P8MEA", "ATT8SCR")),
)

KS2 = NationalTable(
    name="ks2",
    title="KS2 school performance (reading, writing, maths progress with CIs)",
    fields=ID_FIELDS
    + (Field("nftype", ("NFTYPE",), "text"),)
    + _fields("TOTPUPS TELIG READPROG_DESCR WRITPROG_DESCR MATPROG_DESCR", "int")
    + _fields(
        "PTRWM_EXP PTRWM_HIGH READPROG READPROG_LOWER READPROG_UPPER READCOV WRITPROG "
        "WRITPROG_LOWER WRITPROG_UPPER WRITCOV MATPROG MATPROG_LOWER MATPROG_UPPER MATCOV "
        "PTREAD_EXP READ_AVERAGE PTGPS_EXP GPS_AVERAGE PTMAT_EXP MAT_AVERAGE PTWRITTA_EXP "
        "PTRWM_EXP_FSM6CLA1A PTRWM_EXP_NOTFSM6CLA1A READPROG_FSM6CLA1A READPROG_FSM6CLA1A_LOWER "
        "READPROG_FSM6CLA1A_UPPER READPROG_NOTFSM6CLA1A WRITPROG_FSM6CLA1A WRITPROG_FSM6CLA1A_LOWER "
        "WRITPROG_FSM6CLA1A_UPPER WRITPROG_NOTFSM6CLA1A MATPROG_FSM6CLA1A MATPROG_FSM6CLA1A_LOWER "
        "MATPROG_FSM6CLA1A_UPPER MATPROG_NOTFSM6CLA1A"
    ),
    required=(("URN",), ("READPROG", "PTRWM_EXP", "MATPROG")),
)

CENSUS = NationalTable(
    name="census",
    title="School census (pupils on roll, SEN, EAL, FSM)",
    fields=ID_FIELDS
    + (Field("schooltype", ("SCHOOLTYPE",), "text"),)
    + _fields("NOR NORG NORB TSENELSE TSENELK NUMEAL NUMENGFL NUMUNCFL NUMFSM NUMFSMEVER", "int")
    + _fields("PNORG PNORB PSENELSE PSENELK PNUMEAL PNUMENGFL PNUMUNCFL PNUMFSMEVER"),
    required=(("URN",), ("NOR",)),
)

ABSENCE = NationalTable(
    name="absence",
    title="School absence (overall absence %, persistent absence %)",
    fields=ID_FIELDS + _fields("PERCTOT PPERSABS10"),
    required=(("URN",), ("PERCTOT", "PPERSABS10")),
)

GIAS_GROUPS = NationalTable(
    name="gias_groups",
    title="GIAS groups (trusts, federations): ids, Companies House number, status",
    fields=(
        Field("group_uid", ("GROUP UID",), "int"),
        Field("group_id", ("GROUP ID",), "text"),
        Field("group_name", ("GROUP NAME",), "text"),
        Field("companies_house_number", ("COMPANIES HOUSE NUMBER",), "text"),
        Field("group_type_code", ("GROUP TYPE (CODE)",), "text"),
        Field("group_type", ("GROUP TYPE",), "text"),
        Field("group_status", ("GROUP STATUS",), "text"),
        Field("open_date", ("OPEN DATE",), "date"),
        Field("incorporated_on", ("INCORPORATED ON (OPEN DATE)",), "date"),
        Field("closed_date", ("CLOSED DATE",), "date"),
        Field("group_town", ("GROUP TOWN",), "text"),
        Field("group_postcode", ("GROUP POSTCODE",), "text"),
        Field("ukprn", ("UKPRN",), "text"),
    ),
    required=(("GROUP UID",), ("GROUP NAME",)),
    yearly=False,
    key=("group_uid",),
    notes="Head of group names are public in GIAS but not needed here, so they are not kept.",
)

TABLES: dict[str, NationalTable] = {
    "ks4": KS4,
    "ks2": KS2,
    "census": CENSUS,
    "absence": ABSENCE,
    "gias-groups": GIAS_GROUPS,
}


def national_schema(name: str) -> dict[str, pl.DataType] | None:
    """Schema of national table ``name`` (or of its ``_codes`` companion)."""
    if name.endswith("_codes"):
        return CODES_SCHEMA if table_named(name[: -len("_codes")]) else None
    table = table_named(name)
    return table.schema() if table else None


def table_named(name: str) -> NationalTable | None:
    return next((t for t in TABLES.values() if t.name == name), None)


# --- reading -------------------------------------------------------------------------------


@dataclass
class DfeResult:
    """What was read: the table, its special-value codes and a summary for the user."""

    table: NationalTable
    frame: pl.DataFrame
    codes: pl.DataFrame
    present: list[str]
    academic_year: str | None
    status: str | None
    code_counts: dict[str, int] = field(default_factory=dict)

    def summary(self) -> str:
        codes = ", ".join(f"{k} {v:,}" for k, v in sorted(self.code_counts.items())) or "none"
        if not self.table.yearly:
            return f"{self.table.name}: {self.frame.height:,} rows"
        schools = self.frame.filter(pl.col("urn").is_not_null()).height
        return f"{self.table.name} {self.academic_year}: {self.frame.height:,} rows ({schools:,} schools); special values kept as missing: {codes}"


def year_from_name(name: str) -> str | None:
    """'2018-2019_850_ks2final.csv' or '815_2019_ks4provisional.csv' -> '2018/19'."""
    span = re.search(r"(20\d\d)-(20\d\d)", name)
    if span and int(span.group(2)) == int(span.group(1)) + 1:
        return f"{span.group(1)}/{span.group(2)[2:]}"
    single = re.search(r"(?<!\d)(20\d\d)(?!\d)", name)
    if single:
        end = int(single.group(1))
        return f"{end - 1}/{end % 100:02d}"
    return None


def status_from_name(name: str) -> str | None:
    lowered = name.lower()
    return next((s for s in ("provisional", "revised", "final") if s in lowered), None)


def read_dfe(kind: str, path: Path, academic_year: str | None = None) -> DfeResult:
    """Read one DfE file of ``kind`` (ks4, ks2, census, absence, gias-groups)."""
    table = TABLES.get(kind)
    if table is None:
        raise ReadError(f"unknown kind {kind!r}: one of {', '.join(TABLES)}")
    raw = _read_text_frame(path.read_bytes())
    _check_required(table, raw, path.name)
    year = academic_year or (year_from_name(path.name) if table.yearly else None)
    if table.yearly and not year:
        raise ReadError(
            f"cannot tell the academic year from the file name {path.name!r}: give --year, e.g. 2018/19"
        )
    if year and not re.fullmatch(r"\d{4}/\d{2}", year):
        raise ReadError(f"academic year {year!r} must be written like 2018/19")
    frame, codes, present = _typed(table, raw, year)
    if table.yearly:
        frame = frame.with_columns(
            pl.lit(year).alias("academic_year"), pl.lit(status_from_name(path.name)).alias("status")
        )
    frame = frame.select(list(table.schema()))
    counts = dict(codes.group_by("code").len().iter_rows()) if codes.height else {}
    return DfeResult(table, frame, codes, present, year, status_from_name(path.name), counts)


def _read_text_frame(data: bytes) -> pl.DataFrame:
    body, _ = as_text_bytes(data)
    try:
        frame = pl.read_csv(
            body, infer_schema=False, truncate_ragged_lines=True, raise_if_empty=True
        )
    except Exception as error:  # noqa: BLE001
        raise ReadError(f"could not read the CSV: {str(error).splitlines()[0]}") from None
    names = [c.strip().lstrip("\ufeff").upper() for c in frame.columns]
    frame.columns = unique_names(names, repeat="{name}__{n}")
    return frame.with_columns(pl.all().str.strip_chars().replace("", None))


def _check_required(table: NationalTable, frame: pl.DataFrame, name: str) -> None:
    for options in table.required:
        if not any(o in frame.columns for o in options):
            raise ReadError(
                f"{name} does not look like a {table.name} file: it has no {' or '.join(options)} column"
            )


def _source(field_: Field, frame: pl.DataFrame) -> str | None:
    return next((s for s in field_.sources if s in frame.columns), None)


def _typed(
    table: NationalTable, raw: pl.DataFrame, year: str | None
) -> tuple[pl.DataFrame, pl.DataFrame, list[str]]:
    columns, code_columns, present = [], [], []
    for f in table.fields:
        source = _source(f, raw)
        if source is None:
            columns.append(pl.lit(None, dtype=DTYPES[f.dtype]).alias(f.name))
            continue
        present.append(f.name)
        text = pl.col(source)
        value = _value(text, f.dtype)
        columns.append(value.alias(f.name))
        if f.measure:
            code_columns.append(
                pl.when(text.is_not_null() & value.is_null())
                .then(text.str.to_uppercase())
                .alias(f.name)
            )
    frame = raw.select(columns)
    codes = _codes(
        table,
        raw.select(columns[: len(ID_FIELDS)] if table.yearly else []),
        raw.select(code_columns),
        year,
    )
    return frame, codes, present


def _value(text: pl.Expr, dtype: str) -> pl.Expr:
    if dtype == "text":
        return text
    if dtype == "date":
        return text.str.to_date("%d/%m/%Y", strict=False)
    cleaned = text.str.replace_all(r"[%,£\s]", "")
    number = cleaned.cast(pl.Float64, strict=False)
    number = pl.when(number.is_finite()).then(number)
    if dtype == "int":
        return pl.when(number == number.round(0)).then(number).cast(pl.Int64)
    return number


def _codes(
    table: NationalTable, ids: pl.DataFrame, codes: pl.DataFrame, year: str | None
) -> pl.DataFrame:
    if not table.yearly or codes.width == 0:
        return pl.DataFrame(schema=CODES_SCHEMA)
    wide = pl.concat([ids.select("rectype", "la", "urn"), codes], how="horizontal")
    long = wide.unpivot(
        index=["rectype", "la", "urn"], variable_name="column", value_name="code"
    ).drop_nulls("code")
    return conform(long.with_columns(pl.lit(year).alias("academic_year")), CODES_SCHEMA)


# --- storing -------------------------------------------------------------------------------


def store_dfe(result: DfeResult, store: AnalyticalStore) -> None:
    """Merge the file into the national tables, atomically (one store transaction)."""
    table = result.table
    with store.transaction(NATIONAL) as tx:
        current = tx.current_frame(table.name, table.schema())
        merged = merge_rows(current, result.frame, table.key, result.present)
        if table.yearly:
            tx.write_partitions(
                table.name,
                merged.filter(pl.col("academic_year") == result.academic_year),
                table.schema(),
                ("academic_year",),
                "academic_year",
            )
            codes = tx.current_frame(f"{table.name}_codes", CODES_SCHEMA).with_columns(
                row_key(KEY).alias("__key")
            )
            replaced = codes["__key"].is_in(
                result.frame.select(row_key(KEY)).to_series().implode()
            ) & codes["column"].is_in(result.present)
            new_codes = pl.concat(
                [codes.filter(~replaced).drop("__key"), result.codes], how="vertical_relaxed"
            )
            new_codes = new_codes.filter(pl.col("academic_year") == result.academic_year)
            tx.write_partitions(
                f"{table.name}_codes", new_codes, CODES_SCHEMA, ("academic_year",), "academic_year"
            )
        else:
            tx.write_snapshot(table.name, merged, table.schema())
        tx.commit()


def row_key(key: tuple[str, ...]) -> pl.Expr:
    """Which row a row replaces: a school by academic year and URN (files with and without LA
    codes agree on it); an LA or national row by academic year, record type and LA."""
    if key != KEY:
        return pl.concat_str(
            [pl.col(k).cast(pl.String) for k in key], separator="|", ignore_nulls=False
        )
    other = pl.concat_str(
        [
            pl.lit("r"),
            pl.col("rectype").cast(pl.String).fill_null("-"),
            pl.col("la").cast(pl.String).fill_null("-"),
        ],
        separator=":",
    )
    row = (
        pl.when(pl.col("urn").is_not_null())
        .then(pl.concat_str([pl.lit("u:"), pl.col("urn").cast(pl.String)]))
        .otherwise(other)
    )
    return pl.concat_str([pl.col("academic_year").fill_null("-"), row], separator="|")


def merge_rows(
    current: pl.DataFrame, new: pl.DataFrame, key: tuple[str, ...], present: list[str]
) -> pl.DataFrame:
    """``new`` rows replace ``current`` rows with the same ``row_key``, column by column for the
    columns the new file has; rows only in ``current`` are kept as they are."""
    if current.height == 0:
        return new
    current, new = (
        current.with_columns(row_key(key).alias("__key")),
        new.with_columns(row_key(key).alias("__key")),
    )
    untouched = current.join(new.select("__key"), on="__key", how="anti")
    keep_old = [
        c
        for c in current.columns
        if c not in present and c not in {"__key", "status", "academic_year"}
    ]
    updated = new.join(current.select(["__key", *keep_old]), on="__key", how="left", suffix="__old")
    updated = updated.with_columns(
        pl.coalesce(pl.col(f"{c}__old"), pl.col(c)).alias(c)
        for c in keep_old
        if f"{c}__old" in updated.columns
    )
    return pl.concat([untouched, updated.select(current.columns)], how="vertical_relaxed").drop(
        "__key"
    )

"""Dataset specifications: columns with their kinds, keys, checks and store partitions.

A ``DatasetSpec`` describes one file of the core data standard (one CSV or XLSX sheet). Each
column has a ``Kind`` that knows how to parse the text cell into a typed value as a Polars
expression and which cells are invalid, so validation stays vectorised on millions of rows
while still naming the row, column, value and reason of every error.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

import polars as pl

RAW = "raw__"  # prefix of the raw text columns in the frame that checks see


def raw(name: str) -> pl.Expr:
    """The cell text of column ``name`` as read (stripped, empty -> null)."""
    return pl.col(RAW + name)


class Kind(StrEnum):
    TEXT = "text"
    INT = "integer"
    FLOAT = "decimal"
    DATE = "date"
    FLAG = "flag"
    CHOICE = "choice"
    ACADEMIC_YEAR = "academic year"
    MONTH = "month"
    PERIOD = "period"
    UPN = "UPN"


#: Polars type of each kind in the typed frame and the analytical store.
DTYPES: dict[Kind, pl.DataType] = {
    Kind.TEXT: pl.String(),
    Kind.INT: pl.Int64(),
    Kind.FLOAT: pl.Float64(),
    Kind.DATE: pl.Date(),
    Kind.FLAG: pl.Boolean(),
    Kind.CHOICE: pl.String(),
    Kind.ACADEMIC_YEAR: pl.String(),
    Kind.MONTH: pl.String(),
    Kind.PERIOD: pl.String(),
    Kind.UPN: pl.String(),
}

ACADEMIC_YEAR_RE = r"^\d{4}/\d{2}$"
MONTH_RE = r"^\d{4}-(0[1-9]|1[0-2])$"
UPN_RE = r"^[A-Z]\d{11}[0-9A-Z]$"


@dataclass(frozen=True)
class Column:
    """One column of a dataset file.

    ``required``: every row needs a value. ``optional_column``: the file may leave the column
    out altogether (it is then all missing). ``store``: written to the analytical store.
    ``choices``: allowed values (matched case-insensitively, stored as written here).
    """

    name: str
    kind: Kind
    description: str = ""
    required: bool = True
    optional_column: bool = False
    choices: tuple[str, ...] = ()
    minimum: float | None = None
    maximum: float | None = None
    max_length: int | None = None
    store: bool = True

    @property
    def dtype(self) -> pl.DataType:
        return DTYPES[self.kind]

    def allowed_text(self) -> str:
        """The allowed values or range, in words, for the data standard and error messages."""
        if self.choices:
            return ", ".join(c if c else "(blank)" for c in self.choices)
        return describe_range(self.minimum, self.maximum)


def optional(name: str, kind: Kind, description: str = "", **options: Any) -> Column:
    """A column whose cells may be blank (``required=False``); ``options`` as for ``Column``."""
    return Column(name, kind, description, required=False, **options)


def describe_range(minimum: float | None, maximum: float | None) -> str:
    def fmt(v: float) -> str:
        return str(int(v)) if float(v).is_integer() else f"{v:g}"

    if minimum is not None and maximum is not None:
        return f"{fmt(minimum)} to {fmt(maximum)}"
    if minimum is not None:
        return f"at least {fmt(minimum)}"
    if maximum is not None:
        return f"at most {fmt(maximum)}"
    return ""


@dataclass(frozen=True)
class Check:
    """A row-level rule: ``mask`` (on the checked frame) is True where the row is wrong.

    ``column`` is the column the error is reported against and whose raw text is the value
    shown, unless ``value`` gives an expression for the value (for rules on several columns).
    """

    column: str
    reason: str
    mask: Callable[[], pl.Expr]
    value: Callable[[], pl.Expr] | None = None
    duplicate_of: tuple[str, ...] = ()  # key columns: report the row the duplicate repeats
    cannot_fail: Callable[[], pl.Expr] | None = None  # cheap scalar test: True = no row can fail


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``columns`` must exist as ``target_columns`` of ``dataset`` (in the records
    database, the store, or an earlier file of the same import)."""

    columns: tuple[str, ...]
    dataset: str
    target_columns: tuple[str, ...]
    reason: str


class StoreMode(StrEnum):
    """How a dataset is written to the analytical store."""

    PARTITIONS = "partitions"  # replace the partitions (academy, year, ...) present in the file
    SNAPSHOT = "snapshot"  # one trust-wide table, rows upserted by the dataset's key
    NONE = "none"  # records database only


@dataclass(frozen=True)
class DatasetSpec:
    """One file of the data standard."""

    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()
    checks: Callable[[], list[Check]] | None = None
    derived: Callable[[], dict[str, pl.Expr]] | None = None
    drop_from_store: tuple[str, ...] = ()
    store_mode: StoreMode = StoreMode.PARTITIONS
    partition_by: tuple[str, ...] = ()  # what a re-import replaces: academy and period
    file_by: tuple[str, ...] | None = None  # store files (a prefix of partition_by; default all)
    year_column: str | None = None
    urn_column: str | None = "urn"
    trust_level: bool = False
    records: bool = False
    rules_text: tuple[str, ...] = ()
    store_schema_extra: dict[str, pl.DataType] = field(default_factory=dict)

    def column(self, name: str) -> Column:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def store_schema(self) -> dict[str, pl.DataType]:
        """Column name -> Polars type of the dataset in the analytical store."""
        schema = {
            c.name: c.dtype for c in self.columns if c.store and c.name not in self.drop_from_store
        }
        schema.update(self.store_schema_extra)
        return schema


# --- parsing: text cell -> typed value, and the mask of cells that do not parse -------------


def parse(column: Column) -> pl.Expr:
    """Typed value of ``column`` from its raw text (null where missing or invalid)."""
    text = raw(column.name)
    kind = column.kind
    if kind is Kind.INT:
        return text.cast(pl.Int64, strict=False)
    if kind is Kind.FLOAT:
        value = text.cast(pl.Float64, strict=False)
        return pl.when(value.is_finite()).then(value)
    if kind is Kind.DATE:
        return text.str.to_date("%Y-%m-%d", strict=False)
    if kind is Kind.FLAG:
        upper = text.str.to_uppercase()
        return pl.when(upper == "Y").then(True).when(upper == "N").then(False)
    if kind is Kind.CHOICE:
        mapping = {c.lower(): c for c in column.choices}
        return text.str.to_lowercase().replace_strict(mapping, default=None, return_dtype=pl.String)
    if kind is Kind.ACADEMIC_YEAR:
        return pl.when(academic_year_ok(text)).then(text)
    if kind is Kind.MONTH:
        return pl.when(text.str.contains(MONTH_RE)).then(text)
    if kind is Kind.PERIOD:
        return pl.when(academic_year_ok(text) | text.str.contains(MONTH_RE)).then(text)
    if kind is Kind.UPN:
        upper = text.str.to_uppercase()
        return pl.when(upper.str.contains(UPN_RE)).then(upper)
    return text


def academic_year_ok(text: pl.Expr) -> pl.Expr:
    """True for text like "2023/24" whose second part follows the first."""
    first = text.str.slice(0, 4).cast(pl.Int32, strict=False)
    second = text.str.slice(5, 2).cast(pl.Int32, strict=False)
    return text.str.contains(ACADEMIC_YEAR_RE) & ((first + 1) % 100 == second)


INVALID_REASON: dict[Kind, str] = {
    Kind.INT: "not a whole number",
    Kind.FLOAT: "not a number",
    Kind.DATE: "not a date written YYYY-MM-DD (ISO 8601), or no such day",
    Kind.FLAG: "not Y or N",
    Kind.ACADEMIC_YEAR: 'not an academic year written like "2023/24"',
    Kind.MONTH: 'not a month written like "2024-09"',
    Kind.PERIOD: 'not an academic year ("2024/25") or a month ("2024-09")',
    Kind.UPN: "not a UPN (a letter, 11 digits, then a digit or letter)",
}


def column_checks(column: Column) -> list[Check]:
    """The generic checks of one column: present, parses, allowed value, range, length."""
    name = column.name
    text, typed = raw(name), pl.col(name)
    checks: list[Check] = []
    if column.required:
        checks.append(Check(name, "missing value", lambda t=text: t.is_null()))
    if column.kind is Kind.CHOICE:
        reason = f"not an allowed value ({column.allowed_text()})"
        checks.append(Check(name, reason, lambda t=text, v=typed: t.is_not_null() & v.is_null()))
    elif column.kind in INVALID_REASON:
        reason = INVALID_REASON[column.kind]
        checks.append(Check(name, reason, lambda t=text, v=typed: t.is_not_null() & v.is_null()))
    if column.minimum is not None or column.maximum is not None:
        reason = f"out of range ({column.allowed_text()})"
        checks.append(
            Check(name, reason, lambda c=column: out_of_range(pl.col(c.name), c.minimum, c.maximum))
        )
    if column.max_length is not None:
        reason = f"longer than {column.max_length} characters"
        checks.append(
            Check(name, reason, lambda t=text, n=column.max_length: t.str.len_chars() > n)
        )
    return checks


def out_of_range(value: pl.Expr, minimum: float | None, maximum: float | None) -> pl.Expr:
    mask = pl.lit(False)
    if minimum is not None:
        mask = mask | (value < minimum)
    if maximum is not None:
        mask = mask | (value > maximum)
    return mask.fill_null(False)


def academic_year_of(date: pl.Expr) -> pl.Expr:
    """The English academic year (1 September to 31 August) containing ``date``, as "2023/24"."""
    start = date.dt.year() - (date.dt.month() < 9).cast(pl.Int32)
    return pl.format("{}/{}", start, ((start + 1) % 100).cast(pl.String).str.zfill(2))


def academic_year_of_month(month: pl.Expr) -> pl.Expr:
    """The academic year of a "YYYY-MM" month."""
    return academic_year_of(
        pl.concat_str([month, pl.lit("-01")]).str.to_date("%Y-%m-%d", strict=False)
    )

"""Vectorised validation of one table against its spec, with row-level errors.

Every rule is a boolean Polars expression over the frame of raw text (``raw__<column>``) and
typed columns; all rules' error counts are computed in one parallel pass, and only the rules
that fail are asked for their first rows (up to the report's remaining room). So a clean
million-row file costs one scan, and a bad one still gives file, row, column, value, reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

import polars as pl

from trustlens.ingest.readers import RawTable
from trustlens.ingest.report import Issue, Report
from trustlens.ingest.schema import (
    RAW,
    Check,
    Column,
    DatasetSpec,
    ForeignKey,
    Kind,
    column_checks,
    parse,
    raw,
)
from trustlens.ingest.standard import START_YEAR_COLUMNS

KEY_SEPARATOR = "\x1f"
#: Columns with at most this many distinct values are parsed value by value (see parse_column).
DICTIONARY_LIMIT = 50_000


@dataclass
class KeyContext:
    """What the import may refer to and who is importing.

    ``keys[(dataset, columns)]``: key values already held (records database or store) plus those
    of files validated earlier in the same import. ``allowed_urns`` is None for an unscoped (system)
    import, else the URNs the importer may write. ``pupils_in_scope``: existing pupils a scoped
    importer may change (those on the roll of an allowed academy) of ``existing_pupils`` (the
    pupils the records database holds); pupils new to the trust are always allowed. ``class_urns``: class_id -> URN, for class membership scope checks.
    """

    keys: dict[tuple[str, tuple[str, ...]], set] = field(default_factory=dict)
    allowed_urns: frozenset[int] | None = None
    pupils_in_scope: frozenset[str] | None = None
    existing_pupils: frozenset[str] = frozenset()
    class_urns: dict[str, int] = field(default_factory=dict)
    other_trust_urns: frozenset[int] = frozenset()
    trust_wide: bool = True

    def known(self, dataset: str, columns: tuple[str, ...]) -> set:
        return self.keys.setdefault((dataset, columns), set())

    def add(self, dataset: str, columns: tuple[str, ...], values: Iterable) -> None:
        self.known(dataset, columns).update(values)

    @property
    def scoped(self) -> bool:
        return self.allowed_urns is not None


@dataclass
class ValidatedTable:
    """A table that passed (or failed) validation, typed for loading."""

    source: str
    spec: DatasetSpec
    frame: pl.DataFrame  # typed columns (+ derived), no raw text
    errors: int


def check_header(table: RawTable, spec: DatasetSpec, report: Report) -> bool:
    """Required columns present, no duplicates; unknown columns are ignored with a warning."""
    assert table.frame is not None
    present = list(table.frame.columns)
    ok = True
    for name in present:
        if name.endswith(")") and " (" in name:
            report.error(
                table.source, "the header has this column twice", row=1, column=name.split(" (")[0]
            )
            ok = False
    for column in spec.columns:
        if column.name not in present and not column.optional_column:
            report.error(
                table.source,
                "missing column: the header row must name it",
                row=1,
                column=column.name,
            )
            ok = False
    unknown = [n for n in present if n not in spec.column_names and not n.endswith(")")]
    if unknown:
        report.warnings.append(
            f"{table.source}: column(s) {', '.join(unknown)} are not in the data standard and were ignored"
        )
    return ok


def prepare(table: RawTable, spec: DatasetSpec) -> pl.DataFrame:
    """Raw text columns (prefixed), the typed columns and the derived ones, in one frame."""
    assert table.frame is not None
    frame = table.frame
    raws = []
    for column in spec.columns:
        series = (
            frame[column.name]
            if column.name in frame.columns
            else pl.Series([None] * frame.height, dtype=pl.String)
        )
        if (spec.name, column.name) in START_YEAR_COLUMNS:
            series = pl.select(_start_year(pl.lit(series))).to_series()
        raws.append(series.alias(RAW + column.name))
    prepared = pl.DataFrame(raws, height=frame.height)
    prepared = prepared.with_columns(parse_column(prepared[RAW + c.name], c) for c in spec.columns)
    if spec.derived:
        prepared = prepared.with_columns(expr.alias(name) for name, expr in spec.derived().items())
    return prepared


def parse_column(text: pl.Series, column: Column) -> pl.Series:
    """Typed values of one column. Low-cardinality columns (years, terms, URNs, codes) are parsed
    once per distinct value and mapped back, which is several times faster on big files."""
    if column.kind is Kind.TEXT:
        return text.alias(column.name)
    distinct = text.unique()
    if len(distinct) > DICTIONARY_LIMIT or len(distinct) * 2 > len(text):
        return text.to_frame().select(parse(column).alias(column.name)).to_series()
    parsed = distinct.to_frame().select(parse(column).alias(column.name)).to_series()
    if parsed.dtype == text.dtype and parsed.equals(distinct, check_names=False):
        return text.alias(column.name)
    return text.replace_strict(distinct, parsed, default=None, return_dtype=parsed.dtype).alias(
        column.name
    )


def _start_year(text: pl.Expr) -> pl.Expr:
    """A plain start year "2025" -> "2025/26" (admissions entry year)."""
    year = text.cast(pl.Int32, strict=False)
    as_year = pl.format("{}/{}", year, ((year + 1) % 100).cast(pl.String).str.zfill(2))
    return pl.when(text.str.contains(r"^\d{4}$")).then(as_year).otherwise(text)


def all_checks(spec: DatasetSpec, context: KeyContext, frame: pl.DataFrame) -> list[Check]:
    checks: list[Check] = []
    for column in spec.columns:
        checks += column_checks(column)
    if spec.checks:
        checks += spec.checks()
    checks.append(duplicate_check(spec))
    checks += [foreign_key_check(fk, context, frame) for fk in spec.foreign_keys]
    checks += scope_checks(spec, context)
    return checks


def duplicate_check(spec: DatasetSpec) -> Check:
    reason = f"the same {', '.join(spec.key)} as an earlier row"

    def mask() -> pl.Expr:
        present = pl.all_horizontal(
            [pl.col(k).is_not_null() for k in spec.key if spec.column(k).required] or [pl.lit(True)]
        )
        return present & ~pl.struct(list(spec.key)).is_first_distinct()

    def distinct() -> pl.Expr:  # equal keys hash equal: all hashes distinct => no duplicates
        return pl.struct(list(spec.key)).hash().n_unique() == pl.len()

    value = (lambda: _joined(spec.key)) if len(spec.key) > 1 else None
    return Check(spec.key[0], reason, mask, value, duplicate_of=spec.key, cannot_fail=distinct)


def _joined(columns: Iterable[str]) -> pl.Expr:
    parts: list[pl.Expr] = []
    for i, name in enumerate(columns):
        parts += [pl.lit(("" if i == 0 else ", ") + f"{name}="), raw(name).fill_null("")]
    return pl.concat_str(parts)


def _key_expr(columns: tuple[str, ...]) -> pl.Expr:
    if len(columns) == 1:
        return pl.col(columns[0])
    return pl.concat_str([pl.col(c).cast(pl.String) for c in columns], separator=KEY_SEPARATOR)


def _key_values(values: set, columns: tuple[str, ...], dtype: pl.DataType) -> pl.Series:
    if len(columns) == 1:
        return pl.Series(list(values), dtype=dtype)
    return pl.Series(
        [KEY_SEPARATOR.join(str(v) for v in value) for value in values], dtype=pl.String
    )


def foreign_key_check(fk: ForeignKey, context: KeyContext, frame: pl.DataFrame) -> Check:
    known = context.known(fk.dataset, fk.target_columns)
    dtype = frame.schema[fk.columns[0]]
    series = _key_values(known, fk.columns, dtype)
    present = pl.all_horizontal([pl.col(c).is_not_null() for c in fk.columns])
    value = (lambda: _joined(fk.columns)) if len(fk.columns) > 1 else None
    return Check(
        fk.columns[0],
        fk.reason,
        lambda: present & ~_key_expr(fk.columns).is_in(series.implode()),
        value,
    )


def scope_checks(spec: DatasetSpec, context: KeyContext) -> list[Check]:
    """Rows a scoped importer may not write, and academies that belong to another trust."""
    checks: list[Check] = []
    if spec.name == "academies" and context.other_trust_urns:
        others = pl.Series(sorted(context.other_trust_urns), dtype=pl.Int64)
        checks.append(
            Check(
                "urn",
                "this URN belongs to an academy of another trust",
                lambda: pl.col("urn").is_in(others.implode()),
            )
        )
    if not context.scoped:
        return checks
    if spec.trust_level and not context.trust_wide:
        first = spec.columns[0].name
        checks.append(
            Check(
                first,
                "only a trust-wide importer can change this trust-level dataset",
                lambda: pl.lit(True),
            )
        )
    if spec.urn_column:
        allowed = pl.Series(sorted(context.allowed_urns or ()), dtype=pl.Int64)
        urn = pl.col(spec.urn_column)
        checks.append(
            Check(
                spec.urn_column,
                "academy outside your scope: you cannot import its data",
                lambda: urn.is_not_null() & ~urn.is_in(allowed.implode()),
            )
        )
    elif "pupil_id" in spec.column_names:
        checks.append(_pupil_scope_check(context))
    if spec.name == "class_members":
        checks.append(_class_scope_check(context))
    return checks


def _pupil_scope_check(context: KeyContext) -> Check:
    blocked = pl.Series(
        sorted(context.existing_pupils - (context.pupils_in_scope or frozenset())), dtype=pl.String
    )
    return Check(
        "pupil_id",
        "pupil on the roll of an academy outside your scope",
        lambda: pl.col("pupil_id").is_in(blocked.implode()),
    )


def _class_scope_check(context: KeyContext) -> Check:
    allowed = context.allowed_urns or frozenset()
    blocked = pl.Series(
        sorted(c for c, urn in context.class_urns.items() if urn not in allowed), dtype=pl.String
    )
    return Check(
        "class_id",
        "class of an academy outside your scope",
        lambda: pl.col("class_id").is_in(blocked.implode()),
    )


def run_checks(table: RawTable, frame: pl.DataFrame, checks: list[Check], report: Report) -> int:
    """Count every rule's failures in one pass, then fetch the first failing rows of each."""
    if frame.height == 0 or not checks:
        return 0
    first_pass = [
        (c.cannot_fail() if c.cannot_fail else c.mask().fill_null(False).sum()).alias(str(i))
        for i, c in enumerate(checks)
    ]
    counts = list(frame.select(first_pass).row(0))
    for i, check in enumerate(checks):
        if check.cannot_fail:
            counts[i] = 0 if counts[i] else frame.select(check.mask().fill_null(False).sum()).item()
    errors = 0
    for check, count in zip(checks, counts, strict=True):
        if count:
            errors += count
            _report_rows(table, frame, check, count, report)
    return errors


def _report_rows(
    table: RawTable, frame: pl.DataFrame, check: Check, count: int, report: Report
) -> None:
    room = report.room
    if room == 0:
        report.total_errors += count
        return
    value = check.value() if check.value else raw(check.column)
    indexed = frame.with_row_index("__row")
    first = (
        pl.col("__row").min().over(list(check.duplicate_of)) if check.duplicate_of else pl.lit(None)
    )
    rows = (
        indexed.with_columns(first.alias("__first"))
        .filter(check.mask().fill_null(False))
        .head(room)
        .select(pl.col("__row"), value.cast(pl.String).alias("__value"), pl.col("__first"))
    )
    for index, text, first_index in rows.iter_rows():
        reason = (
            check.reason
            if first_index is None
            else f"{check.reason} (row {first_index + table.first_row})"
        )
        report.add(Issue(table.source, index + table.first_row, check.column, text, reason))
    report.total_errors += count - rows.height


def validate_table(
    table: RawTable, spec: DatasetSpec, context: KeyContext, report: Report
) -> ValidatedTable | None:
    """Check one table; returns the typed frame (also when it has errors, for key look-ups)."""
    if table.frame is None or not check_header(table, spec, report):
        return None
    frame = prepare(table, spec)
    errors = run_checks(table, frame, all_checks(spec, context, frame), report)
    absent = {
        c.name for c in spec.columns if c.optional_column and c.name not in table.frame.columns
    }
    return ValidatedTable(
        table.source,
        spec,
        frame.select([c for c in typed_columns(spec) if c not in absent]),
        errors,
    )


def typed_columns(spec: DatasetSpec) -> list[str]:
    """The spec's columns then its derived columns, as in the typed frame."""
    derived = list(spec.derived()) if spec.derived else []
    return spec.column_names + [n for n in derived if n not in spec.column_names]

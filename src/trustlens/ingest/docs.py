"""The reference part of docs/data-standard.md, generated from the dataset specifications.

The file reference (columns, types, allowed values, keys, rules, what a re-import replaces) is
written from ``trustlens.ingest.standard.CORE_DATASETS`` between two marker lines of the doc, so
the doc cannot drift from the validator: ``tests/ingest/test_docs.py`` fails when they differ.
Regenerate with ``python -m trustlens.ingest.docs docs/data-standard.md``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trustlens.ingest.schema import Column, DatasetSpec, Kind, StoreMode
from trustlens.ingest.standard import CORE_DATASETS

BEGIN = "<!-- BEGIN GENERATED REFERENCE (python -m trustlens.ingest.docs docs/data-standard.md) -->"
END = "<!-- END GENERATED REFERENCE -->"

#: How each kind is written in a file.
KIND_TEXT: dict[Kind, str] = {
    Kind.TEXT: "text",
    Kind.INT: "whole number",
    Kind.FLOAT: "number",
    Kind.DATE: "date YYYY-MM-DD",
    Kind.FLAG: "flag Y/N",
    Kind.CHOICE: "one of the allowed values",
    Kind.ACADEMIC_YEAR: 'academic year "2023/24"',
    Kind.MONTH: 'month "2024-09"',
    Kind.PERIOD: 'academic year "2024/25" or month "2024-09"',
    Kind.UPN: "UPN (letter, 11 digits, digit or letter)",
}


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _required(column: Column) -> str:
    if column.optional_column:
        return "optional column"
    return "yes" if column.required else "may be blank"


def _allowed(column: Column) -> str:
    parts = [column.allowed_text()] if column.allowed_text() else []
    if column.max_length is not None:
        parts.append(f"at most {column.max_length} characters")
    return "; ".join(parts)


def _column_row(column: Column, spec: DatasetSpec) -> str:
    description = column.description
    if not column.store or column.name in spec.drop_from_store:
        description += " [not in the analytical store]"
    cells = [
        f"`{column.name}`",
        KIND_TEXT[column.kind],
        _required(column),
        _allowed(column),
        description,
    ]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _replaces(spec: DatasetSpec) -> str:
    if spec.store_mode is StoreMode.PARTITIONS and spec.partition_by:
        names = ", ".join(spec.partition_by)
        text = f"the rows held for the same {names} as rows in the file (other {names} values are kept)"
        derived = [c for c in spec.partition_by if c not in spec.column_names]
        if derived:
            text += f"; {', '.join(derived)} is worked out from the row's date or period"
        return text
    if spec.records:
        return "as the description above says"
    if spec.store_mode is StoreMode.SNAPSHOT:
        return f"rows with the same key ({', '.join(spec.key)}) are updated; other rows are kept"
    return "the whole dataset"


def _rules(spec: DatasetSpec) -> list[str]:
    rules = [f"No two rows with the same {', '.join(spec.key)}."]
    rules += [
        f"`{', '.join(fk.columns)}` must exist in `{fk.dataset}` (else: {fk.reason})."
        for fk in spec.foreign_keys
    ]
    seen: set[str] = set()
    for check in spec.checks() if spec.checks else []:
        text = f"`{check.column}` is wrong when: {check.reason}."
        if text not in seen:
            seen.add(text)
            rules.append(text)
    if not spec.checks:  # otherwise the checks' own reasons already say it
        rules += [f"{rule}." for rule in spec.rules_text]
    return rules


def render_dataset(spec: DatasetSpec) -> str:
    """The section of one dataset: description, key, replacement, columns and rules."""
    lines = [
        f"### `{spec.name}.csv`: {spec.title}",
        "",
        spec.description,
        "",
        f"- Key (unique in the file): {', '.join(f'`{k}`' for k in spec.key)}",
        f"- A re-import replaces: {_replaces(spec)}",
        "",
        "| column | type | required | allowed values | meaning |",
        "| --- | --- | --- | --- | --- |",
        *(_column_row(c, spec) for c in spec.columns),
        "",
        "Rules beyond each column's type and allowed values:",
        "",
        *(f"- {rule}" for rule in _rules(spec)),
        "",
    ]
    return "\n".join(lines)


def render_reference() -> str:
    """Every core dataset in import (dependency) order."""
    order = ", ".join(f"`{spec.name}`" for spec, _ in CORE_DATASETS)
    intro = f"Datasets in the order a folder is imported: {order}.\n"
    return "\n".join([intro, *(render_dataset(spec) for spec, _ in CORE_DATASETS)])


@dataclass(frozen=True)
class MarkedSection:
    """A generated part of a document: what ``render()`` returns, between two marker lines."""

    begin: str
    end: str
    render: Callable[[], str]

    def _bounds(self, document: str) -> tuple[int, int]:
        return document.index(self.begin) + len(self.begin), document.index(self.end)

    def generated(self, document: str) -> str:
        """The text between the markers of ``document`` (what ``render()`` must equal)."""
        start, stop = self._bounds(document)
        return document[start:stop].strip("\n")

    def rewrite(self, path: Path) -> None:
        """Replace what stands between the markers of the file at ``path`` with ``render()``."""
        document = path.read_text(encoding="utf-8")
        start, stop = self._bounds(document)
        body = document[:start] + "\n" + self.render().strip("\n") + "\n" + document[stop:]
        path.write_text(body, encoding="utf-8")


REFERENCE = MarkedSection(BEGIN, END, render_reference)
generated_section = REFERENCE.generated
rewrite = REFERENCE.rewrite

if __name__ == "__main__":  # pragma: no cover - a maintenance command
    rewrite(Path(sys.argv[1]))

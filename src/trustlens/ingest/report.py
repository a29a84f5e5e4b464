"""The validation report: every error names file, row, column, value and reason.

Rows are counted as a spreadsheet shows them: the header is row 1, the first data row is row 2.
The report keeps the first ``MAX_ISSUES`` errors and counts the rest, so a file with a million
bad rows still gives a short, useful report.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any

MAX_ISSUES = 1000


@dataclass(frozen=True)
class Issue:
    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def as_text(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "")
        where += f", column {self.column}" if self.column else ""
        value = f" {self.value!r}" if self.value not in (None, "") else ""
        return f"{where}:{value} {self.reason}".replace(": ", ": ", 1)


@dataclass
class FileSummary:
    """What one file holds: its dataset, rows and the partitions it replaces."""

    file: str
    dataset: str | None
    rows: int = 0
    errors: int = 0
    skipped_reason: str | None = None
    partitions: list[str] = field(default_factory=list)
    encoding: str | None = None


@dataclass
class Report:
    """The outcome of validating (and perhaps loading) one import."""

    files: list[FileSummary] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    total_errors: int = 0
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    loaded: bool = False
    max_issues: int = MAX_ISSUES

    @property
    def ok(self) -> bool:
        return self.total_errors == 0

    @property
    def truncated(self) -> bool:
        return self.total_errors > len(self.issues)

    @property
    def room(self) -> int:
        return max(self.max_issues - len(self.issues), 0)

    def add(self, issue: Issue, count: int = 1) -> None:
        """Record an error (``count`` > 1 when only the first of several is kept)."""
        if len(self.issues) < self.max_issues:
            self.issues.append(issue)
        self.total_errors += count

    def error(
        self,
        file: str,
        reason: str,
        row: int | None = None,
        column: str | None = None,
        value: Any = None,
    ) -> None:
        self.add(Issue(file, row, column, None if value is None else str(value), reason))

    def as_dict(self) -> dict:
        return {
            "ok": self.ok,
            "loaded": self.loaded,
            "total_errors": self.total_errors,
            "errors_shown": len(self.issues),
            "truncated": self.truncated,
            "files": [asdict(f) for f in self.files],
            "errors": [asdict(i) for i in self.issues],
            "warnings": list(self.warnings),
            "notes": list(self.notes),
        }

    def to_json(self, indent: int | None = 2) -> str:
        return json.dumps(self.as_dict(), indent=indent, default=str)

    @classmethod
    def from_dict(cls, data: dict) -> Report:
        report = cls(
            files=[FileSummary(**f) for f in data.get("files", [])],
            issues=[Issue(**i) for i in data.get("errors", [])],
            total_errors=data.get("total_errors", 0),
            warnings=list(data.get("warnings", [])),
            notes=list(data.get("notes", [])),
            loaded=data.get("loaded", False),
        )
        return report

    def summary_line(self) -> str:
        if self.ok:
            rows = sum(f.rows for f in self.files if f.skipped_reason is None)
            return f"{rows:,} valid rows in {len(self.datasets)} dataset(s)"
        shown = f" (first {len(self.issues):,} shown)" if self.truncated else ""
        return f"{self.total_errors:,} error(s){shown}: nothing was loaded"

    @property
    def datasets(self) -> list[str]:
        return [f.dataset for f in self.files if f.dataset and f.skipped_reason is None]

"""Writing the synthetic trust: CSV import files (polars) and truth.json.

Booleans are written Y/N and dates ISO 8601; nulls are blank cells. Each file is written to a
temporary name and renamed, so a half-written file never looks complete. Output is byte-identical
for the same arguments: rows are in a fixed order and nothing depends on the clock or the machine.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import polars as pl

#: The files, in the order they are written.
DATASETS = (
    "academies",
    "pupils",
    "enrolments",
    "classes",
    "class_members",
    "prior_attainment",
    "ks2",
    "ks4",
    "assessment_windows",
    "assessment_results",
    "attendance",
    "suspensions",
    "staff",
    "cover",
    "admissions",
    "finance",
    "safeguarding",
    "interventions",
    "intervention_pupils",
)

#: Called after each file is written with its dataset name and row count.
Progress = Callable[[str, int], None]


def as_text_flags(frame: pl.DataFrame) -> pl.DataFrame:
    """Boolean columns as "Y"/"N" text."""
    flags = [name for name, dtype in frame.schema.items() if dtype == pl.Boolean]
    return frame.with_columns(
        pl.when(pl.col(name))
        .then(pl.lit("Y"))
        .when(pl.col(name).not_())
        .then(pl.lit("N"))
        .alias(name)
        for name in flags
    )


class CsvWriter:
    """Writes datasets into ``out_dir`` and remembers their row counts."""

    def __init__(self, out_dir: Path, progress: Progress | None = None) -> None:
        self.out_dir = Path(out_dir)
        self.out_dir.mkdir(parents=True, exist_ok=True)
        self.progress = progress
        self.rows: dict[str, int] = {}

    def write(self, name: str, frame: pl.DataFrame) -> None:
        path = self.out_dir / f"{name}.csv"
        temp = path.with_suffix(".csv.tmp")
        as_text_flags(frame).write_csv(temp, date_format="%Y-%m-%d", line_terminator="\n")
        os.replace(temp, path)
        self.rows[name] = frame.height
        if self.progress is not None:
            self.progress(name, frame.height)

    def write_json(self, name: str, data: dict) -> None:
        path = self.out_dir / name
        temp = path.with_suffix(".json.tmp")
        temp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(temp, path)

"""Effect size to months' progress, with the EEF Teaching and Learning Toolkit's table.

Source: Education Endowment Foundation, "About the Toolkits: attainment" (the conversion
table from 0 months for -0.01 to 0.01 up to 12 months for 0.96 to 1.00), shipped as
``data/eef_months_progress_conversion.csv``. The EEF states that negative effect sizes convert
symmetrically, so a negative effect is looked up by its size and given a minus sign. Effect
sizes are rounded to two decimals first (the table's precision, which makes its rows
contiguous); anything above 1.00 is reported as 12 months, the top of the table.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

TABLE_PATH = Path(__file__).with_name("data") / "eef_months_progress_conversion.csv"


@dataclass(frozen=True)
class MonthsRow:
    """One row of the EEF table: effect sizes ``low`` to ``high`` are ``months`` of progress."""

    months: int
    low: float
    high: float
    description: str


@lru_cache(maxsize=1)
def conversion_table(path: Path = TABLE_PATH) -> tuple[MonthsRow, ...]:
    """The EEF conversion table, in order of months."""
    with path.open(newline="", encoding="utf-8") as handle:
        rows = [
            MonthsRow(
                months=int(row["months_progress"]),
                low=float(row["effect_size_from"]),
                high=float(row["effect_size_to"]),
                description=row["impact_description"],
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(rows, key=lambda r: r.months))


def _row_for(size: float) -> MonthsRow:
    """The table row for a non-negative effect size (already rounded to 2 decimals)."""
    table = conversion_table()
    for row in table:
        if size <= row.high + 1e-9:
            return row
    return table[-1]


def months_progress(effect_size: float | None) -> int | None:
    """Months' additional progress for an effect size; negative effects mirror the table."""
    if effect_size is None:
        return None
    size = round(abs(float(effect_size)), 2)
    months = _row_for(size).months
    return -months if effect_size < 0 and months else months


def impact_description(effect_size: float | None) -> str:
    """The EEF's words for the size of an effect ("Low impact", ...); negative say so."""
    if effect_size is None:
        return "Not evaluated"
    row = _row_for(round(abs(float(effect_size)), 2))
    if effect_size < 0 and row.months:
        return f"{row.description} (negative)".replace("impact (negative)", "negative impact")
    return row.description

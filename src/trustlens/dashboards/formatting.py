"""Figures as people read them: value, n, interval, trend, and suppression with GSS symbols.

Suppression (GSS symbols ``c`` confidential, ``x`` not available, ``z`` not applicable) uses
``trustlens.analytics.stats.suppression`` (``small_group_flags``, the row-wise form of
``suppress``); the dashboards apply it to every figure a
scope sees in aggregate only (trustees, and anything that leaves the trust: exports, network).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from trustlens.analytics.stats.suppression import (
    NOT_APPLICABLE,
    NOT_AVAILABLE,
    SUPPRESSED,
    small_group_flags,
)
from trustlens.dashboards.choices import MEASURES, Measure

#: What n counts, by measure (singular, plural); every other measure counts pupils.
N_UNITS = {
    "first_preferences": ("place", "places"),
    "cover_share": ("lesson", "lessons"),
    "staff_absence": ("staff", "staff"),
    "finance_balance": ("budget line", "budget lines"),
    "safeguarding": ("referral", "referrals"),
}
TOO_FEW = "too few pupils to rate"
#: Groups smaller than this show their shrunken (empirical-Bayes) estimate beside the raw one.
SMALL_GROUP = 30
SHRINKAGE_METHOD = "empirical Bayes (Morris 1983), towards this group across the trust's academies"

SYMBOL_TEXT = {
    SUPPRESSED: "c: suppressed (fewer than the threshold of pupils)",
    NOT_AVAILABLE: "x: not available",
    NOT_APPLICABLE: "z: not applicable",
}


@dataclass
class Cell:
    """One figure for display and export."""

    measure: str
    period: str = ""
    score: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    pupils: float | None = None
    band: str | None = None
    flag: str | None = None
    note: str = ""
    symbol: str = ""  #: "c", "x" or "z" when the value is withheld or missing
    previous: float | None = None
    previous_period: str = ""
    rag: str = "grey"
    reason: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def spec(self) -> Measure:
        return MEASURES[self.measure]

    @property
    def text(self) -> str:
        return self.symbol or fmt(self.measure, self.score)

    @property
    def interval_text(self) -> str:
        if self.symbol or self.ci_low is None or self.ci_high is None:
            return ""
        return f"{fmt(self.measure, self.ci_low, sign=False)} to {fmt(self.measure, self.ci_high, sign=False)}"

    @property
    def n_text(self) -> str:
        if self.pupils is None or (self.symbol == SUPPRESSED and self.spec.counts_only):
            return ""
        return f"{int(round(self.pupils)):,}"

    @property
    def n_label(self) -> str:
        """What n counts: "58 pupils", "13,204 lessons", "7 budget lines", "121 staff"."""
        if not self.n_text:
            return ""
        one, many = N_UNITS.get(self.measure, ("pupil", "pupils"))
        return f"{self.n_text} {one if self.n_text == '1' else many}"

    @property
    def too_few(self) -> bool:
        """A pupil-based figure for fewer pupils than the suppression threshold: shown to
        those who may see it, but never rated, flagged or given a change arrow."""
        return too_few_pupils(self)

    @property
    def change(self) -> float | None:
        """The change since the previous period, of the figures as printed (rounded)."""
        if self.symbol or self.score is None or self.previous is None or self.too_few:
            return None
        return rounded(self.measure, self.score) - rounded(self.measure, self.previous)

    @property
    def trend_text(self) -> str:
        change = self.change
        if change is None:
            return ""
        arrow = "up" if change > 0 else "down" if change < 0 else "no change"
        size = change_size(self.measure, abs(change))
        if rounded(self.measure, change) == 0:
            return f"no change since {self.previous_period}"
        return f"{arrow} {size} since {self.previous_period}"

    @property
    def shrunk(self) -> dict | None:
        """The empirical-Bayes estimate of a small group (fewer than ``SMALL_GROUP`` pupils),
        shown beside the raw figure; never for a withheld figure."""
        found = self.extra.get("shrunk")
        if not found or self.symbol or self.pupils is None or self.pupils >= SMALL_GROUP:
            return None
        return found

    @property
    def available(self) -> bool:
        return not self.symbol and self.score is not None

    def as_dict(self) -> dict[str, Any]:
        return {
            "measure": self.measure,
            "period": self.period,
            "value": self.text,
            "score": None if self.symbol else self.score,
            "ci_low": None if self.symbol else self.ci_low,
            "ci_high": None if self.symbol else self.ci_high,
            "pupils": self.pupils,
            "band": self.band,
            "rag": self.rag,
            "reason": self.reason,
        }


def too_few_pupils(cell: Cell, threshold: int | None = None) -> bool:
    """True when a pupil-based cell's n is under the suppression threshold (settings)."""
    if cell.pupils is None or not cell.spec.pupil_based or cell.spec.counts_only:
        return False
    if threshold is None:
        from django.conf import settings

        threshold = settings.SUPPRESSION_THRESHOLD
    return cell.pupils < threshold


def decimals_of(measure: str) -> int:
    """The decimals a measure is printed with (money: whole pounds)."""
    spec = MEASURES[measure]
    return 0 if spec.unit == "gbp" else spec.decimals


def rounded(measure: str, value: float) -> float:
    """``value`` as printed: rounded to the measure's decimals, and never -0 (so words such as
    "wholly below 0" are decided on the figure a reader sees)."""
    return round(value, decimals_of(measure)) + 0.0


def fmt(measure: str, value: float | None, sign: bool = True) -> str:
    """Format a number in the measure's unit ("+0.25", "93.8%", "£12,300", "-£5,000").

    The value is rounded first, so a figure that rounds to zero prints as 0, never -0."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NOT_AVAILABLE
    spec = MEASURES[measure]
    d = spec.decimals
    value = rounded(measure, value)
    if spec.unit == "gbp":
        return f"{'-' if value < 0 else ''}£{abs(value):,.0f}"
    if spec.unit == "percent":
        return f"{value:.{d}f}%"
    if (spec.progress or spec.unit == "pp" or spec.measure_is_gap) and sign:
        return f"{value:+.{d}f}"
    if spec.unit == "count":
        return f"{value:,.0f}"
    return f"{value:.{d}f}"


def change_size(measure: str, change: float) -> str:
    """A difference in the measure's unit: a change of a percentage is in percentage points
    ("8 percentage points", never "8%"), otherwise as the figure prints."""
    if MEASURES[measure].unit in ("percent", "pp"):
        d = MEASURES[measure].decimals
        value = rounded(measure, change)
        return f"{value:.{d}f} percentage point{'' if value == 1 else 's'}"
    return fmt(measure, change, sign=False)


def cell_from(row: dict | None, measure: str, previous: dict | None = None) -> Cell:
    """A Cell from a facts row (dict) and the previous period's row."""
    if row is None:
        return Cell(measure=measure, symbol=NOT_AVAILABLE)
    cell = Cell(
        measure=measure,
        period=row["period"],
        score=_num(row["score"]),
        ci_low=_num(row["ci_low"]),
        ci_high=_num(row["ci_high"]),
        pupils=_num(row["pupils"]),
        band=row.get("band"),
        flag=row.get("flag"),
        note=row.get("note") or "",
    )
    if cell.score is None:
        cell.symbol = NOT_AVAILABLE
    if previous is not None:
        cell.previous, cell.previous_period = _num(previous["score"]), previous["period"]
    shrunk = _num(row.get("shrunk"))
    if shrunk is not None:
        low, high = _num(row.get("shrunk_low")), _num(row.get("shrunk_high"))
        reliability = _num(row.get("reliability")) or 0.0
        interval = f"{fmt(measure, low, sign=False)} to {fmt(measure, high, sign=False)}"
        if reliability < 0.01:  # no spread between academies detected: the pooled mean
            interval = "the academies' pooled mean: no difference between academies detected"
        cell.extra["shrunk"] = {
            "text": fmt(measure, shrunk),
            "interval": interval,
            "reliability": f"{reliability:.2f}",
            "method": SHRINKAGE_METHOD,
        }
    return cell


def _num(value: Any) -> float | None:
    if value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number


def suppress_cells(cells: list[Cell], threshold: int) -> list[Cell]:
    """Withhold every pupil-based cell whose n is under ``threshold`` (``c``), with the
    analytics helper; staff, lesson and finance figures identify no pupil and stay.

    Counts of events (safeguarding) are withheld as counts when between 1 and threshold - 1.
    Row-wise (a few cells per call), so it uses the plain-Python form of the rule
    (``small_group_flags``, the same test as ``suppress``), not a DataFrame per row.
    """
    cells_in = cells
    cells = [c for c in cells if c.spec.pupil_based]
    if not cells:
        return cells_in
    counts = [c for c in cells if c.spec.counts_only]
    hidden = small_group_flags([c.pupils for c in cells], threshold)
    for cell, flag in zip(cells, hidden, strict=True):
        if cell.spec.counts_only:
            continue
        if flag and not cell.symbol:
            _withhold(cell)
    if counts:
        _suppress_counts(counts, threshold)
    return cells_in


def _suppress_counts(cells: list[Cell], threshold: int) -> None:
    values = [c.score if c.score is not None else 0 for c in cells]
    values = [threshold if v == 0 else v for v in values]  # a zero count discloses no one
    for cell, flag in zip(cells, small_group_flags(values, threshold), strict=True):
        if flag and not cell.symbol:
            _withhold(cell)


def _withhold(cell: Cell) -> None:
    cell.symbol = SUPPRESSED
    cell.score = cell.ci_low = cell.ci_high = cell.previous = None
    cell.band = cell.flag = None
    cell.rag, cell.reason = (
        "grey",
        f"Suppressed: fewer than the threshold of pupils ({SYMBOL_TEXT[SUPPRESSED]}).",
    )

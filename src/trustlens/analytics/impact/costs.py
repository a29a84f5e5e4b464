"""Cost per pupil and per month of progress (EEF Toolkit cost rating, *Guidance on cost
evaluation*, 2019: the cost per pupil of delivering the approach, fixed costs spread over the
pupils who took part)."""

from __future__ import annotations

from dataclasses import dataclass

NO_PROGRESS_TO_COST = "no progress to cost"


@dataclass(frozen=True)
class Costs:
    """Cost per pupil, and per month of progress when there was progress."""

    per_pupil: float | None
    per_month: float | None
    note: str

    def to_dict(self) -> dict:
        return {
            "cost_per_pupil": None if self.per_pupil is None else round(self.per_pupil, 2),
            "cost_per_month": None if self.per_month is None else round(self.per_month, 2),
            "cost_note": self.note,
        }


def cost_per_pupil(cost_fixed: float, cost_per_pupil_: float, n_pupils: int) -> float | None:
    """cost_fixed / n + cost_per_pupil, over the pupils who took part (None with no pupils)."""
    if n_pupils <= 0:
        return None
    return float(cost_fixed) / n_pupils + float(cost_per_pupil_)


def costs(
    cost_fixed: float,
    cost_per_pupil_: float,
    n_pupils: int,
    months: int | None,
    interval_includes_zero: bool = False,
) -> Costs:
    """Cost per pupil and, only when months > 0, cost per pupil per month of progress.

    When the effect's 95% CI includes zero the cost per month is still the estimate's, but the
    note says that the interval includes no progress at all (so it may have bought none).
    """
    per_pupil = cost_per_pupil(cost_fixed, cost_per_pupil_, n_pupils)
    if per_pupil is None:
        return Costs(None, None, "no participants to cost")
    if months is None:
        return Costs(per_pupil, None, "not evaluated: no progress to cost yet")
    if months <= 0:
        return Costs(per_pupil, None, NO_PROGRESS_TO_COST)
    note = f"£{per_pupil / months:,.2f} per pupil per month of progress"
    if interval_includes_zero:
        note += " at the estimate (the interval includes no progress)"
    return Costs(per_pupil, per_pupil / months, note)

"""Place planning: pupil numbers per planning area by cohort survival, with an interval.

Method: cohort survival ratios (the "grade progression ratio" method councils use for the
DfE's school capacity survey, SCAP: DfE, *School capacity survey: guide for local
authorities*, and Shaw, Lucas & Pryke, "Pupil projection methods", LGA 2016). The ratio of a
cohort's size in year group ``g + 1`` in year ``t + 1`` to its size in ``g`` in ``t`` is taken
for every pair of consecutive years held; a cohort is rolled forward by the ratios of its
year groups, and the entry year group (Reception for primaries, Year 7 where an area has no
feeder year 6) by the mean of the intakes held (councils use ONS births and GP registrations
for this, which the trust does not hold).

Interval: from the ratios' spread. Each transition's log ratios give a mean and a standard
deviation over the ``k`` years held; a future year's log ratio is drawn from the predictive
distribution ``mean + sd * sqrt(1 + 1/k) * t_(k-1)`` (the prediction interval of a normal
sample, e.g. Hahn & Meeker, *Statistical Intervals*, 1991, section 4.7), independently per
year, and the intake the same way from the log intakes. The forecast is the median of the
simulated totals and the interval their central ``level`` quantiles. A backtest (forecasting
years already known from the years before them) checks that the interval covers the outcome
about as often as it says (``tests/analytics/test_planning.py``).

The roll is counted on census day (1 October, the autumn census week's nearest fixed date):
``enrolments`` record the year group on the last day on roll (today for pupils on roll), so
the year group on an earlier census is that year group less the years between.

Only counts per (planning area, year, year group) leave this module's roll step.
Pure Python: no Django.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import ibis
import numpy as np
import pandas as pd

from trustlens.analytics import engine

CENSUS_MONTH, CENSUS_DAY = 10, 1
DEFAULT_LEVEL = 0.8
DEFAULT_HORIZON = 5


def start_year(academic_year: str) -> int:
    """2023 for "2023/24"."""
    return int(academic_year.split("/")[0])


def year_label(start: int) -> str:
    """ "2023/24" for 2023."""
    return f"{start}/{(start + 1) % 100:02d}"


def census_roll(enrolments: ibis.Table, years: Iterable[int], today: dt.date) -> pd.DataFrame:
    """Pupils on roll on each census day: columns urn, year (start year), year_group, pupils.

    ``today`` is the day the open spells' year group refers to (the data's extract date)."""
    today_year = today.year - (today.month < 9)
    parts = []
    for year in years:
        census = dt.date(year, CENSUS_MONTH, CENSUS_DAY)
        on = (enrolments.start_date <= census) & (
            enrolments.end_date.isnull() | (enrolments.end_date >= census)
        )
        last = enrolments.end_date.fill_null(today)
        last_year = last.year() - (last.month() < 9).cast("int64")
        last_year = enrolments.end_date.isnull().ifelse(today_year, last_year)
        rows = enrolments.filter(on).mutate(
            year=ibis.literal(year), year_group=enrolments.year_group - (last_year - year)
        )
        parts.append(
            rows.group_by(["urn", "year", "year_group"]).agg(pupils=rows.pupil_id.nunique())
        )
    if not parts:
        return pd.DataFrame(columns=["urn", "year", "year_group", "pupils"])
    return engine.execute(ibis.union(*parts))


def area_roll(roll: pd.DataFrame, area_of: Mapping[int, str]) -> pd.DataFrame:
    """Counts per planning area, year and year group (academies outside ``area_of`` dropped)."""
    frame = roll.assign(area=roll["urn"].map(area_of)).dropna(subset=["area"])
    return frame.groupby(["area", "year", "year_group"], as_index=False)["pupils"].sum()


@dataclass(frozen=True)
class Forecast:
    """One planning area's forecast total for one future year, with its interval."""

    area: str
    year: int
    pupils: float
    low: float
    high: float
    level: float


def _matrix(roll: pd.DataFrame) -> pd.DataFrame:
    """years x year groups (0 where an area had nobody in a year group it teaches)."""
    return roll.pivot_table(
        index="year", columns="year_group", values="pupils", aggfunc="sum", fill_value=0
    ).sort_index()


def _log_ratios(matrix: pd.DataFrame) -> dict[int, np.ndarray]:
    """Each year group's log survival ratios into the next year group, year on year."""
    ratios = {}
    groups = list(matrix.columns)
    for g, nxt in zip(groups[:-1], groups[1:], strict=True):
        if nxt != g + 1:
            continue
        before = matrix[g].to_numpy()[:-1].astype(float)
        after = matrix[nxt].to_numpy()[1:].astype(float)
        ok = (before > 0) & (after > 0)
        ratios[nxt] = np.log(after[ok] / before[ok])
    return ratios


def _draw(values: np.ndarray, size: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    """Predictive draws for a new value of a normal sample (``mean + sd sqrt(1+1/k) t_(k-1)``)."""
    k = len(values)
    if k == 0:
        return np.zeros(size)
    mean = float(values.mean())
    if k < 2:
        return np.full(size, mean)
    sd = float(values.std(ddof=1))
    return mean + sd * np.sqrt(1 + 1 / k) * rng.standard_t(k - 1, size=size)


def simulate(
    roll: pd.DataFrame, horizon: int = DEFAULT_HORIZON, draws: int = 4000, seed: int = 0
) -> tuple[list[int], np.ndarray]:
    """Simulated future totals of one area: (future years, draws x horizon array)."""
    matrix = _matrix(roll)
    rng = np.random.default_rng(seed)
    groups = list(matrix.columns)
    ratios = _log_ratios(matrix)
    current = {g: np.full(draws, float(matrix[g].iloc[-1])) for g in groups}
    totals = np.zeros((draws, horizon))
    for h in range(horizon):
        following = {}
        for g in groups:
            if g in ratios:
                prior = current.get(g - 1, np.zeros(draws))
                following[g] = prior * np.exp(_draw(ratios[g], (draws,), rng))
            else:
                intake = matrix[g].to_numpy().astype(float)
                following[g] = np.exp(_draw(np.log(intake[intake > 0]), (draws,), rng))
        current = following
        totals[:, h] = sum(current.values())
    last = int(matrix.index[-1])
    return [last + h + 1 for h in range(horizon)], totals


def forecast_area(
    area: str,
    roll: pd.DataFrame,
    horizon: int = DEFAULT_HORIZON,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> list[Forecast]:
    """Median forecast and central ``level`` interval of the area's total, per future year."""
    years, totals = simulate(roll, horizon, seed=seed)
    tail = (1 - level) / 2
    low, mid, high = np.quantile(totals, [tail, 0.5, 1 - tail], axis=0)
    return [
        Forecast(area, y, float(m), float(lo), float(hi), level)
        for y, m, lo, hi in zip(years, mid, low, high, strict=True)
    ]


def forecast(
    rolls: pd.DataFrame,
    horizon: int = DEFAULT_HORIZON,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> list[Forecast]:
    """Every planning area of ``rolls`` (area, year, year_group, pupils)."""
    out = []
    for area, part in rolls.groupby("area", sort=True):
        out.extend(forecast_area(str(area), part, horizon, level, seed))
    return out


def places(
    forecasts: list[Forecast], capacity: Mapping[str, int], observed: Mapping[str, int]
) -> pd.DataFrame:
    """Surplus (positive) or shortfall (negative) of places per area and year, with the
    interval from the forecast's: capacity minus the high forecast is the low surplus."""
    rows = []
    for f in forecasts:
        cap = capacity.get(f.area)
        rows.append(
            {
                "area": f.area,
                "academic_year": year_label(f.year),
                "on_roll_now": observed.get(f.area),
                "forecast": round(f.pupils),
                "low": round(f.low),
                "high": round(f.high),
                "capacity": cap,
                "surplus": None if cap is None else cap - round(f.pupils),
                "surplus_low": None if cap is None else cap - round(f.high),
                "surplus_high": None if cap is None else cap - round(f.low),
                "level": f.level,
            }
        )
    return pd.DataFrame(rows)


def backtest(
    rolls: pd.DataFrame,
    min_years: int = 4,
    horizon: int = 2,
    level: float = DEFAULT_LEVEL,
    seed: int = 0,
) -> pd.DataFrame:
    """Rolling-origin backtest: from every origin with at least ``min_years`` years held,
    forecast the next ``horizon`` known years of each area from the years up to the origin
    alone. One row per area, origin and held-out year: actual, low, high, covered."""
    rows = []
    for area, part in rolls.groupby("area", sort=True):
        actual = part.groupby("year")["pupils"].sum()
        years = sorted(actual.index)
        for origin in years[min_years - 1 : -1]:
            known = part[part["year"] <= origin]
            ahead = min(horizon, years[-1] - origin)
            for f in forecast_area(str(area), known, ahead, level, seed):
                value = float(actual[f.year])
                rows.append(
                    {
                        "area": area,
                        "origin": origin,
                        "year": f.year,
                        "horizon": f.year - origin,
                        "actual": value,
                        "low": f.low,
                        "high": f.high,
                        "covered": bool(f.low <= value <= f.high),
                    }
                )
    return pd.DataFrame(rows)

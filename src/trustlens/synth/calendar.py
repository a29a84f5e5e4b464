"""The synthetic trust's calendar: academic years, terms, assessment windows, census days.

Academic years run 1 September to 31 August and are written "2023/24"; a year is held as its
start year (2023). Term dates are typical English ones (autumn early September to just before
Christmas, spring January to Easter, summer mid April to late July); the January census day is the
third Thursday of January (DfE school census guide).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import polars as pl

from trustlens.synth import parameters as params

TERMS = ("autumn", "spring", "summer")
NAT = np.datetime64("NaT", "D")

#: (month, day) of each term's first and last day, and its academic-year offset (0 or 1).
_TERM_BOUNDS = {
    "autumn": ((9, 3), (12, 18), 0),
    "spring": ((1, 5), (3, 27), 1),
    "summer": ((4, 14), (7, 21), 1),
}
#: Assessment windows (opens, closes) within each term.
_WINDOW_BOUNDS = {
    "autumn": ((11, 2), (11, 20), 0),
    "spring": ((3, 1), (3, 19), 1),
    "summer": ((6, 14), (7, 2), 1),
}


def year_label(start_year: int) -> str:
    """'2023/24' for start year 2023."""
    return f"{start_year}/{(start_year + 1) % 100:02d}"


def labels(values: list[str] | tuple[str, ...], codes: np.ndarray) -> pl.Series:
    """``values[code]`` for each code, as a string column (gathered in polars, fast)."""
    return pl.Series(list(values), dtype=pl.String).gather(np.asarray(codes, dtype=np.int64))


def year_labels(years: np.ndarray) -> pl.Series:
    """'2023/24' labels for an array of start years."""
    years = np.asarray(years, dtype=np.int64)
    low, high = int(years.min(initial=2000)), int(years.max(initial=2000))
    return labels([year_label(y) for y in range(low, high + 1)], years - low)


def _weekday_on_or_after(day: dt.date) -> dt.date:
    return day + dt.timedelta(days=max(0, 7 - day.weekday()) if day.weekday() >= 5 else 0)


def _bounds(start_year: int, spec: tuple) -> tuple[dt.date, dt.date]:
    (m1, d1), (m2, d2), offset = spec
    year = start_year + offset
    return _weekday_on_or_after(dt.date(year, m1, d1)), dt.date(year, m2, d2)


def term_dates(start_year: int, term: str) -> tuple[dt.date, dt.date]:
    """First and last day of ``term`` in the academic year starting ``start_year``."""
    return _bounds(start_year, _TERM_BOUNDS[term])


def window_dates(start_year: int, term: str) -> tuple[dt.date, dt.date]:
    """Opening and closing day of the trust's assessment window in ``term``."""
    return _bounds(start_year, _WINDOW_BOUNDS[term])


def census_date(start_year: int) -> dt.date:
    """Spring census day: the third Thursday of January."""
    first = dt.date(start_year + 1, 1, 1)
    return first + dt.timedelta(days=(3 - first.weekday()) % 7 + 14)


def ks2_test_date(start_year: int) -> dt.date:
    """A day in the KS2 test week (mid May)."""
    return dt.date(start_year + 1, 5, 12)


@dataclass(frozen=True)
class Calendar:
    """The years the trust's history covers: ``history`` complete years, then the current one."""

    history_years: int = params.DEFAULT_YEARS
    current: int = params.CURRENT_YEAR
    today: dt.date = params.TODAY

    @property
    def first(self) -> int:
        return self.current - self.history_years

    @property
    def history(self) -> list[int]:
        return list(range(self.first, self.current))

    @property
    def years(self) -> list[int]:
        return list(range(self.first, self.current + 1))

    @property
    def today64(self) -> np.datetime64:
        return np.datetime64(self.today, "D")

    def year_start(self, years: np.ndarray) -> np.ndarray:
        """First day of the autumn term for each start year in ``years``."""
        return _lookup(years, lambda y: term_dates(y, "autumn")[0])

    def year_end(self, years: np.ndarray) -> np.ndarray:
        """Last day of the summer term for each start year in ``years``."""
        return _lookup(years, lambda y: term_dates(y, "summer")[1])


def _lookup(years: np.ndarray, fn) -> np.ndarray:
    years = np.asarray(years, dtype=np.int64)
    low, high = int(years.min(initial=2000)), int(years.max(initial=2000))
    table = np.array([np.datetime64(fn(y), "D") for y in range(low, high + 1)])
    return table[years - low]


def random_school_days(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One uniform weekday in [start, end] per element (weekends roll back to the Friday)."""
    span = (end - start).astype(np.int64)
    offsets = np.floor(rng.random(len(start)) * (span + 1)).astype(np.int64)
    days = start + offsets.astype("timedelta64[D]")
    return np.maximum(np.busday_offset(days, 0, roll="backward"), start)

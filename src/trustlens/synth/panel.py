"""Pupil-years and pupil-terms on roll: the frame every termly dataset is drawn on.

A pupil-year is one spell's part of one academic year in the history (first day on roll in that
year to last, or today); a pupil-term adds the share of the term's days on roll, so possible
attendance sessions, suspensions and assessment windows follow each pupil's real time on roll.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from trustlens.synth.calendar import TERMS, Calendar, term_dates, window_dates
from trustlens.synth.columns import Columns
from trustlens.synth.pupils import Pupils
from trustlens.synth.roll import Spells, academic_year


@dataclass
class PupilYears(Columns):
    spell: np.ndarray
    pupil: np.ndarray
    academy: np.ndarray
    year: np.ndarray
    year_group: np.ndarray
    first_day: np.ndarray
    last_day: np.ndarray  #: last day on roll in the year, or today

    def __len__(self) -> int:
        return len(self.pupil)


@dataclass
class PupilTerms:
    row: np.ndarray  #: index into PupilYears
    term: np.ndarray  #: index into TERMS
    share: np.ndarray  #: share of the whole term's days on roll (to today for the current term)
    in_window: np.ndarray  #: on roll on the term's assessment window opening day

    def __len__(self) -> int:
        return len(self.row)


def pupil_years(calendar: Calendar, spells: Spells, pupils: Pupils) -> PupilYears:
    """Every (spell, academic year) on roll within the history and the current year."""
    last = np.where(np.isnat(spells.end), calendar.today64, spells.end)
    y0 = np.maximum(academic_year(spells.start), calendar.first)
    y1 = np.minimum(academic_year(last), calendar.current)
    count = np.maximum(y1 - y0 + 1, 0)
    spell = np.repeat(np.arange(len(spells)), count)
    offset = np.arange(len(spell)) - np.repeat(np.cumsum(count) - count, count)
    year = y0[spell] + offset
    first_day = np.maximum(spells.start[spell], calendar.year_start(year))
    last_day = np.minimum(last[spell], calendar.year_end(year))
    keep = first_day <= last_day
    pupil = spells.pupil[spell]
    frame = PupilYears(
        spell=spell,
        pupil=pupil,
        academy=spells.academy[spell],
        year=year,
        year_group=year - pupils.cohort[pupil],
        first_day=first_day,
        last_day=last_day,
    )
    return frame.take(np.flatnonzero(keep))


def pupil_terms(calendar: Calendar, years: PupilYears) -> PupilTerms:
    """Every pupil-year x term with some days on roll, up to today."""
    rows, terms, shares, windows = [], [], [], []
    for t, term in enumerate(TERMS):
        start = _dates(years.year, lambda y, term=term: term_dates(y, term)[0])
        end = _dates(years.year, lambda y, term=term: term_dates(y, term)[1])
        opens = _dates(years.year, lambda y, term=term: window_dates(y, term)[0])
        stop = np.minimum(end, calendar.today64)
        days = (np.minimum(years.last_day, stop) - np.maximum(years.first_day, start)).astype(
            np.int64
        ) + 1
        length = (end - start).astype(np.int64) + 1
        keep = np.flatnonzero(days > 0)
        rows.append(keep)
        terms.append(np.full(len(keep), t, dtype=np.int64))
        shares.append(days[keep] / length[keep])
        on_roll = (
            (years.first_day <= opens) & (opens <= years.last_day) & (opens <= calendar.today64)
        )
        windows.append(on_roll[keep])
    return PupilTerms(*(np.concatenate(x) for x in (rows, terms, shares, windows)))


def _dates(years: np.ndarray, fn) -> np.ndarray:
    low = int(years.min(initial=2000))
    table = np.array(
        [np.datetime64(fn(y), "D") for y in range(low, int(years.max(initial=2000)) + 1)]
    )
    return table[years - low]

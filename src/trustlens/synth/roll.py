"""Rolls: who joins each academy, when, and how they leave (mobility and the off-rolling signal).

Each academy takes a cohort into Reception or Year 7 every September; a few percent of pupils join
or leave mid-course each year (DfE pupil mobility: about 3-4% a year). Leavers get a census-style
reason; one secondary has a planted excess of unexplained exits (reason unknown, some elective home
education) in Years 10 and 11, more often of disadvantaged, SEN and low prior attainment pupils:
the pattern the Education Policy Institute describes as possible off-rolling.
Trust primaries' Year 6 leavers move on to a trust secondary in their region with probability
``TRUST_TRANSITION`` and keep their pupil_id.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, fields

import numpy as np

from trustlens.standard_codes import LEAVING_REASONS
from trustlens.synth import parameters as params
from trustlens.synth.calendar import NAT, Calendar, random_school_days
from trustlens.synth.columns import Columns
from trustlens.synth.organisation import COURSE, FIRST_YEAR_GROUP, Academies

REASON = {name: i for i, name in enumerate(LEAVING_REASONS)}
#: Share of mid-course joiners who arrive from abroad (no UPN yet, often EAL).
FROM_ABROAD = 0.3


@dataclass
class Spells(Columns):
    """One row per pupil per spell at an academy."""

    pupil: np.ndarray
    academy: np.ndarray
    start: np.ndarray
    end: np.ndarray  #: NaT while on roll
    reason: np.ndarray  #: index into LEAVING_REASONS, -1 while on roll

    def __len__(self) -> int:
        return len(self.pupil)


@dataclass
class Entrants:
    """Pupils starting a spell: where, which course (base year), at which course year, when."""

    academy: np.ndarray
    base: np.ndarray  #: start year of the course's first year (Reception or Y7)
    k0: np.ndarray  #: course year at entry (0 = Reception / Y7)
    start: np.ndarray
    late: np.ndarray  #: arrived from abroad

    @staticmethod
    def concat(parts: list[Entrants]) -> Entrants:
        return Entrants(
            **{
                f.name: np.concatenate([getattr(p, f.name) for p in parts])
                for f in fields(Entrants)
            }
        )

    def take(self, index: np.ndarray) -> Entrants:
        return Entrants(**{f.name: getattr(self, f.name)[index] for f in fields(Entrants)})


def cohorts(rng: np.random.Generator, calendar: Calendar, academies: Academies, phase: str):
    """Every (academy, course base year, intake size) whose course overlaps the history."""
    idx = academies.indices(phase)
    bases = np.arange(calendar.first - COURSE[phase] + 1, calendar.current + 1)
    academy = np.repeat(idx, len(bases))
    base = np.tile(bases, len(idx))
    wobble = np.clip(rng.normal(1, 0.05, len(academy)), 0.8, 1.2)
    return academy, base, rng.poisson(academies.cohort_size[academy] * wobble)


def founders(
    calendar: Calendar, academy: np.ndarray, base: np.ndarray, size: np.ndarray
) -> Entrants:
    """The September intake of each cohort."""
    academy, base = np.repeat(academy, size), np.repeat(base, size)
    n = len(academy)
    return Entrants(
        academy, base, np.zeros(n, np.int64), calendar.year_start(base), np.zeros(n, bool)
    )


def joiners(
    rng: np.random.Generator, calendar: Calendar, phase: str, academy, base, size
) -> Entrants:
    """Mid-course joiners: about as many as leave, fewer in the last year of the phase."""
    length = COURSE[phase]
    g_academy, g_base = np.repeat(academy, length), np.repeat(base, length)
    g_k = np.tile(np.arange(length), len(academy))
    scale = np.where((g_k == 0) | (g_k == length - 1), 0.5, 1.0)
    count = rng.poisson(params.EXIT_HAZARD[phase] * np.repeat(size, length) * scale)
    keep = (g_base + g_k) <= calendar.current
    count = np.where(keep, count, 0)
    a, b, k = (np.repeat(x, count) for x in (g_academy, g_base, g_k))
    year = b + k
    start = random_school_days(rng, calendar.year_start(year), calendar.year_end(year))
    late = rng.random(len(a)) < FROM_ABROAD
    entrants = Entrants(a, b, k, start, late)
    return entrants.take(np.flatnonzero(start <= calendar.today64))


def exits(
    rng: np.random.Generator,
    calendar: Calendar,
    phase: str,
    entrants: Entrants,
    offroll_weight: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """End date and reason of each entrant's spell (NaT / -1 while on roll)."""
    n = len(entrants.start)
    end, reason = np.full(n, NAT), np.full(n, -1, dtype=np.int8)
    active = np.ones(n, dtype=bool)
    hazard = params.EXIT_HAZARD[phase]
    normal_p = tuple(zip(params.EXIT_REASONS, params.EXIT_REASON_P[phase], strict=True))
    for k in range(COURSE[phase]):
        year = entrants.base + k
        year_group = FIRST_YEAR_GROUP[phase] + k
        extra = (
            params.OFFROLL_EXTRA_HAZARD * offroll_weight
            if year_group in params.OFFROLL_YEAR_GROUPS
            else 0.0
        )
        u = rng.random(n)
        day = random_school_days(
            rng, np.maximum(entrants.start, calendar.year_start(year)), calendar.year_end(year)
        )
        leave = active & (k >= entrants.k0) & (year <= calendar.current) & (u < hazard + extra)
        leave &= (day < calendar.today64) & (day > entrants.start)
        why = np.where(
            u < hazard,
            _reasons(rng, normal_p, n),
            _reasons(rng, tuple(params.OFFROLL_REASON_P.items()), n),
        )
        end[leave], reason[leave] = day[leave], why[leave]
        active &= ~leave
    last = entrants.base + COURSE[phase] - 1
    done = active & (last < calendar.current)
    end[done] = calendar.year_end(last)[done]
    reason[done] = REASON["end_of_phase"]
    return end, reason


def _reasons(
    rng: np.random.Generator, options: tuple[tuple[str, float], ...], n: int
) -> np.ndarray:
    codes = np.array([REASON[name] for name, _ in options], dtype=np.int8)
    weights = np.array([w for _, w in options])
    cum = np.cumsum(weights / weights.sum())
    return codes[np.minimum(np.searchsorted(cum, rng.random(n), side="right"), len(codes) - 1)]


def transitions(
    rng: np.random.Generator, academies: Academies, spells: Spells, calendar: Calendar, sec_groups
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Trust Y6 leavers who start Y7 at a trust secondary in their region.

    Returns (pupil, secondary academy, Y7 year) for each transferring pupil, at most the intake
    size of each secondary cohort.
    """
    done = np.flatnonzero(spells.reason == REASON["end_of_phase"])
    pupil, region = spells.pupil[done], academies.region_index[spells.academy[done]]
    y7 = academic_year(spells.end[done]) + 1
    target = np.full(len(done), -1)
    go = rng.random(len(done)) < params.TRUST_TRANSITION
    u = rng.random(len(done))
    for r in np.unique(region):
        secondaries = np.flatnonzero((academies.region_index == r) & academies.secondary)
        if len(secondaries) == 0:
            continue
        cum = np.cumsum(academies.cohort_size[secondaries])
        pick = secondaries[
            np.searchsorted(cum / cum[-1], u, side="right").clip(0, len(secondaries) - 1)
        ]
        target = np.where(go & (region == r), pick, target)
    keep = (target >= 0) & (y7 <= calendar.current)
    pupil, target, y7 = pupil[keep], target[keep], y7[keep]
    return _within_capacity(pupil, target, y7, sec_groups)


def _within_capacity(pupil, target, y7, sec_groups):
    g_academy, g_base, g_size = sec_groups
    capacity = dict(
        zip(zip(g_academy.tolist(), g_base.tolist(), strict=True), g_size.tolist(), strict=True)
    )
    key = target * 10000 + y7
    order = np.argsort(key, kind="stable")
    sorted_key = key[order]
    rank = np.empty(len(key), dtype=np.int64)
    rank[order] = np.arange(len(key)) - np.searchsorted(sorted_key, sorted_key, side="left")
    cap = np.array(
        [capacity.get((int(a), int(b)), 0) for a, b in zip(target, y7, strict=True)], dtype=np.int64
    )
    keep = rank < cap
    return pupil[keep], target[keep], y7[keep]


def on_roll_on(spells: Spells, year: np.ndarray, day_of: Callable[[int], dt.date]) -> np.ndarray:
    """Whether each spell covers ``day_of(year)`` (e.g. census day) of its own ``year`` (1990-2039)."""
    days = np.array([np.datetime64(day_of(y), "D") for y in range(1990, 2040)])[year - 1990]
    return (spells.start <= days) & (np.isnat(spells.end) | (spells.end >= days))


def academic_year(days: np.ndarray) -> np.ndarray:
    """Start year of the academic year containing each day."""
    months = days.astype("datetime64[M]").astype(np.int64)
    year, month = months // 12 + 1970, months % 12 + 1
    return year - (month < 9)


def year_group_at(cohort: np.ndarray, days: np.ndarray) -> np.ndarray:
    """National curriculum year on ``days`` of pupils whose Reception year started in ``cohort``."""
    return academic_year(days) - cohort


def offroll_weights(academies: Academies, entrants: Entrants, risk: np.ndarray) -> np.ndarray:
    """Relative exit risk at the off-rolling academy (mean 1 there), 0 elsewhere."""
    at = entrants.academy == academies.roles["offrolling"]
    weight = np.where(at, np.exp(risk), 0.0)
    if at.any():
        weight[at] /= weight[at].mean()
    return weight

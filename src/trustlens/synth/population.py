"""The trust's population: every pupil and every spell on roll, primary then secondary.

Primaries take Reception cohorts with mid-course joiners and leavers; their Year 6 pupils sit KS2
with their primary's school effect. Secondaries take Year 7 cohorts partly from trust primaries
(same pupil_id, their real KS2) and the rest from elsewhere (KS2 with no school effect), then run
the same mobility plus the off-rolling signal. Spells that ended before the history starts and
pupils with no remaining spell are dropped.
"""

from __future__ import annotations

import numpy as np

from trustlens.synth.assessments import prior_z
from trustlens.synth.calendar import Calendar, ks2_test_date
from trustlens.synth.organisation import PRIMARY, SECONDARY, Academies
from trustlens.synth.outcomes import assign_ks2
from trustlens.synth.pupils import Pupils, draw_pupils
from trustlens.synth.roll import (
    Entrants,
    Spells,
    cohorts,
    exits,
    founders,
    joiners,
    offroll_weights,
    on_roll_on,
    transitions,
)
from trustlens.synth.streams import stream


def populate(seed: int, calendar: Calendar, academies: Academies) -> tuple[Pupils, Spells]:
    """All pupils and spells of the trust's history."""
    rng = stream(seed, "roll")
    primary_pupils, primary_spells = _primary(rng, calendar, academies)
    _primary_ks2(stream(seed, "ks2"), calendar, academies, primary_pupils, primary_spells)
    new_pupils, secondary_spells = _secondary(
        rng, calendar, academies, primary_pupils, primary_spells
    )
    pupils = Pupils.concat([primary_pupils, new_pupils])
    return _within_history(calendar, pupils, Spells.concat([primary_spells, secondary_spells]))


def _upn_source(
    rng: np.random.Generator,
    academies: Academies,
    entrants: Entrants,
    own: np.ndarray,
    year: np.ndarray,
):
    """Who allocated each new pupil's UPN: the academy itself, or a previous school in its LA."""
    la = academies.laestab[entrants.academy] // 10000
    estab = np.where(
        own, academies.laestab[entrants.academy] % 10000, rng.integers(2000, 3000, len(la))
    )
    return la, estab, year


def _new_pupils(
    rng, calendar: Calendar, academies: Academies, entrants: Entrants, first_group: int
) -> Pupils:
    cohort = entrants.base - first_group
    arrival = (
        calendar.year_start(entrants.base + entrants.k0).astype("datetime64[Y]").astype(np.int64)
        + 1970
    )
    own = entrants.late | ((first_group == 0) & (entrants.k0 == 0))
    year = np.where(entrants.late, arrival, cohort)
    source = _upn_source(rng, academies, entrants, own, year)
    return draw_pupils(rng, academies, entrants.academy, cohort, entrants.late, source)


def _primary(
    rng: np.random.Generator, calendar: Calendar, academies: Academies
) -> tuple[Pupils, Spells]:
    academy, base, size = cohorts(rng, calendar, academies, PRIMARY)
    entrants = Entrants.concat(
        [
            founders(calendar, academy, base, size),
            joiners(rng, calendar, PRIMARY, academy, base, size),
        ]
    )
    pupils = _new_pupils(rng, calendar, academies, entrants, 0)
    end, reason = exits(rng, calendar, PRIMARY, entrants, np.zeros(len(entrants.start)))
    return pupils, Spells(np.arange(len(pupils)), entrants.academy, entrants.start, end, reason)


def ks2_sitters(
    calendar: Calendar, pupils: Pupils, spells: Spells, academies: Academies
) -> np.ndarray:
    """Spells of pupils on roll in Year 6 at a trust primary in KS2 test week of a past year."""
    year = pupils.cohort[spells.pupil] + 6
    on_roll = on_roll_on(spells, year, ks2_test_date)
    primary = ~academies.secondary[spells.academy]
    return np.flatnonzero(on_roll & primary & (year < calendar.current))


def _primary_ks2(
    rng, calendar: Calendar, academies: Academies, pupils: Pupils, spells: Spells
) -> None:
    sat = ks2_sitters(calendar, pupils, spells, academies)
    effect = np.zeros(len(pupils))
    year = np.clip(pupils.cohort[spells.pupil[sat]] + 6 - calendar.first, 0, None)
    effect[spells.pupil[sat]] = academies.effect[spells.academy[sat], year]
    assign_ks2(rng, pupils, np.arange(len(pupils)), effect)


def _secondary(
    rng, calendar: Calendar, academies: Academies, primary: Pupils, primary_spells: Spells
):
    groups = cohorts(rng, calendar, academies, SECONDARY)
    academy, base, size = groups
    linked, linked_academy, linked_y7 = transitions(
        rng, academies, primary_spells, calendar, groups
    )
    taken = _count_by_group(academy, base, linked_academy, linked_y7)
    new = Entrants.concat(
        [
            founders(calendar, academy, base, size - taken),
            joiners(rng, calendar, SECONDARY, academy, base, size),
        ]
    )
    pupils = _new_pupils(rng, calendar, academies, new, 7)
    assign_ks2(rng, pupils, np.arange(len(pupils)), np.zeros(len(pupils)))
    n_linked = len(linked)
    moved = Entrants(
        linked_academy,
        linked_y7,
        np.zeros(n_linked, np.int64),
        calendar.year_start(linked_y7),
        np.zeros(n_linked, bool),
    )
    entrants = Entrants.concat([moved, new])
    index = np.concatenate([linked, len(primary) + np.arange(len(pupils))])
    everyone = Pupils.concat([primary, pupils])
    risk = _offroll_risk(everyone, index, entrants)
    end, reason = exits(
        rng, calendar, SECONDARY, entrants, offroll_weights(academies, entrants, risk)
    )
    return pupils, Spells(index, entrants.academy, entrants.start, end, reason)


def _offroll_risk(pupils: Pupils, index: np.ndarray, entrants: Entrants) -> np.ndarray:
    """Who is more likely to be off-rolled: disadvantaged, SEN and low prior attainment pupils."""
    prior = prior_z(pupils, index, np.full(len(index), 10))
    return 0.6 * pupils.disadvantaged[index] + 0.6 * (pupils.sen[index] > 0) - 0.5 * prior


def _count_by_group(academy, base, linked_academy, linked_y7) -> np.ndarray:
    key = academy * 10000 + base
    linked_key = linked_academy * 10000 + linked_y7
    uniq, counts = np.unique(linked_key, return_counts=True)
    pos = np.searchsorted(uniq, key)
    found = (pos < len(uniq)) & (uniq[np.minimum(pos, len(uniq) - 1)] == key)
    return np.where(found, counts[np.minimum(pos, len(uniq) - 1)], 0)


def _within_history(calendar: Calendar, pupils: Pupils, spells: Spells) -> tuple[Pupils, Spells]:
    """Drop spells that ended before the history and pupils left with none; renumber pupils."""
    start = calendar.year_start(np.array([calendar.first]))[0]
    spells = spells.take(np.flatnonzero(np.isnat(spells.end) | (spells.end >= start)))
    keep = np.unique(spells.pupil)
    new_index = np.full(len(pupils), -1)
    new_index[keep] = np.arange(len(keep))
    spells.pupil = new_index[spells.pupil]
    order = np.lexsort((spells.start, spells.pupil))
    return pupils.take(keep), spells.take(order)

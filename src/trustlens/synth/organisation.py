"""The trust's organisation tree and each academy's planted characteristics.

Academies are about 70% primary (one to two forms of entry, 210-420 pupils) and 30% secondary
(900-1200 pupils), as in real multi-academy trusts (GIAS: most MAT academies are primaries). URNs are
6-digit numbers in the 14xxxx range, rising with the date the academy joined, as URNs do; LAESTAB is
the DfE LA code x 10000 + a 2xxx (primary) or 4xxx (secondary) establishment number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np

from trustlens.synth import names
from trustlens.synth import parameters as params
from trustlens.synth.calendar import Calendar

PRIMARY, SECONDARY = "primary", "secondary"
#: Course length (year groups) by phase: Reception-Y6 and Y7-Y11.
COURSE = {PRIMARY: 7, SECONDARY: 5}
FIRST_YEAR_GROUP = {PRIMARY: 0, SECONDARY: 7}
SPECIAL_ROLES = ("high", "low", "improving")


@dataclass
class Academies:
    """Column arrays, one element per academy, ordered by URN."""

    urn: np.ndarray
    laestab: np.ndarray
    name: np.ndarray
    phase: np.ndarray
    region: np.ndarray
    cluster: np.ndarray
    region_index: np.ndarray
    joined: np.ndarray
    academy_type: np.ndarray
    ofsted_grade: np.ndarray
    ofsted_date: np.ndarray
    pan: np.ndarray
    cohort_size: np.ndarray
    shares: dict[str, np.ndarray]
    effect: np.ndarray  #: (academy, year - calendar.first) school effect
    absence_shift: np.ndarray
    roles: dict[str, int] = field(default_factory=dict)
    late_submitters: list[int] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.urn)

    @property
    def secondary(self) -> np.ndarray:
        return self.phase == SECONDARY

    def indices(self, phase: str) -> np.ndarray:
        return np.flatnonzero(self.phase == phase)


def build_academies(
    rng: np.random.Generator, n: int, calendar: Calendar, pupils_per_academy: int | None
) -> Academies:
    """The trust's academies with their sizes, characteristics and planted effects."""
    phase = _phases(rng, n)
    joined = _joined_dates(rng, n)
    order = np.argsort(joined, kind="stable")
    phase, joined = phase[order], joined[order]
    urn = np.sort(rng.choice(np.arange(140000, 150000), n, replace=False))
    region_index, region, cluster, la = _places(rng, phase)
    pan, cohort = _sizes(rng, phase, pupils_per_academy)
    roles = _roles(rng, phase)
    effect = _effects(rng, n, roles, calendar)
    grade, inspected = _ofsted(rng, effect[:, -2], joined)
    academies = Academies(
        urn=urn,
        laestab=_laestab(rng, phase, la),
        name=_names(rng, phase),
        phase=phase,
        region=region,
        cluster=cluster,
        region_index=region_index,
        joined=joined,
        academy_type=_types(rng, phase, roles),
        ofsted_grade=grade,
        ofsted_date=inspected,
        pan=pan,
        cohort_size=cohort,
        shares=_shares(rng, phase, cohort),
        effect=effect,
        absence_shift=rng.normal(0, params.ABSENCE_ACADEMY_SD, n),
        roles=roles,
    )
    academies.absence_shift[roles["low"]] = params.WORSE_ATTENDANCE_SHIFT
    academies.roles["worse_attendance"] = roles["low"]
    academies.late_submitters = _late(rng, phase)
    return academies


def _phases(rng: np.random.Generator, n: int) -> np.ndarray:
    n_secondary = max(1, round(n * (1 - params.PRIMARY_SHARE)))
    phase = np.array([SECONDARY] * n_secondary + [PRIMARY] * (n - n_secondary))
    return phase[rng.permutation(n)]


def _joined_dates(rng: np.random.Generator, n: int) -> np.ndarray:
    years = np.arange(2013, 2026)
    weights = np.where(years >= 2022, 0.45, 1.0)
    year = rng.choice(years, n, p=weights / weights.sum())
    month = rng.choice([9, 1, 4], n, p=[0.6, 0.2, 0.2])
    days = [
        np.datetime64(dt.date(int(y) + (m < 9), int(m), 1), "D")
        for y, m in zip(year, month, strict=True)
    ]
    joined = np.array(days, dtype="datetime64[D]")
    joined[0] = np.datetime64("2013-09-01")
    return joined


def _places(rng: np.random.Generator, phase: np.ndarray):
    """Region and cluster of each academy: secondaries spread first, then primaries."""
    n = len(phase)
    n_regions = 2 if n < 24 else 3
    region_index = np.empty(n, dtype=np.int64)
    for which in (SECONDARY, PRIMARY):
        idx = np.flatnonzero(phase == which)
        region_index[idx] = (np.arange(len(idx)) + rng.integers(n_regions)) % n_regions
    region = np.empty(n, dtype=object)
    cluster = np.empty(n, dtype=object)
    la = np.empty(n, dtype=np.int64)
    for r in range(n_regions):
        members = rng.permutation(np.flatnonzero(region_index == r))
        region_name, clusters = names.REGIONS[r]
        n_clusters = int(np.clip(np.ceil(len(members) / 5), 2, 4))
        for k, academy in enumerate(members):
            cluster_name, la_code = clusters[k % n_clusters]
            region[academy], cluster[academy], la[academy] = region_name, cluster_name, la_code
    return region_index, region.astype(str), cluster.astype(str), la


def _laestab(rng: np.random.Generator, phase: np.ndarray, la: np.ndarray) -> np.ndarray:
    base = np.where(phase == SECONDARY, 4000, 2000)
    estab = base + rng.choice(1000, len(phase), replace=False)
    return la * 10000 + estab


def _names(rng: np.random.Generator, phase: np.ndarray) -> np.ndarray:
    stems = [f + s for f in names.NAME_FIRST for s in names.NAME_SECOND]
    chosen = [stems[i] for i in rng.choice(len(stems), len(phase), replace=False)]
    out = []
    for stem, which in zip(chosen, phase, strict=True):
        suffixes = names.SECONDARY_SUFFIXES if which == SECONDARY else names.PRIMARY_SUFFIXES
        out.append(f"{stem} {suffixes[rng.integers(len(suffixes))]}")
    return np.array(out)


def _sizes(rng: np.random.Generator, phase: np.ndarray, per_academy: int | None):
    """Published admission number and mean cohort size of each academy."""
    n = len(phase)
    secondary = phase == SECONDARY
    pan = np.where(
        secondary, rng.integers(18, 25, n) * 10, rng.choice([30, 45, 60], n, p=[0.45, 0.25, 0.3])
    )
    cohort = pan * rng.uniform(0.92, 1.02, n)
    if per_academy is not None:
        length = np.where(secondary, COURSE[SECONDARY], COURSE[PRIMARY])
        cohort = per_academy / length * rng.uniform(0.9, 1.1, n)
        pan = np.maximum(5, np.round(cohort / 0.95 / 5) * 5).astype(np.int64)
    return pan.astype(np.int64), cohort


def _centred(
    values: np.ndarray, weights: np.ndarray, target: float, low: float, high: float
) -> np.ndarray:
    for _ in range(5):
        values = np.clip(values + target - np.average(values, weights=weights), low, high)
    return values


def _shares(
    rng: np.random.Generator, phase: np.ndarray, cohort: np.ndarray
) -> dict[str, np.ndarray]:
    """Per-academy shares of pupil characteristics, centred on the trust-wide targets."""
    n = len(phase)
    t = params.TARGET_SHARES
    return {
        "disadvantaged": _centred(
            0.1 + 0.4 * rng.beta(1.5, 2.5, n), cohort, t["disadvantaged"], 0.08, 0.55
        ),
        "eal": _centred(0.02 + 0.5 * rng.beta(0.9, 1.8, n), cohort, t["eal"], 0.01, 0.6),
        "sen_k": _centred(rng.normal(t["sen_k"], 0.02, n), cohort, t["sen_k"], 0.07, 0.2),
        "sen_e": _centred(rng.normal(t["sen_e"], 0.006, n), cohort, t["sen_e"], 0.01, 0.045),
    }


def _roles(rng: np.random.Generator, phase: np.ndarray) -> dict[str, int]:
    """Which academy carries each planted signal (secondaries first, where P8 shows it)."""
    secondaries = [int(i) for i in rng.permutation(np.flatnonzero(phase == SECONDARY))]
    primaries = [int(i) for i in rng.permutation(np.flatnonzero(phase == PRIMARY))]
    candidates = secondaries + primaries
    roles = dict(zip(SPECIAL_ROLES, candidates, strict=False))
    roles["offrolling"] = secondaries[3] if len(secondaries) > 3 else secondaries[-1]
    return roles


def _effects(
    rng: np.random.Generator, n: int, roles: dict[str, int], calendar: Calendar
) -> np.ndarray:
    """School effect per academy and year (P8 units; SD units for KS2 and in-year scores)."""
    base = rng.normal(0, params.SCHOOL_EFFECT_SD, n)
    base[roles["high"]], base[roles["low"]] = params.HIGH_EFFECT, params.LOW_EFFECT
    effect = np.repeat(base[:, None], len(calendar.years), axis=1)
    years = np.array(calendar.years)
    since = np.maximum(years - (calendar.current - 1), -4)  # rising over the last five years
    effect[roles["improving"]] = params.IMPROVING_LATEST + params.IMPROVING_SLOPE * since
    return np.round(effect, 4)


def _ofsted(rng: np.random.Generator, effect: np.ndarray, joined: np.ndarray):
    """Latest graded inspection (single-word grades ended in September 2024; blank if none)."""
    n = len(effect)
    latent = effect / 0.3 + rng.normal(0, 1, n)
    grade = np.select([latent > 1.4, latent > -0.7, latent > -1.8], [1, 2, 3], 4)
    low = np.maximum(joined + np.timedelta64(365, "D"), np.datetime64("2019-01-07"))
    high = np.datetime64("2024-07-12")
    span = (high - low).astype(np.int64)
    inspected = low + (rng.random(n) * np.maximum(span, 0)).astype("timedelta64[D]")
    inspected = np.busday_offset(inspected, 0, roll="forward")
    none = span < 0
    return np.where(none, 0, grade), np.where(none, np.datetime64("NaT"), inspected)


def _types(rng: np.random.Generator, phase: np.ndarray, roles: dict[str, int]) -> np.ndarray:
    secondary = phase == SECONDARY
    u = rng.random(len(phase))
    sponsored = np.where(secondary, u < 0.4, u < 0.2)
    free = np.where(secondary, u > 0.95, u > 0.95)
    kind = np.where(sponsored, "sponsored", np.where(free, "free_school", "converter"))
    kind[[roles["low"], roles["improving"]]] = "sponsored"
    return kind


def _late(rng: np.random.Generator, phase: np.ndarray) -> list[int]:
    """Academies that have not submitted the current autumn window (one of each phase)."""
    picks = [int(rng.choice(np.flatnonzero(phase == which))) for which in (PRIMARY, SECONDARY)]
    return sorted(picks[: params.LATE_SUBMITTERS])

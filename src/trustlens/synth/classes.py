"""Classes of the current academic year: primary form classes, secondary forms and subject sets.

Primary pupils are in mixed-ability form classes of up to 30 ("3A", "RB"); secondary pupils have a
form of up to 28 (subject blank) and English, maths and science sets of up to 28, set by prior
attainment plus noise, set 1 the highest ("10Ma1").
"""

from __future__ import annotations

import numpy as np
import polars as pl

from trustlens.synth.calendar import Calendar, year_label
from trustlens.synth.organisation import Academies
from trustlens.synth.panel import PupilYears

LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
SETS = (("english", "En"), ("maths", "Ma"), ("science", "Sc"))


def _split(n: int, size: int) -> np.ndarray:
    """Class number (0..k-1) of each of ``n`` pupils in k = ceil(n/size) near-equal classes."""
    k = max(1, -(-n // size))
    return (np.arange(n) * k) // max(n, 1)


#: A class: (class_id, urn, academic_year, name, subject, year_group) and its pupils.
ClassRow = tuple[tuple[str, int, str, str, str | None, int], np.ndarray]
SCHEMA = {
    "class_id": pl.String,
    "urn": pl.Int64,
    "academic_year": pl.String,
    "name": pl.String,
    "subject": pl.String,
    "year_group": pl.Int64,
}


def _year_group_classes(
    rng: np.random.Generator,
    urn: int,
    year: int,
    group: int,
    pupils: np.ndarray,
    prior: np.ndarray,
    secondary: bool,
) -> list[ClassRow]:
    """The forms (and, in a secondary, the sets) of one year group."""
    label = year_label(year)
    prefix = f"{urn}-{year % 100:02d}{(year + 1) % 100:02d}-"
    yg = "R" if group == 0 else str(group)
    forms = _split(len(pupils), 28 if secondary else 30)
    shuffled = pupils[rng.permutation(len(pupils))]
    out: list[ClassRow] = []
    for k in np.unique(forms):
        name = f"{yg}{LETTERS[k]}"
        out.append(((prefix + name, urn, label, name, None, group), shuffled[forms == k]))
    for subject, code in SETS if secondary else ():
        order = np.argsort(-(prior[pupils] + rng.normal(0, 0.5, len(pupils))), kind="stable")
        sets = _split(len(pupils), 28)
        for k in np.unique(sets):
            name = f"{yg}{code}{k + 1}"
            out.append(
                ((prefix + name, urn, label, name, subject, group), pupils[order][sets == k])
            )
    return out


def frames(
    rng: np.random.Generator,
    calendar: Calendar,
    academies: Academies,
    years: PupilYears,
    prior: np.ndarray,
    pupil_ids: pl.Series,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """classes.csv and class_members.csv for pupils on roll today."""
    now = np.flatnonzero((years.year == calendar.current) & (years.last_day == calendar.today64))
    rows: list[ClassRow] = []
    for a in range(academies.n):
        at = now[years.academy[now] == a]
        for group in np.unique(years.year_group[at]):
            pupils = years.pupil[at[years.year_group[at] == group]]
            secondary = bool(academies.secondary[a])
            rows += _year_group_classes(
                rng, int(academies.urn[a]), calendar.current, int(group), pupils, prior, secondary
            )
    class_id = np.repeat([c[0] for c, _ in rows], [len(m) for _, m in rows])
    who = np.concatenate([m for _, m in rows]) if rows else np.zeros(0, np.int64)
    members = {"class_id": pl.Series(class_id, dtype=pl.String), "pupil_id": pupil_ids.gather(who)}
    return pl.DataFrame([c for c, _ in rows], schema=SCHEMA, orient="row"), pl.DataFrame(members)

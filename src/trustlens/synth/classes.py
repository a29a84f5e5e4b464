"""Classes of the current academic year: primary form classes, secondary forms and subject sets.

Primary pupils are in mixed-ability form classes of up to 30 ("3A", "RB"); secondary pupils have a
form of up to 28 (subject blank) and English, maths and science sets of up to 28, set by prior
attainment plus noise, set 1 the highest ("10Ma1"). Each class has a teacher, named at random
("Ms A Patel") from the pupils' name pools with its own random stream, so no row describes a
real person and the classes themselves do not change with the names.
"""

from __future__ import annotations

import numpy as np
import polars as pl

from trustlens.synth.calendar import Calendar, year_label
from trustlens.synth.names import NAME_POOLS
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
TITLES = ("Ms", "Mr", "Mrs", "Miss", "Dr")
TITLE_WEIGHTS = (0.35, 0.3, 0.2, 0.1, 0.05)


def teacher_names(rng: np.random.Generator, n: int) -> list[str]:
    """``n`` invented teachers' names as a school writes them: "Ms A Patel"."""
    pools = list(NAME_POOLS.values())
    names = []
    for _ in range(n):
        girls, boys, surnames = pools[int(rng.integers(len(pools)))]
        title = str(rng.choice(TITLES, p=TITLE_WEIGHTS))
        forenames = boys if title == "Mr" else girls if title != "Dr" else girls + boys
        forename = forenames[int(rng.integers(len(forenames)))]
        names.append(f"{title} {forename[0]} {surnames[int(rng.integers(len(surnames)))]}")
    return names


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
    teacher_rng: np.random.Generator | None = None,
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """classes.csv (with each class's teacher) and class_members.csv for pupils on roll today."""
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
    table = pl.DataFrame([c for c, _ in rows], schema=SCHEMA, orient="row")
    teachers = teacher_names(teacher_rng or np.random.default_rng(0), table.height)
    table = table.with_columns(pl.Series("teacher", teachers, dtype=pl.String))
    return table, pl.DataFrame(members)

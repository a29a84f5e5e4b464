"""Attendance sessions per pupil per term, suspensions and permanent exclusions.

Attendance (DfE *Pupil absence in schools in England*): possible sessions are the term's sessions
times the share of the term on roll (to today for the current term); each pupil's absence rate is
logit-normal with a persistent pupil trait, higher for disadvantaged and SEN pupils, tuned to an
overall absence of about 7% and persistent absence (10%+ of sessions missed in the year) of about
15-20%; one academy's rate is shifted up. About 30% of absence is unauthorised, more for
disadvantaged pupils. Suspensions (DfE *Suspensions and permanent exclusions in England*) are
Poisson with an over-dispersed pupil frailty, about 12 per 100 pupils a year in secondaries and
1.5 in primaries, higher for disadvantaged, SEN and male pupils; permanent exclusions are the
enrolments that end with reason ``permanent_exclusion``.
"""

from __future__ import annotations

import numpy as np
import polars as pl
from scipy.special import expit

from trustlens.synth import parameters as params
from trustlens.synth.calendar import TERMS, Calendar, labels, random_school_days, year_labels
from trustlens.synth.organisation import Academies
from trustlens.synth.panel import PupilTerms, PupilYears
from trustlens.synth.pupils import Pupils, categorical
from trustlens.synth.roll import REASON, Spells

SUSPENSION_REASONS = (
    ("DB", 0.46),
    ("VA", 0.14),
    ("PA", 0.1),
    ("VP", 0.06),
    ("AA", 0.04),
    ("DM", 0.04),
    ("DA", 0.04),
    ("BU", 0.02),
    ("RA", 0.02),
    ("SM", 0.02),
    ("TH", 0.01),
    ("MT", 0.02),
    ("WP", 0.01),
    ("OT", 0.02),
)
EXCLUSION_REASONS = (
    ("DB", 0.4),
    ("PA", 0.15),
    ("AA", 0.1),
    ("DA", 0.12),
    ("VA", 0.08),
    ("WP", 0.08),
    ("SM", 0.03),
    ("OT", 0.04),
)
SUSPENSION_DAYS = (
    (0.5, 0.08),
    (1.0, 0.38),
    (1.5, 0.06),
    (2.0, 0.2),
    (3.0, 0.14),
    (4.0, 0.06),
    (5.0, 0.08),
)
FRAILTY_SHAPE = 0.4


def _phase_value(academies: Academies, academy: np.ndarray, table: dict[str, float]) -> np.ndarray:
    return np.where(academies.secondary[academy], table["secondary"], table["primary"])


def _absence_logit(
    rng, academies: Academies, pupils: Pupils, pupil, academy, term, year_row, n_years
):
    """Logit of each pupil-term's absence rate: phase, academy, pupil traits and noise."""
    ind = pupils.indicators()
    logit = (
        _phase_value(academies, academy, params.ABSENCE_LOGIT) + academies.absence_shift[academy]
    )
    for key, size in params.ABSENCE_EFFECTS.items():
        logit = logit + size * ind[key][pupil]
    logit += params.ABSENCE_PUPIL_SD * pupils.absence[pupil]
    logit += 0.2 * rng.normal(0, 1, n_years)[year_row] + 0.35 * rng.normal(0, 1, len(pupil))
    return logit + 0.1 * (term == 1)


def attendance_frame(
    rng: np.random.Generator,
    calendar: Calendar,
    academies: Academies,
    pupils: Pupils,
    years: PupilYears,
    terms: PupilTerms,
    ids: tuple[np.ndarray, pl.Series],
) -> pl.DataFrame:
    """attendance.csv: sessions per pupil, academy, year and term."""
    sessions = np.array([params.TERM_SESSIONS[t] for t in TERMS])
    possible = np.round(sessions[terms.term] * terms.share).astype(np.int64)
    keep = np.flatnonzero(possible > 0)
    row, term, possible = terms.row[keep], terms.term[keep], possible[keep]
    pupil, academy = years.pupil[row], years.academy[row]
    logit = _absence_logit(rng, academies, pupils, pupil, academy, term, row, len(years))
    absent = rng.binomial(possible, expit(logit))
    worse = academy == academies.roles["worse_attendance"]
    share = (
        -0.9 + 0.6 * pupils.disadvantaged[pupil] + 0.3 * academies.secondary[academy] + 0.5 * worse
    )
    unauthorised = rng.binomial(absent, expit(share))
    frame = pl.DataFrame(
        {
            "pupil_id": ids[1].gather(pupil),
            "urn": ids[0][academy],
            "academic_year": year_labels(years.year[row]),
            "term": labels(TERMS, term),
            "possible_sessions": possible,
            "attended_sessions": possible - absent,
            "authorised_absence": absent - unauthorised,
            "unauthorised_absence": unauthorised,
        }
    )
    return frame[np.lexsort((pupil, term, years.year[row], academy))]


def _suspension_rate(rng, academies: Academies, pupils: Pupils, years: PupilYears) -> np.ndarray:
    """Expected suspensions per pupil-year: phase rate x relative risk x frailty x time on roll."""
    pupil, academy = years.pupil, years.academy
    ind = pupils.indicators()
    risk = np.exp(
        0.7 * ind["disadvantaged"] + 0.6 * ind["sen_k"] + 0.7 * ind["sen_e"] + 0.5 * pupils.male
    )
    frailty = rng.gamma(FRAILTY_SHAPE, 1 / FRAILTY_SHAPE, len(pupils))
    secondary = academies.secondary[academy]
    mean = np.where(secondary, _mean(risk[pupil][secondary]), _mean(risk[pupil][~secondary]))
    on_roll = ((years.last_day - years.first_day).astype(np.int64) + 1) / 322.0
    base = _phase_value(academies, academy, params.SUSPENSION_RATE)
    return base * risk[pupil] / mean * frailty[pupil] * on_roll


def suspensions_frame(
    rng: np.random.Generator,
    academies: Academies,
    pupils: Pupils,
    years: PupilYears,
    spells: Spells,
    ids: tuple[np.ndarray, pl.Series],
) -> pl.DataFrame:
    """suspensions.csv: suspensions drawn per pupil-year, plus the permanent exclusions."""
    rows = np.repeat(
        np.arange(len(years)), rng.poisson(_suspension_rate(rng, academies, pupils, years))
    )
    n = len(rows)
    lengths = tuple((str(d), w) for d, w in SUSPENSION_DAYS)
    suspended = pl.DataFrame(
        {
            "p": years.pupil[rows],
            "a": years.academy[rows],
            "start_date": random_school_days(rng, years.first_day[rows], years.last_day[rows]),
            "days": categorical(rng, lengths, n).astype(float),
            "kind": np.full(n, "suspension"),
            "reason": categorical(rng, SUSPENSION_REASONS, n),
        }
    )
    frame = pl.concat([suspended, _exclusions(rng, spells)])
    frame = frame.unique(["p", "a", "start_date", "kind"], keep="first", maintain_order=True)
    frame = frame.sort(["a", "start_date", "p", "kind"])
    return frame.select(
        ids[1].gather(frame["p"].to_numpy()).alias("pupil_id"),
        pl.Series("urn", ids[0][frame["a"].to_numpy()]),
        "start_date",
        "days",
        "kind",
        "reason",
    )


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if len(values) else 1.0


def _exclusions(rng: np.random.Generator, spells: Spells) -> pl.DataFrame:
    idx = np.flatnonzero(spells.reason == REASON["permanent_exclusion"])
    return pl.DataFrame(
        {
            "p": spells.pupil[idx],
            "a": spells.academy[idx],
            "start_date": spells.end[idx],
            "days": np.full(len(idx), np.nan),
            "kind": np.full(len(idx), "permanent_exclusion"),
            "reason": categorical(rng, EXCLUSION_REASONS, len(idx)),
        }
    ).with_columns(pl.col("days").fill_nan(None))

"""Operational datasets: staff, cover, admissions, finance and safeguarding counts.

Orders of size from public DfE data: pupil-teacher ratios about 20.5 (primary) and 16.5
(secondary) and teacher sickness about 6-8 days a year (*School workforce in England*); several
preferences per place at secondary (*Secondary and primary school applications and offers*);
revenue funding of about GBP 5,400 (primary) and 6,500 (secondary) per pupil plus pupil premium,
with staff about three quarters of spending (academy CFR / AAR benchmarking); children's social
care referrals and child protection plans per pupil (DfE *Children in need*). The academy with the
lowest school effect also has more staff absence and so more cover.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import polars as pl

from trustlens.synth.calendar import TERMS, Calendar, term_dates, year_label
from trustlens.synth.organisation import Academies

ROLES = ("teacher", "teaching_assistant", "leader", "support")
ABSENCE_MEAN = {"teacher": 6.0, "teaching_assistant": 8.0, "leader": 3.0, "support": 8.0}
FTE_CHOICES = {
    "teacher": ((1.0, 0.75), (0.8, 0.1), (0.6, 0.08), (0.5, 0.04), (0.4, 0.03)),
    "teaching_assistant": ((1.0, 0.2), (0.8, 0.3), (0.7, 0.2), (0.6, 0.2), (0.5, 0.1)),
    "leader": ((1.0, 1.0),),
    "support": ((1.0, 0.4), (0.8, 0.2), (0.6, 0.25), (0.5, 0.15)),
}
TURNOVER = 0.12
WEEKS = {"autumn": 14, "spring": 11, "summer": 12}
FINANCE_SHARES = {
    "teaching_staff": 0.52,
    "support_staff": 0.22,
    "premises": 0.08,
    "supplies": 0.07,
    "other_costs": 0.08,
}


def elapsed(calendar: Calendar, year: int) -> float:
    """Share of the academic year's school days gone by today (1 for past years)."""
    start, end = term_dates(year, "autumn")[0], term_dates(year, "summer")[1]
    return float(np.clip((calendar.today - start).days / (end - start).days, 0, 1))


def _establishment(secondary: bool, roll: float) -> dict[str, int]:
    teachers = max(1, round(roll / (16.5 if secondary else 20.5)))
    leaders = (6 + (roll > 1000)) if secondary else (3 + (roll > 350))
    return {
        "teacher": teachers,
        "teaching_assistant": max(1, round(teachers * (0.45 if secondary else 1.1))),
        "leader": int(leaders),
        "support": round(teachers * 0.35) + 2,
    }


def _fte(rng: np.random.Generator, role: str, n: int) -> np.ndarray:
    values = np.array([v for v, _ in FTE_CHOICES[role]])
    weights = np.array([w for _, w in FTE_CHOICES[role]])
    return rng.choice(values, n, p=weights / weights.sum())


def staff_frame(
    rng: np.random.Generator, calendar: Calendar, academies: Academies, roll: np.ndarray
):
    """staff.csv (one row per staff member per academic year) and per academy-year teacher totals.

    Returns the frame, teacher FTE (academy x year) and teacher absence days (academy x year).
    """
    frames, next_id = [], 1
    fte_total = np.zeros(roll.shape)
    absence_total = np.zeros(roll.shape)
    for a in range(academies.n):
        sizes = _establishment(bool(academies.secondary[a]), float(roll[a].mean()))
        role = np.repeat(np.array(ROLES), [sizes[r] for r in ROLES])
        ident = np.arange(next_id, next_id + len(role))
        next_id += len(role)
        fte = np.concatenate([_fte(rng, r, sizes[r]) for r in ROLES])
        for yi, year in enumerate(calendar.years):
            if yi:
                leave = rng.random(len(role)) < TURNOVER
                ident = np.where(leave, np.arange(next_id, next_id + len(role)), ident)
                next_id += len(role)
                fte = np.where(leave, np.concatenate([_fte(rng, r, sizes[r]) for r in ROLES]), fte)
            days = _absence_days(
                rng, role, fte, elapsed(calendar, year), a == academies.roles["low"]
            )
            teacher = role == "teacher"
            fte_total[a, yi], absence_total[a, yi] = fte[teacher].sum(), days[teacher].sum()
            frames.append(
                pl.DataFrame(
                    {
                        "staff_id": [f"S{i:05d}" for i in ident],
                        "urn": np.full(len(role), academies.urn[a]),
                        "role": role,
                        "fte": fte,
                        "absence_days": days,
                        "academic_year": np.full(len(role), year_label(year)),
                    }
                )
            )
    return pl.concat(frames), fte_total, absence_total


def _absence_days(
    rng: np.random.Generator, role: np.ndarray, fte: np.ndarray, share: float, worse: bool
) -> np.ndarray:
    mean = np.array([ABSENCE_MEAN[r] for r in role]) * fte * share * (1.5 if worse else 1.0)
    days = rng.negative_binomial(0.8, 0.8 / (0.8 + mean + 1e-9))
    long_term = rng.random(len(role)) < 0.03
    days = days + long_term * rng.uniform(20, 60, len(role)) * share
    return np.round(np.minimum(days, 190 * share + 1) * 2) / 2


def cover_frame(
    rng, calendar: Calendar, academies: Academies, fte: np.ndarray, absence: np.ndarray
) -> pl.DataFrame:
    """cover.csv: lessons timetabled and lessons covered per academy and term."""
    rows = []
    for a in range(academies.n):
        per_week = 22 if academies.secondary[a] else 25
        for yi, year in enumerate(calendar.years):
            rate = absence[a, yi] / max(fte[a, yi] * 190 * elapsed(calendar, year), 1.0)
            for term in TERMS:
                start, end = term_dates(year, term)
                if start > calendar.today:
                    continue
                share = min(1.0, max(0, (calendar.today - start).days) / (end - start).days)
                total = int(round(fte[a, yi] * per_week * WEEKS[term] * share))
                p = float(np.clip(0.9 * rate + 0.01 + rng.normal(0, 0.003), 0.002, 0.3))
                rows.append(
                    (
                        int(academies.urn[a]),
                        year_label(year),
                        term,
                        total,
                        int(rng.binomial(total, p)),
                    )
                )
    return pl.DataFrame(
        rows,
        schema=["urn", "academic_year", "term", "lessons_total", "lessons_covered"],
        orient="row",
    )


def admissions_frame(rng, calendar: Calendar, academies: Academies) -> pl.DataFrame:
    """admissions.csv: PAN and preferences for each entry year."""
    rows = []
    for a in range(academies.n):
        secondary = bool(academies.secondary[a])
        for yi, year in enumerate(calendar.years):
            pan = int(academies.pan[a])
            grade = int(academies.ofsted_grade[a])
            pull = (
                0.8 * academies.effect[a, yi]
                + 0.2 * (grade == 1)
                - 0.3 * (grade >= 3)
                + rng.normal(0, 0.15)
            )
            first = int(round(pan * 0.95 * np.exp(pull) * rng.uniform(0.85, 1.1)))
            total = max(
                first, int(round(first * (2.8 if secondary else 2.0) * rng.uniform(0.9, 1.2)))
            )
            rows.append((int(academies.urn[a]), year_label(year), pan, first, total))
    return pl.DataFrame(
        rows,
        schema=["urn", "entry_year", "pan", "first_preferences", "total_preferences"],
        orient="row",
    )


def finance_frame(rng, calendar: Calendar, academies: Academies, roll: np.ndarray) -> pl.DataFrame:
    """finance.csv: budget and actual by line per academy and academic year (actual blank this year)."""
    rows = []
    for a in range(academies.n):
        secondary = bool(academies.secondary[a])
        spend = rng.normal(1.0, 0.03)
        for yi, year in enumerate(calendar.years):
            inflation = 1.035 ** (year - 2021)
            pupils = float(roll[a, yi])
            premium = pupils * academies.shares["disadvantaged"][a] * (1050 if secondary else 1480)
            income = {
                "grant_income": pupils * (6500 if secondary else 5400) * inflation + premium,
                "other_income": pupils * 120 * inflation,
            }
            total = sum(income.values())
            lines = {**income, **{k: v * total * spend for k, v in FINANCE_SHARES.items()}}
            for line, budget in lines.items():
                budget = int(round(budget / 100) * 100)
                actual = (
                    None if year == calendar.current else int(round(budget * rng.normal(1, 0.03)))
                )
                rows.append((int(academies.urn[a]), year_label(year), line, budget, actual))
    schema = {
        "urn": pl.Int64,
        "period": pl.String,
        "line": pl.String,
        "budget": pl.Int64,
        "actual": pl.Int64,
    }
    return pl.DataFrame(rows, schema=schema, orient="row")


def safeguarding_frame(
    rng, calendar: Calendar, academies: Academies, roll: np.ndarray
) -> pl.DataFrame:
    """safeguarding.csv: monthly referrals and child protection plans (counts only)."""
    months = _months(dt.date(calendar.first, 9, 1), calendar.today)
    season = np.array([0.2 if m.month == 8 else 1.0 for m in months])
    year_index = np.array([m.year - (m.month < 9) - calendar.first for m in months])
    labels = [m.strftime("%Y-%m") for m in months]
    frames = []
    for a in range(academies.n):
        need = 0.5 + 2 * academies.shares["disadvantaged"][a]
        pupils = roll[a, year_index]
        drift = np.exp(np.cumsum(rng.normal(0, 0.05, len(months))))
        frames.append(
            pl.DataFrame(
                {
                    "urn": np.full(len(months), academies.urn[a]),
                    "month": labels,
                    "referrals": rng.poisson(pupils * 0.0025 * need * season),
                    "cp_plans": rng.poisson(pupils * 0.005 * need * drift),
                }
            )
        )
    return pl.concat(frames)


def _months(first: dt.date, today: dt.date) -> list[dt.date]:
    """Complete months from ``first`` to the month before ``today``."""
    out, day = [], first
    while (day.year, day.month) < (today.year, today.month):
        out.append(day)
        day = dt.date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out

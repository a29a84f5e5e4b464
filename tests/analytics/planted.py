"""A small synthetic trust with planted, known effects, for the analytics tests.

Tables have the core data set's columns (DESIGN.md section 3). Planted truth:
- ``p8_effect[urn]``: each secondary academy's Progress 8 effect (P8 units) in the latest year;
  one academy improves by ``IMPROVEMENT`` a year;
- ``va_effect[urn]``: each academy's in-year effect in SD units of the assessment noise;
- ``gap``: the disadvantaged gap (P8 units; in-year SD units too).
Pupil A8 is built from the DfE 2023 national estimates, so P8 against those estimates recovers
the planted effects (up to A8's bounds and the cap).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trustlens.analytics.measures.prior import p8_group_numpy
from trustlens.analytics.national import load_national

YEARS = ("2020/21", "2021/22", "2022/23")
LATEST = YEARS[-1]
NOISE_P8 = 1.2
IMPROVEMENT = 0.25
GAP = -0.4
SUBJECTS = ("english", "maths", "science")


@dataclass
class PlantedTrust:
    tables: dict[str, pd.DataFrame]
    p8_effect: dict[int, float]
    va_effect: dict[int, float]
    gap: float = GAP
    improving_urn: int = 0
    truth: dict[str, pd.DataFrame] = field(default_factory=dict)


def _academies(n_secondary: int, n_primary: int) -> pd.DataFrame:
    rows = []
    for i in range(n_secondary + n_primary):
        secondary = i < n_secondary
        rows.append(
            {
                "urn": 140001 + i,
                "name": f"Academy {i + 1}",
                "region": "North" if i % 2 == 0 else "South",
                "cluster": f"Cluster {i % 3 + 1}",
                "joined_trust": dt.date(2014 + i % 8, 9 if i % 3 else 12, 1),
                "phase": "secondary" if secondary else "primary",
            }
        )
    return pd.DataFrame(rows)


def _pupils(rng: np.random.Generator, n: int, prefix: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "pupil_id": [f"{prefix}{i:06d}" for i in range(n)],
            "sex": rng.choice(["F", "M"], n),
            "disadvantaged": rng.random(n) < 0.3,
            "sen": rng.choice(["N", "K", "E"], n, p=[0.84, 0.13, 0.03]),
            "eal": rng.random(n) < 0.15,
            "looked_after": rng.random(n) < 0.01,
            "birth_year": 2007,
            "birth_month": rng.integers(1, 13, n),
            "ethnicity": rng.choice(["WBRI", "ASIA", "BLAC", "MIXD"], n),
        }
    )


def _ks4(rng, academies, effects, improving, per_school) -> tuple[pd.DataFrame, pd.DataFrame]:
    est = load_national(2023).estimates.set_index("pa_group")
    frames, pupils = [], []
    for y, year in enumerate(YEARS):
        for urn in academies.urn[academies.phase == "secondary"]:
            n = int(per_school + rng.integers(-30, 30))
            p = _pupils(rng, n, f"S{urn}{y}")
            reading = np.clip(np.round(rng.normal(104, 7, n)), 80, 120)
            maths = np.clip(np.round(rng.normal(104, 7, n)), 80, 120)
            group = p8_group_numpy((reading + maths) / 2)
            effect = effects[urn] - (len(YEARS) - 1 - y) * IMPROVEMENT * (urn == improving)
            p8 = effect + GAP * p.disadvantaged.to_numpy() + rng.normal(0, NOISE_P8, n)
            a8 = np.clip(est.loc[group, "est_overall"].to_numpy() + 10 * p8, 0, 90)
            frame = pd.DataFrame(
                {
                    "pupil_id": p.pupil_id,
                    "urn": urn,
                    "academic_year": year,
                    "ks2_reading_scaled": reading,
                    "ks2_maths_scaled": maths,
                    "attainment8": a8,
                    "a8_english": a8 * 0.2,
                    "a8_maths": a8 * 0.19,
                    "a8_ebacc": a8 * 0.31,
                    "a8_open": a8 * 0.3,
                }
            )
            frame["eng_maths_4plus"] = (frame.a8_english >= 8) & (frame.a8_maths >= 8)
            frame["eng_maths_5plus"] = (frame.a8_english >= 10) & (frame.a8_maths >= 10)
            frame["ebacc_entered"] = rng.random(n) < 0.4
            frames.append(frame)
            pupils.append(p)
    return pd.concat(frames, ignore_index=True), pd.concat(pupils, ignore_index=True)


def _ks2(rng, academies, per_school) -> tuple[pd.DataFrame, pd.DataFrame]:
    frames, pupils = [], []
    for urn in academies.urn[academies.phase == "primary"]:
        n = int(per_school)
        p = _pupils(rng, n, f"P{urn}")
        aps = np.clip(np.round(rng.normal(15.5, 3.5, n) * 2) / 2, 3, 21)
        lift = 2.0 * (urn % 2)
        reading = np.clip(np.round(72 + 2.0 * aps + lift + rng.normal(0, 6, n)), 80, 120)
        maths = np.clip(np.round(74 + 1.9 * aps + lift + rng.normal(0, 5.5, n)), 80, 120)
        noisy = aps + rng.normal(0, 2.5, n)
        writing = np.select([noisy < 11, noisy < 18], ["WTS", "EXS"], "GDS")
        frames.append(
            pd.DataFrame(
                {
                    "pupil_id": p.pupil_id,
                    "urn": urn,
                    "academic_year": LATEST,
                    "reading_scaled": reading,
                    "maths_scaled": maths,
                    "gps_scaled": reading,
                    "writing_ta": writing,
                    "ks1_aps": aps,
                }
            )
        )
        pupils.append(p)
    return pd.concat(frames, ignore_index=True), pd.concat(pupils, ignore_index=True)


def _assessments(rng, ks4, pupils, va_effects) -> tuple[pd.DataFrame, pd.DataFrame]:
    latest = ks4[ks4.academic_year == LATEST]
    disadv = pupils.set_index("pupil_id").disadvantaged
    rows = []
    for term in ("autumn", "summer"):
        for subject in SUBJECTS:
            prior = (latest.ks2_reading_scaled + latest.ks2_maths_scaled) / 2
            effect = latest.urn.map(va_effects) + GAP * latest.pupil_id.map(disadv)
            value = 4.5 + 0.2 * (prior - 100) + effect + rng.normal(0, 1.0, len(latest))
            rows.append(
                pd.DataFrame(
                    {
                        "pupil_id": latest.pupil_id,
                        "urn": latest.urn,
                        "academic_year": LATEST,
                        "term": term,
                        "subject": subject,
                        "year_group": 11,
                        "scale": "gcse",
                        "value": value,
                        "band": None,
                        "true_effect": effect,
                    }
                )
            )
    results = pd.concat(rows, ignore_index=True)
    prior = latest[["pupil_id", "ks2_reading_scaled", "ks2_maths_scaled"]].assign(ks1_aps=np.nan)
    return results, prior


def _enrolments_attendance_suspensions(rng, ks4, ks2):
    roll = pd.concat(
        [ks4[["pupil_id", "urn", "academic_year"]], ks2[["pupil_id", "urn", "academic_year"]]]
    )
    roll = roll[roll.academic_year == LATEST].reset_index(drop=True)
    n = len(roll)
    enrol = roll[["pupil_id", "urn"]].assign(
        year_group=11,
        start_date=dt.date(2018, 9, 3),
        end_date=[dt.date(2023, 7, 21) if i % 50 else dt.date(2022, 12, 16) for i in range(n)],
        leaving_reason="end of key stage",
    )
    att = []
    for term, possible in (("autumn", 140), ("spring", 120), ("summer", 120)):
        rate = np.clip(rng.beta(30, 1.8, n), 0, 1)
        attended = np.round(possible * rate)
        unauth = np.round((possible - attended) * rng.random(n))
        att.append(
            roll.assign(
                term=term,
                possible_sessions=possible,
                attended_sessions=attended,
                authorised_absence=possible - attended - unauth,
                unauthorised_absence=unauth,
            )
        )
    counts = rng.poisson(0.08, n) * (rng.random(n) < 0.5)
    idx = np.repeat(np.arange(n), counts)
    susp = roll.iloc[idx][["pupil_id", "urn"]].assign(
        start_date=[dt.date(2022, 10 + k % 3, 1 + k % 27) for k in range(len(idx))],
        days=rng.integers(1, 5, len(idx)).astype(float),
        kind="suspension",
        reason="persistent disruptive behaviour",
    )
    perm = roll.iloc[rng.choice(n, 4, replace=False)][["pupil_id", "urn"]].assign(
        start_date=dt.date(2023, 3, 1), days=np.nan, kind="permanent_exclusion", reason="assault"
    )
    return enrol, pd.concat(att, ignore_index=True), pd.concat([susp, perm], ignore_index=True)


def planted_trust(
    seed: int = 7, secondary: int = 6, primary: int = 3, per_school: int = 160
) -> PlantedTrust:
    """Build the trust: tables keyed by dataset name plus the planted truth."""
    rng = np.random.default_rng(seed)
    academies = _academies(secondary, primary)
    sec = academies.urn[academies.phase == "secondary"].tolist()
    p8_effect = dict(zip(sec, np.linspace(-0.6, 0.6, len(sec)).round(2), strict=True))
    va_effect = dict(zip(sec, np.linspace(0.5, -0.5, len(sec)).round(2), strict=True))
    ks4, pupils4 = _ks4(rng, academies, p8_effect, sec[1], per_school)
    ks2, pupils2 = _ks2(rng, academies, 40)
    pupils = pd.concat([pupils4, pupils2], ignore_index=True)
    results, prior = _assessments(rng, ks4, pupils, va_effect)
    enrol, attendance, suspensions = _enrolments_attendance_suspensions(rng, ks4, ks2)
    tables = {
        "academies": academies,
        "pupils": pupils,
        "ks4": ks4,
        "ks2": ks2,
        "assessment_results": results.drop(columns="true_effect"),
        "prior_attainment": prior,
        "enrolments": enrol,
        "attendance": attendance,
        "suspensions": suspensions,
    }
    truth = {"assessment_effect": results[["pupil_id", "term", "subject", "true_effect"]]}
    return PlantedTrust(tables, p8_effect, va_effect, GAP, sec[1], truth)

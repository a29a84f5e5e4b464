"""A small synthetic trust for the dashboard tests, with planted, known differences.

Five academies in two regions: three secondaries (one strong, one weak, one average) and two
primaries, one of them tiny (its KS2 cohort has 4 pupils, so trustees must see ``c``). Two
academic years of outcomes, three assessment windows a year, attendance, suspensions, staff,
cover, admissions, finance and safeguarding. Pupils have distinctive surnames ("Quillfeather")
so a test can prove a page names no pupil.

``build_tables`` is pure (pandas); ``create_records`` writes the records database and
``write_store`` the analytical store through the ingest store's own transaction API.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

YEARS = ("2022/23", "2023/24")
TERMS = ("autumn", "spring", "summer")
SUBJECTS = ("English", "Maths", "Science")
SURNAME = "Quillfeather"

#: urn, name, phase, cluster, region, planted effect (SD units), pupils per year group
ACADEMIES = (
    (190001, "Harbour Point Academy", "secondary", "Coast Cluster", "Seaward", 0.35, 60),
    (190002, "Millbrook Academy", "secondary", "Coast Cluster", "Seaward", -0.45, 60),
    (190003, "Oakridge Academy", "secondary", "Vale Cluster", "Seaward", 0.0, 50),
    (190004, "Larkspur Primary", "primary", "Vale Cluster", "Seaward", 0.1, 40),
    (190005, "Tiny Fen Primary", "primary", "Fen Cluster", "Inland", -0.2, 4),
)


@dataclass
class TrustData:
    tables: dict[str, pd.DataFrame]
    pupils: pd.DataFrame  #: with names for the records database
    classes: list[dict] = field(default_factory=list)


def _pupil_rows(rng: np.random.Generator) -> tuple[list[dict], list[dict], list[dict]]:
    pupils, enrolments, prior = [], [], []
    n = 0
    for urn, _name, phase, _c, _r, _effect, per_year in ACADEMIES:
        for year_group in range(7, 12) if phase == "secondary" else range(2, 7):
            for _ in range(per_year):
                n += 1
                pid = f"D{n:06d}"
                pupils.append(
                    {
                        "pupil_id": pid,
                        "surname": f"{SURNAME}{n}",
                        "forename": f"Pip{n}",
                        "upn": f"Z{n:011d}0",
                        "sex": "F" if rng.random() < 0.5 else "M",
                        "disadvantaged": bool(rng.random() < 0.3),
                        "sen": str(rng.choice(["N", "N", "N", "N", "K", "E"])),
                        "eal": bool(rng.random() < 0.2),
                        "looked_after": False,
                        "birth_month": (month := int(rng.integers(1, 13))),
                        "birth_year": _birth_year(year_group, month),
                        "urn": urn,
                        "year_group": year_group,
                    }
                )
                enrolments.append(
                    {
                        "pupil_id": pid,
                        "urn": urn,
                        "year_group": year_group,
                        "start_date": dt.date(2021, 9, 1),
                        "end_date": None,
                        "leaving_reason": None,
                    }
                )
                ks2r, ks2m = np.clip(rng.normal(104, 6, 2), 80, 120)
                prior.append(
                    {
                        "pupil_id": pid,
                        "ks2_reading_scaled": float(ks2r),
                        "ks2_maths_scaled": float(ks2m),
                        "ks1_aps": float(np.clip(rng.normal(16, 3), 3, 27)),
                    }
                )
    return pupils, enrolments, prior


def _birth_year(year_group: int, month: int, academic_start: int = 2023) -> int:
    """Calendar year of birth of a pupil in ``year_group`` in the year starting in September
    of ``academic_start`` (DfE: born 1 September to 31 August)."""
    return academic_start - year_group - 5 + (1 if month < 9 else 0)


#: Leavers of 2023/24 (urn, year group, leaving date, reason, how many): Millbrook is the
#: planted off-rolling academy (Year 11 pupils leaving with no onward school before January).
LEAVERS = (
    (190002, 11, dt.date(2023, 11, 15), "unknown", 14),
    (190002, 10, dt.date(2024, 3, 1), "elective_home", 3),
    (190002, 9, dt.date(2024, 2, 1), "transfer_state", 1),
    (190001, 8, dt.date(2023, 12, 1), "transfer_state", 2),
    (190001, 10, dt.date(2024, 4, 20), "emigrated", 1),
    (190001, 11, dt.date(2024, 5, 10), "unknown", 1),
    (190003, 7, dt.date(2024, 1, 8), "transfer_independent", 1),
    (190003, 9, dt.date(2024, 2, 12), "permanent_exclusion", 1),
)
LEAVER_SURNAME = "Wrenfield"


def _leaver_rows(rng: np.random.Generator) -> tuple[list[dict], list[dict], list[dict]]:
    """Pupils who left in 2023/24 (records, enrolment spells and prior attainment only: no
    results after they left). Distinctive surnames, so a test can look for them."""
    pupils, enrolments, prior = [], [], []
    n = 0
    for urn, year_group, left, reason, count in LEAVERS:
        for _ in range(count):
            n += 1
            pid = f"L{n:06d}"
            pupils.append(
                {
                    "pupil_id": pid,
                    "surname": f"{LEAVER_SURNAME}{n}",
                    "forename": f"Lee{n}",
                    "upn": f"Y{n:011d}0",
                    "sex": "F" if n % 2 else "M",
                    "disadvantaged": bool(n % 3 == 0),
                    "sen": "K" if n % 4 == 0 else "N",
                    "eal": False,
                    "looked_after": False,
                    "birth_month": 3,
                    "birth_year": _birth_year(year_group, 3),
                    "urn": urn,
                    "year_group": year_group,
                }
            )
            enrolments.append(
                {
                    "pupil_id": pid,
                    "urn": urn,
                    "year_group": year_group,
                    "start_date": dt.date(2021, 9, 1),
                    "end_date": left,
                    "leaving_reason": reason,
                }
            )
            prior.append(
                {
                    "pupil_id": pid,
                    "ks2_reading_scaled": float(np.clip(rng.normal(98, 6), 80, 120)),
                    "ks2_maths_scaled": float(np.clip(rng.normal(98, 6), 80, 120)),
                    "ks1_aps": 14.0,
                }
            )
    return pupils, enrolments, prior


def build_tables(seed: int = 7) -> TrustData:
    rng = np.random.default_rng(seed)
    pupils, enrolments, prior = _pupil_rows(rng)
    frame = pd.DataFrame(pupils).merge(pd.DataFrame(prior), on="pupil_id")
    leavers, spells, leaver_prior = _leaver_rows(rng)
    pupils, enrolments, prior = pupils + leavers, enrolments + spells, prior + leaver_prior
    effect = {a[0]: a[5] for a in ACADEMIES}
    tables = {
        "pupils": pd.DataFrame(pupils).drop(
            columns=["surname", "forename", "upn", "urn", "year_group"]
        ),
        "enrolments": pd.DataFrame(enrolments),
        "prior_attainment": pd.DataFrame(prior),
    }
    tables["ks4"], tables["ks2"] = _outcomes(rng, frame, effect)
    tables["assessment_results"] = _results(rng, frame, effect)
    tables["attendance"] = _attendance(rng, frame)
    tables["suspensions"] = _suspensions(rng, frame)
    tables.update(_operational(rng))
    return TrustData(tables, pd.DataFrame(pupils), _classes(frame))


def _outcomes(rng, frame: pd.DataFrame, effect: dict) -> tuple[pd.DataFrame, pd.DataFrame]:
    ks4, ks2 = [], []
    for year in YEARS:
        for row in frame.itertuples(index=False):
            if row.year_group == 11:
                prior = (row.ks2_reading_scaled + row.ks2_maths_scaled) / 2 - 104
                a8 = float(
                    np.clip(
                        48
                        + 2.2 * prior
                        + 14 * effect[row.urn]
                        - 3 * row.disadvantaged
                        + rng.normal(0, 11),
                        0,
                        90,
                    )
                )
                parts = np.array([0.22, 0.22, 0.28, 0.28]) * a8
                ks4.append(
                    {
                        "pupil_id": row.pupil_id,
                        "urn": row.urn,
                        "academic_year": year,
                        "ks2_reading_scaled": row.ks2_reading_scaled,
                        "ks2_maths_scaled": row.ks2_maths_scaled,
                        "attainment8": float(parts.sum()),
                        "a8_english": float(parts[0]),
                        "a8_maths": float(parts[1]),
                        "a8_ebacc": float(parts[2]),
                        "a8_open": float(parts[3]),
                        "eng_maths_4plus": bool(a8 > 42),
                        "eng_maths_5plus": bool(a8 > 55),
                    }
                )
            if row.year_group == 6:
                shift = 5 * effect[row.urn] + 0.4 * (row.ks1_aps - 16)
                ks2.append(
                    {
                        "pupil_id": row.pupil_id,
                        "urn": row.urn,
                        "academic_year": year,
                        "reading_scaled": float(np.clip(rng.normal(104 + shift, 6), 80, 120)),
                        "maths_scaled": float(np.clip(rng.normal(104 + shift, 6), 80, 120)),
                        "gps_scaled": float(np.clip(rng.normal(104, 6), 80, 120)),
                        "writing_ta": str(rng.choice(["WTS", "EXS", "EXS", "GDS"])),
                        "ks1_aps": row.ks1_aps,
                    }
                )
    return pd.DataFrame(ks4), pd.DataFrame(ks2)


def _results(rng, frame: pd.DataFrame, effect: dict) -> pd.DataFrame:
    rows = []
    prior = np.where(
        frame["year_group"] >= 7,
        (frame["ks2_reading_scaled"] + frame["ks2_maths_scaled"]) / 2 - 104,
        (frame["ks1_aps"] - 16) * 1.5,
    )
    for year in YEARS:
        for t, term in enumerate(TERMS):
            for subject in SUBJECTS:
                shift = np.array([effect[u] for u in frame["urn"]]) * 8 * (1 + 0.2 * t)
                value = (
                    100
                    + 0.9 * prior
                    + shift
                    - 3 * frame["disadvantaged"].to_numpy()
                    + rng.normal(0, 9, len(frame))
                )
                rows.append(
                    pd.DataFrame(
                        {
                            "pupil_id": frame["pupil_id"],
                            "urn": frame["urn"],
                            "academic_year": year,
                            "term": term,
                            "subject": subject,
                            "year_group": frame["year_group"],
                            "scale": "scaled",
                            "value": np.clip(value, 70, 141).round(1),
                            "band": None,
                        }
                    )
                )
    return pd.concat(rows, ignore_index=True)


def _attendance(rng, frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        for term in TERMS:
            missed = rng.poisson(5 + 5 * frame["disadvantaged"].to_numpy())
            missed = np.minimum(missed, 120)
            rows.append(
                pd.DataFrame(
                    {
                        "pupil_id": frame["pupil_id"],
                        "urn": frame["urn"],
                        "academic_year": year,
                        "term": term,
                        "possible_sessions": 120,
                        "attended_sessions": 120 - missed,
                        "authorised_absence": missed // 2,
                        "unauthorised_absence": missed - missed // 2,
                    }
                )
            )
    return pd.concat(rows, ignore_index=True)


def _suspensions(rng, frame: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for year in YEARS:
        picked = frame[(frame["year_group"] >= 7) & (rng.random(len(frame)) < 0.06)]
        for row in picked.itertuples(index=False):
            rows.append(
                {
                    "pupil_id": row.pupil_id,
                    "urn": row.urn,
                    "start_date": dt.date(int(year[:4]), 11, 14),
                    "days": 1.0,
                    "kind": "suspension",
                    "reason": "PD",
                    "academic_year": year,
                }
            )
    return pd.DataFrame(rows)


def _operational(rng) -> dict[str, pd.DataFrame]:
    urns = [a[0] for a in ACADEMIES]
    lines = (("GAG income", 4.0e6), ("Teaching staff", 2.9e6), ("Other costs", 1.0e6))
    return {
        "admissions": pd.DataFrame(
            [
                {
                    "urn": u,
                    "entry_year": y,
                    "pan": 60,
                    "first_preferences": int(rng.integers(30, 110)),
                    "total_preferences": 200,
                }
                for u in urns
                for y in YEARS
            ]
        ),
        "cover": pd.DataFrame(
            [
                {
                    "urn": u,
                    "academic_year": y,
                    "term": t,
                    "lessons_total": 2000,
                    "lessons_covered": int(rng.integers(40, 300)),
                }
                for u in urns
                for y in YEARS
                for t in TERMS
            ]
        ),
        "staff": pd.DataFrame(
            [
                {
                    "staff_id": f"S{u}-{i}",
                    "urn": u,
                    "role": "teacher",
                    "fte": 1.0,
                    "absence_days": float(rng.poisson(5)),
                    "academic_year": y,
                }
                for u in urns
                for y in YEARS
                for i in range(20)
            ]
        ),
        "finance": pd.DataFrame(
            [
                {
                    "urn": u,
                    "period": y,
                    "line": line,
                    "budget": b,
                    "actual": b * float(rng.uniform(0.96, 1.06)),
                    "academic_year": y,
                }
                for u in urns
                for y in YEARS
                for line, b in lines
            ]
        ),
        "safeguarding": pd.DataFrame(
            [
                {
                    "urn": u,
                    "month": f"{y[:4]}-{m:02d}",
                    "referrals": int(rng.poisson(1.5)),
                    "cp_plans": int(rng.poisson(2)),
                    "academic_year": y,
                }
                for u in urns
                for y in YEARS
                for m in (9, 10, 11)
            ]
        ),
    }


def _classes(frame: pd.DataFrame) -> list[dict]:
    """A maths set per secondary year group (first 20 pupils) and a form class per primary year."""
    classes = []
    for (urn, year_group), rows in frame.groupby(["urn", "year_group"]):
        subject = "Maths" if year_group >= 7 else ""
        name = f"{year_group}X1" if subject else f"Year {year_group}"
        classes.append(
            {
                "urn": int(urn),
                "name": name,
                "subject": subject,
                "year_group": int(year_group),
                "pupils": list(rows["pupil_id"][:20]),
            }
        )
    return classes

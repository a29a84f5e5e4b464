"""A simulation study of the evaluation method: known effects, selection on prior attainment.

Each simulated intervention is one year group of a trust (6-12 academies of 40-120 pupils):
pupils have characteristics (disadvantaged, SEN, EAL, sex), a latent attainment that they
lower, a KS2-style prior score, a pre-test and a post-test (standardised scores, mean 100,
SD 15, pre-post correlation about 0.7). Academies differ: each has a level (N(0, 0.3) SD, in
the pre- and post-test alike, so a low scorer regresses towards *their academy's* mean) and a
progress effect (N(0, 0.1) SD, post-test only). Participants come from 1-3 academies and are
chosen with a probability that falls steeply with the pre-test (logistic, slope -1.5 per SD)
and rises with disadvantage: the "pick the pupils who are behind" selection that makes a naive
pre-post comparison show regression to the mean. The post-test of participants is raised by
``effect`` x sigma, where sigma is the SD of the untreated post-test across the whole year
group (estimated once from 400,000 simulated pupils): the SD ``evaluate`` expresses effects
in. About 5% of pupils miss the post-test at random.

``run_study`` evaluates every simulated intervention with the production ``evaluate`` and
reports CI coverage, mean bias and the rate of false positives on null effects. Assumptions a
reader should know: selection depends only on measured variables (what matching needs) and the
outcome is linear in them with one slope across academies. This follows the simulation designs
of Austin (2011) and Abadie & Spiess (2022).
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import pandas as pd

from trustlens.analytics.impact.evaluation import evaluate

SELECTION_SLOPE = 1.5
SELECTION_INTERCEPT = -1.6
DISADVANTAGE_BOOST = 0.5
ACADEMY_LEVEL_SD = 0.3
ACADEMY_PROGRESS_SD = 0.1


@dataclass(frozen=True)
class StudySummary:
    """Coverage, bias and false positives of a simulation study, overall and per true effect."""

    n_simulations: int
    n_evaluated: int
    coverage: float
    mean_bias: float
    false_positive_rate: float
    false_positive_rate_two_sided: float
    by_effect: dict[float, dict[str, float]]

    def to_dict(self) -> dict:
        return {
            "n_simulations": self.n_simulations,
            "n_evaluated": self.n_evaluated,
            "coverage": round(self.coverage, 4),
            "mean_bias": round(self.mean_bias, 4),
            "false_positive_rate": round(self.false_positive_rate, 4),
            "false_positive_rate_two_sided": round(self.false_positive_rate_two_sided, 4),
            "by_effect": {
                str(k): {m: round(v, 4) for m, v in d.items()} for k, d in self.by_effect.items()
            },
        }


def _academy_effects(
    rng: np.random.Generator, academy: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Per pupil: the academy's level (SD units, in pre- and post-test alike) and its progress
    effect (post-test only), drawn per academy: N(0, ACADEMY_LEVEL_SD), N(0, ACADEMY_PROGRESS_SD)."""
    n_academies = int(academy.max()) + 1
    level = rng.normal(0, ACADEMY_LEVEL_SD, n_academies)
    progress = rng.normal(0, ACADEMY_PROGRESS_SD, n_academies)
    return level[academy], progress[academy]


def _pupils(rng: np.random.Generator, academy: np.ndarray) -> dict[str, np.ndarray]:
    """Characteristics, latent attainment and the three scores (untreated) of pupils in ``academy``."""
    n = len(academy)
    level, progress = _academy_effects(rng, academy)
    disadvantaged = rng.random(n) < 0.25
    sen = rng.random(n) < 0.15
    eal = rng.random(n) < 0.15
    female = rng.random(n) < 0.5
    latent = rng.normal(0, 1, n) - 0.4 * disadvantaged - 0.6 * sen - 0.1 * eal + 0.05 * female
    latent = (latent + 0.22) / 1.07
    return {
        "disadvantaged": disadvantaged,
        "sen": sen,
        "eal": eal,
        "female": female,
        "prior": 104 + 6.5 * (0.9 * latent + 0.44 * rng.normal(0, 1, n)),
        "pre": 100 + 15 * (0.85 * latent + 0.53 * rng.normal(0, 1, n) + level),
        "post0": 100 + 15 * (0.85 * latent + 0.53 * rng.normal(0, 1, n) + level + progress),
    }


def _selection_probability(pupils: dict[str, np.ndarray]) -> np.ndarray:
    z = (pupils["pre"] - 100) / 15
    logit = SELECTION_INTERCEPT - SELECTION_SLOPE * z + DISADVANTAGE_BOOST * pupils["disadvantaged"]
    return 1 / (1 + np.exp(-logit))


@lru_cache(maxsize=1)
def cohort_sd(n: int = 400_000, seed: int = 20240601) -> float:
    """sigma: the SD of the untreated post-test across a whole year group."""
    academy = np.arange(n) // 100
    return float(np.std(_pupils(np.random.default_rng(seed), academy)["post0"], ddof=1))


def simulate_year_group(rng: np.random.Generator, effect: float) -> pd.DataFrame:
    """One trust year group with one intervention whose true effect is ``effect`` SD."""
    sizes = rng.integers(40, 121, size=rng.integers(6, 13))
    academy = np.repeat(np.arange(len(sizes)), sizes)
    pupils = _pupils(rng, academy)
    running = rng.choice(len(sizes), size=rng.integers(1, 4), replace=False)
    eligible = np.isin(academy, running)
    treated = eligible & (rng.random(len(academy)) < _selection_probability(pupils))
    post = pupils.pop("post0") + treated * effect * cohort_sd()
    post[rng.random(len(academy)) < 0.05] = np.nan
    frame = pd.DataFrame(pupils).assign(
        pupil_id=[f"P{i:05d}" for i in range(len(academy))],
        urn=academy,
        year_group=7,
        treated=treated,
        post=post,
    )
    frame.loc[rng.random(len(academy)) < 0.02, "prior"] = np.nan
    return frame


def _one(rng: np.random.Generator, effect: float) -> dict | None:
    frame = simulate_year_group(rng, effect)
    if frame["treated"].sum() < 4:
        return None
    result = evaluate(frame, pupil_groups=False)
    if result.headline is None:
        return None
    h = result.headline
    return {
        "effect": effect,
        "estimate": h.effect_size,
        "ci_low": h.ci_low,
        "ci_high": h.ci_high,
        "n_intervention": result.n_intervention,
        "max_smd_after": max((abs(r.smd_after or 0) for r in result.balance), default=0.0),
    }


CHUNK = 100


def _chunk(job: tuple[float, int, np.random.SeedSequence]) -> list[dict]:
    effect, n, seed = job
    rng = np.random.default_rng(seed)
    return [row for row in (_one(rng, effect) for _ in range(n)) if row is not None]


def simulate(
    n_per_effect: int = 500,
    effects: tuple[float, ...] = (0.0, 0.1, 0.3),
    seed: int = 1,
    workers: int | None = None,
) -> pd.DataFrame:
    """One row per simulated intervention that could be evaluated.

    The runs are split into chunks of ``CHUNK`` with their own seeds (``SeedSequence.spawn``),
    so the result is the same however many ``workers`` processes share them (default: the
    machine's CPUs, at most 4).
    """
    sizes = [min(CHUNK, n_per_effect - start) for start in range(0, n_per_effect, CHUNK)]
    seeds = iter(np.random.SeedSequence(seed).spawn(len(sizes) * len(effects)))
    jobs = [(effect, size, next(seeds)) for effect in effects for size in sizes]
    workers = workers or min(4, os.cpu_count() or 1)
    if workers == 1:
        chunks = [_chunk(job) for job in jobs]
    else:
        with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
            chunks = list(pool.map(_chunk, jobs))
    return pd.DataFrame([row for chunk in chunks for row in chunk])


def summarise(runs: pd.DataFrame, n_simulations: int) -> StudySummary:
    """Coverage of the 95% CI, mean bias, and the false-positive rate on null effects."""
    covered = (runs["ci_low"] <= runs["effect"]) & (runs["effect"] <= runs["ci_high"])
    null = runs[runs["effect"] == 0]
    by_effect = {
        float(effect): {
            "n": float(len(group)),
            "coverage": float(covered[group.index].mean()),
            "mean_bias": float((group["estimate"] - effect).mean()),
            "mean_n_intervention": float(group["n_intervention"].mean()),
        }
        for effect, group in runs.groupby("effect")
    }
    return StudySummary(
        n_simulations=n_simulations,
        n_evaluated=len(runs),
        coverage=float(covered.mean()),
        mean_bias=float((runs["estimate"] - runs["effect"]).mean()),
        false_positive_rate=float((null["ci_low"] > 0).mean()),
        false_positive_rate_two_sided=float(((null["ci_low"] > 0) | (null["ci_high"] < 0)).mean()),
        by_effect=by_effect,
    )


def run_study(
    n_per_effect: int = 500,
    effects: tuple[float, ...] = (0.0, 0.1, 0.3),
    seed: int = 1,
    workers: int | None = None,
) -> StudySummary:
    """Simulate ``n_per_effect`` interventions per true effect and summarise."""
    runs = simulate(n_per_effect, effects, seed, workers)
    return summarise(runs, n_per_effect * len(effects))


@dataclass(frozen=True)
class PlantedIntervention:
    """An intervention planted in a synthetic trust: where, the true effect (SD) and subject."""

    urn: int
    effect: float
    subject: str = "Reading"


@dataclass
class SyntheticTrust:
    """Store-shaped tables of a synthetic trust and the participants of each planted intervention."""

    tables: dict[str, pd.DataFrame]
    participants: list[list[str]]


def _store_rows(pupils: dict[str, np.ndarray], ids: list[str]) -> dict[str, pd.DataFrame]:
    n = len(ids)
    sen = np.where(pupils["sen"], np.where(np.arange(n) % 5 == 0, "E", "K"), "N")
    return {
        "pupils": pd.DataFrame(
            {
                "pupil_id": ids,
                "sex": np.where(pupils["female"], "F", "M"),
                "disadvantaged": pupils["disadvantaged"],
                "sen": sen,
                "eal": pupils["eal"],
                "looked_after": False,
                "birth_year": 2010,
                "birth_month": 1 + np.arange(n) % 12,
            }
        ),
        "prior_attainment": pd.DataFrame(
            {
                "pupil_id": ids,
                "ks2_reading_scaled": np.clip(np.round(pupils["prior"]), 80, 120),
                "ks2_maths_scaled": np.clip(np.round(pupils["prior"] + 1), 80, 120),
                "ks1_aps": np.nan,
            }
        ),
    }


def synthetic_trust(
    seed: int,
    urns: tuple[int, ...],
    planted: tuple[PlantedIntervention, ...] = (),
    pupils_per_academy: int = 120,
    year_group: int = 9,
    academic_year: str = "2024/25",
) -> SyntheticTrust:
    """A trust's year group with a pre-test (autumn) and post-test (summer) in each planted
    subject, prior attainment, characteristics and attendance, as the analytical store holds them."""
    rng = np.random.default_rng(seed)
    parts: dict[str, list[pd.DataFrame]] = {
        "pupils": [],
        "prior_attainment": [],
        "assessment_results": [],
        "attendance": [],
    }
    participants: list[list[str]] = [[] for _ in planted]
    for urn in urns:
        pupils = _pupils(rng, np.zeros(pupils_per_academy, int))
        ids = [f"S{urn}-{i:04d}" for i in range(pupils_per_academy)]
        for name, frame in _store_rows(pupils, ids).items():
            parts[name].append(frame)
        subjects = sorted({p.subject for p in planted} or {"Reading"})
        chosen = {
            i: rng.random(len(ids)) < _selection_probability(pupils)
            for i, p in enumerate(planted)
            if p.urn == urn
        }
        for i, mask in chosen.items():
            participants[i] += [pid for pid, m in zip(ids, mask, strict=True) if m]
        for subject in subjects:
            post = pupils["post0"].copy()
            for i, mask in chosen.items():
                if planted[i].subject == subject:
                    post = post + mask * planted[i].effect * cohort_sd()
            for term, values in (("autumn", pupils["pre"]), ("summer", post)):
                parts["assessment_results"].append(
                    pd.DataFrame(
                        {
                            "pupil_id": ids,
                            "urn": urn,
                            "academic_year": academic_year,
                            "term": term,
                            "subject": subject,
                            "year_group": year_group,
                            "scale": "scaled",
                            "value": np.clip(np.round(values, 1), 70, 141),
                            "band": pd.Series([None] * len(ids), dtype="string"),
                        }
                    )
                )
        for term in ("autumn", "summer"):
            rate = np.clip(
                0.95 - 0.03 * pupils["disadvantaged"] + rng.normal(0, 0.03, len(ids)), 0.5, 1.0
            )
            parts["attendance"].append(
                pd.DataFrame(
                    {
                        "pupil_id": ids,
                        "urn": urn,
                        "academic_year": academic_year,
                        "term": term,
                        "possible_sessions": 140,
                        "attended_sessions": np.round(140 * rate).astype(int),
                        "authorised_absence": np.round(140 * (1 - rate)).astype(int),
                        "unauthorised_absence": 0,
                    }
                )
            )
    tables = {name: pd.concat(frames, ignore_index=True) for name, frames in parts.items()}
    return SyntheticTrust(tables, participants)

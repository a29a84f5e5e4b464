"""Simulated trusts with one planted practice effect, to check the practice analysis.

Each simulated trust has ``academies`` academies with ten independent area scores (academy
means of a 1-5 survey, SD about 0.5), a random academy effect, and pupils with a standardised
prior attainment and a disadvantage flag that both move the outcome and differ by academy.
Only ``planted`` changes the outcome (``effect`` outcome points per area point). The
per-academy sums are built with numpy exactly as the engine builds them from pupil rows
(:func:`trustlens.analytics.practice_data.academy_sums`), so a replication costs one small
fit per area. Pure numpy: no Django.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from trustlens.analytics.practice import AREA_CODES, SUM_COLUMNS


@dataclass(frozen=True)
class SimulatedTrust:
    sums: pd.DataFrame  #: urn + SUM_COLUMNS
    profile: pd.DataFrame  #: urn, area, score, respondents
    pupils: pd.DataFrame  #: urn, outcome, prior, disadv (for checks against MixedLM)


def simulate_trust(
    rng: np.random.Generator,
    *,
    academies: int = 15,
    pupils: tuple[int, int] = (40, 90),
    planted: str = "behaviour",
    effect: float = 0.3,
    academy_sd: float = 0.15,
    pupil_sd: float = 0.9,
) -> SimulatedTrust:
    """One trust: scores, academy effects and pupils (outcome in SD-like units)."""
    urns = np.arange(100001, 100001 + academies)
    scores = np.clip(rng.normal(3.4, 0.5, (academies, len(AREA_CODES))), 1, 5)
    sizes = rng.integers(pupils[0], pupils[1] + 1, academies)
    academy = np.repeat(np.arange(academies), sizes)
    disadv_rate = rng.uniform(0.1, 0.5, academies)
    disadv = (rng.random(len(academy)) < disadv_rate[academy]).astype(float)
    prior = rng.normal(-0.3 * disadv_rate[academy] * 2, 1.0)
    u = rng.normal(0, academy_sd, academies)
    planted_score = scores[:, AREA_CODES.index(planted)]
    outcome = (
        0.6 * prior
        - 0.25 * disadv
        + effect * (planted_score[academy] - 3.4)
        + u[academy]
        + rng.normal(0, pupil_sd, len(academy))
    )
    frame = pd.DataFrame(
        {"urn": urns[academy], "outcome": outcome, "prior": prior, "disadv": disadv}
    )
    profile = pd.DataFrame(
        {
            "urn": np.repeat(urns, len(AREA_CODES)),
            "area": np.tile(AREA_CODES, academies),
            "score": scores.ravel(),
            "respondents": 12,
        }
    )
    return SimulatedTrust(pupil_sums(frame), profile, frame)


def pupil_sums(frame: pd.DataFrame) -> pd.DataFrame:
    """Per-academy sums of pupil rows (``urn``, ``outcome``, ``prior``, ``disadv``)."""
    y, p, d = frame["outcome"], frame["prior"], frame["disadv"]
    parts = pd.DataFrame(
        {
            "urn": frame["urn"],
            "n": 1.0,
            "s_y": y,
            "s_yy": y * y,
            "s_prior": p,
            "s_disadv": d,
            "s_prior_prior": p * p,
            "s_prior_disadv": p * d,
            "s_disadv_disadv": d * d,
            "s_prior_y": p * y,
            "s_disadv_y": d * y,
        }
    )
    return parts.groupby("urn", as_index=False)[list(SUM_COLUMNS)].sum()

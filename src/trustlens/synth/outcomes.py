"""Statutory outcomes: KS2 scaled scores and writing TA, KS4 Attainment 8 and its elements.

KS2 is drawn given KS1 APS (correlation ``KS2_FROM_KS1``) plus the primary's school effect and the
pupil-level progress gaps, in SD units of each KS2 score; scaled scores are whole numbers 80-120
(STA). Writing teacher assessment bands follow the 2023 national shares (about 29% WTS or below,
13% GDS).

KS4 follows the DfE Progress 8 method backwards (DfE *Secondary accountability measures* guidance;
estimates from the DfE KS4 ready-reckoner, 2023 provisional ``p8_att8_splits.csv``, shipped in
``synth/data``): a pupil's expected A8 is the national average of their KS2 prior attainment group
(prior = mean of KS2 reading and maths scaled scores, 34 groups); A8 = estimate + 10 x (school
effect + pupil effects + noise), the noise SD set so pupil P8 has SD about 1.41 as nationally
(DfE ``p8_stdev_file``, 2022-2024). Elements take the estimate's split (English and maths double
weighted: element = 2 x whole grade), EBacc and open slots the rest; A8 is the sum of elements.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources

import numpy as np
import polars as pl
from scipy.special import expit

from trustlens.synth import parameters as params
from trustlens.synth.pupils import Pupils

ESTIMATES_FILE = "ks4_2023_provisional_p8_att8_splits.csv"
WRITING_TA = np.array(["BLW", "PKF", "WTS", "EXS", "GDS"])
#: Upper bounds (inclusive) of KS4 prior attainment groups 1-6; then 1-point steps to group 34.
_LOWER_GROUPS = (82.0, 86.0, 87.5, 89.0, 90.5, 92.0)
GROUPS = 34
GRADE_NOISE_SD = 0.6


@dataclass(frozen=True)
class A8Estimates:
    """National A8 estimates by prior attainment group (index = group; index 0 unused)."""

    overall: np.ndarray
    english: np.ndarray
    maths: np.ndarray
    ebacc: np.ndarray
    open: np.ndarray


@cache
def a8_estimates() -> A8Estimates:
    """The DfE 2023 provisional A8 estimates of the 34 prior attainment groups."""
    path = resources.files("trustlens.synth") / "data" / ESTIMATES_FILE
    with resources.as_file(path) as file:
        table = pl.read_csv(file).sort("KS2 prior attainment group")
    columns = (
        "Attainment 8 average",
        "English average",
        "Maths average",
        "EBacc average",
        "Open average",
    )
    values = [np.concatenate([[np.nan], table[c].to_numpy().astype(float)]) for c in columns]
    return A8Estimates(*values)


def p8_group(fine: np.ndarray) -> np.ndarray:
    """KS4 prior attainment group (1-34) of a KS2 fine level (DfE ready-reckoner cut-offs)."""
    groups = np.clip(np.ceil(fine) - 86, 7, GROUPS)
    for group, bound in reversed(list(enumerate(_LOWER_GROUPS, 1))):
        groups = np.where(fine <= bound, group, groups)
    return groups.astype(np.int64)


def _noise(rng: np.random.Generator, propensity: np.ndarray) -> np.ndarray:
    weight = params.PROPENSITY_WEIGHT
    return weight * propensity + np.sqrt(1 - weight**2) * rng.normal(0, 1, len(propensity))


def assign_ks2(
    rng: np.random.Generator, pupils: Pupils, index: np.ndarray, effect: np.ndarray
) -> None:
    """Fill the KS2 results of ``pupils[index]`` given KS1 and the school ``effect`` (SD units)."""
    n = len(index)
    lam = params.KS2_FROM_KS1
    k2 = lam * pupils.ks1_z()[index] + np.sqrt(1 - lam**2) * _noise(rng, pupils.propensity[index])
    shift = effect + pupils.centred_effect(params.KS2_PUPIL_EFFECTS, index)
    z = {s: np.sqrt(0.8) * k2 + np.sqrt(0.2) * rng.normal(0, 1, n) + shift for s in params.KS2_MEAN}
    for subject in ("reading", "maths", "gps"):
        score = np.clip(
            np.round(params.KS2_MEAN[subject] + params.KS2_SD[subject] * z[subject]), 80, 120
        )
        getattr(pupils, f"ks2_{subject}")[index] = score
    w = z["writing"]
    pupils.ks2_writing[index] = np.select(
        [w < -2.9, w < -2.5, w < params.WTS_BELOW, w <= params.GDS_ABOVE], [0, 1, 2, 3], 4
    )
    missing = 0.02 + 0.35 * (pupils.late_arrival[index] & pupils.eal[index])
    pupils.ks2_seen[index] = rng.random(n) >= missing


def ks2_fine(pupils: Pupils, index: np.ndarray | slice = slice(None)) -> np.ndarray:
    """KS2 prior attainment: mean of reading and maths scaled scores."""
    return (pupils.ks2_reading[index] + pupils.ks2_maths[index]) / 2.0


def ks4_results(
    rng: np.random.Generator, pupils: Pupils, index: np.ndarray, effect: np.ndarray
) -> dict[str, np.ndarray]:
    """Attainment 8, its elements and the headline flags for ``pupils[index]``."""
    est = a8_estimates()
    fine = ks2_fine(pupils, index)
    group = p8_group(fine)
    p8 = effect + pupils.centred_effect(params.P8_PUPIL_EFFECTS, index)
    p8 = p8 + params.P8_NOISE_SD * _noise(rng, pupils.propensity_ks4[index])
    target = np.clip(est.overall[group] + 10 * p8, 0, 90)
    elements = _elements(rng, est, group, target)
    disadvantaged = pupils.disadvantaged[index]
    entered = rng.random(len(index)) < expit(-0.5 + 0.25 * (fine - 104.5) - 0.4 * disadvantaged)
    english, maths = elements["a8_english"] / 2, elements["a8_maths"] / 2
    return {
        "group": group,
        "estimate": est.overall[group],
        **elements,
        "attainment8": np.round(sum(elements.values()), 2),
        "eng_maths_4plus": (english >= 4) & (maths >= 4),
        "eng_maths_5plus": (english >= 5) & (maths >= 5),
        "ebacc_entered": entered,
    }


def _elements(rng: np.random.Generator, est: A8Estimates, group: np.ndarray, target: np.ndarray):
    """Split each pupil's A8 into elements in proportion to the group's element estimates."""
    n = len(group)
    ratio = target / est.overall[group]
    grades = {}
    for name, column in (("a8_english", est.english), ("a8_maths", est.maths)):
        grade = column[group] * ratio / 2 + rng.normal(0, GRADE_NOISE_SD, n)
        grades[name] = 2 * np.clip(np.round(grade), 0, 9)
    rest = np.maximum(target - grades["a8_english"] - grades["a8_maths"], 0)
    share = est.ebacc[group] / (est.ebacc[group] + est.open[group])
    ebacc = np.clip(np.round(rest * share), 0, 27)
    open_ = np.clip(np.round((rest - ebacc) * 2) / 2, 0, 27)
    return {**grades, "a8_ebacc": ebacc, "a8_open": open_}

"""Interventions with known true effects, and the selection bias real ones have.

Each intervention runs at one academy for one year group and subject between a pre window and a
post window. Pupils are picked on *low* pre-window scores (plus a little teacher judgement noise),
as catch-up programmes are, so a naive pre/post comparison shows regression to the mean; the
EEF DIY evaluation guide's matched comparison group is needed to recover the true effect. The true
effect (SD units of the subject's score) is added to participants' results in the post window only.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from trustlens.synth import parameters as params
from trustlens.synth.assessments import Results
from trustlens.synth.calendar import Calendar, year_label
from trustlens.synth.organisation import PRIMARY, SECONDARY, Academies

SELECTION_NOISE_SD = 0.3


@dataclass(frozen=True)
class InterventionSpec:
    name: str
    programme: str
    phase: str
    subject: str
    year_group: int
    pre: tuple[int, str]  #: (years before the current year, term)
    post: tuple[int, str]
    share: float  #: share of the year group selected
    cost_fixed: float
    cost_per_pupil: float


SPECS = (
    InterventionSpec(
        "Phonics catch-up groups",
        "phonics",
        PRIMARY,
        "reading",
        2,
        (-2, "autumn"),
        (-2, "summer"),
        0.3,
        1500,
        120,
    ),
    InterventionSpec(
        "Maths mastery booster",
        "maths_mastery",
        PRIMARY,
        "maths",
        5,
        (-1, "autumn"),
        (-1, "summer"),
        0.3,
        3000,
        60,
    ),
    InterventionSpec(
        "Year 10 small-group maths tutoring",
        "tutoring",
        SECONDARY,
        "maths",
        10,
        (-2, "autumn"),
        (-2, "summer"),
        0.2,
        500,
        450,
    ),
    InterventionSpec(
        "Period 1 English withdrawal",
        "catch_up",
        SECONDARY,
        "english",
        9,
        (-1, "autumn"),
        (-1, "spring"),
        0.2,
        0,
        40,
    ),
    InterventionSpec(
        "Year 7 reading fluency",
        "reading_fluency",
        SECONDARY,
        "english",
        7,
        (-1, "autumn"),
        (-1, "summer"),
        0.25,
        800,
        35,
    ),
    InterventionSpec(
        "Year 4 reading fluency",
        "reading_fluency",
        PRIMARY,
        "reading",
        4,
        (-3, "spring"),
        (-3, "summer"),
        0.3,
        600,
        30,
    ),
)


@dataclass
class Planted:
    intervention_id: str
    spec: InterventionSpec
    effect: float
    academy: int
    pre_year: int
    post_year: int
    pupils: np.ndarray  #: pupil indices of the participants
    post_results: int  #: participants' results that carry the effect


def plant(
    rng: np.random.Generator, calendar: Calendar, academies: Academies, res: Results
) -> list[Planted]:
    """Select participants and add each intervention's true effect to their post-window results."""
    planted: list[Planted] = []
    hosts = {phase: _hosts(academies, phase) for phase in (PRIMARY, SECONDARY)}
    used = {PRIMARY: 0, SECONDARY: 0}
    for spec, effect in zip(SPECS, params.INTERVENTION_EFFECTS, strict=True):
        pre_year, post_year = calendar.current + spec.pre[0], calendar.current + spec.post[0]
        if pre_year < calendar.first or len(hosts[spec.phase]) == 0:
            continue
        academy = int(hosts[spec.phase][used[spec.phase] % len(hosts[spec.phase])])
        used[spec.phase] += 1
        pre = res.window(academy, pre_year, spec.pre[1], spec.subject, spec.year_group)
        if len(pre) == 0:
            continue
        chosen = _select(rng, res, pre, spec.share)
        post = res.window(academy, post_year, spec.post[1], spec.subject, spec.year_group)
        treated = post[np.isin(res.pupil[post], chosen)]
        res.z[treated] += effect
        ident = f"INT{len(planted) + 1:03d}"
        planted.append(
            Planted(ident, spec, effect, academy, pre_year, post_year, chosen, len(treated))
        )
    return planted


def _hosts(academies: Academies, phase: str) -> np.ndarray:
    idx = academies.indices(phase)
    return idx[np.argsort(-academies.cohort_size[idx], kind="stable")]


def _select(rng: np.random.Generator, res: Results, pre: np.ndarray, share: float) -> np.ndarray:
    """The lowest-scoring ``share`` of the pre window, on score plus judgement noise."""
    judged = res.z[pre] + rng.normal(0, SELECTION_NOISE_SD, len(pre))
    n = max(1, round(share * len(pre)))
    return np.sort(res.pupil[pre][np.argsort(judged, kind="stable")[:n]])


def frames(
    planted: list[Planted], urns: np.ndarray, pupil_ids: pl.Series
) -> tuple[pl.DataFrame, pl.DataFrame]:
    """interventions.csv and intervention_pupils.csv."""
    rows = [
        {
            "intervention_id": p.intervention_id,
            "name": p.spec.name,
            "urn": int(urns[p.academy]),
            "subject": p.spec.subject,
            "pre_year": year_label(p.pre_year),
            "pre_term": p.spec.pre[1],
            "post_year": year_label(p.post_year),
            "post_term": p.spec.post[1],
            "cost_fixed": float(p.spec.cost_fixed),
            "cost_per_pupil": float(p.spec.cost_per_pupil),
            "programme": p.spec.programme,
        }
        for p in planted
    ]
    members = [(p.intervention_id, pid) for p in planted for pid in pupil_ids.gather(p.pupils)]
    return (
        pl.DataFrame(rows, schema=_SCHEMA),
        pl.DataFrame(members, schema=["intervention_id", "pupil_id"], orient="row"),
    )


_SCHEMA = {
    "intervention_id": pl.String,
    "name": pl.String,
    "urn": pl.Int64,
    "subject": pl.String,
    "pre_year": pl.String,
    "pre_term": pl.String,
    "post_year": pl.String,
    "post_term": pl.String,
    "cost_fixed": pl.Float64,
    "cost_per_pupil": pl.Float64,
    "programme": pl.String,
}


def truth(planted: list[Planted], urns: np.ndarray) -> list[dict]:
    """truth.json entries: the true effect and the design of each intervention."""
    return [
        {
            "intervention_id": p.intervention_id,
            "name": p.spec.name,
            "programme": p.spec.programme,
            "urn": int(urns[p.academy]),
            "subject": p.spec.subject,
            "year_group": p.spec.year_group,
            "pre": {"academic_year": year_label(p.pre_year), "term": p.spec.pre[1]},
            "post": {"academic_year": year_label(p.post_year), "term": p.spec.post[1]},
            "true_effect_sd": p.effect,
            "participants": len(p.pupils),
            "participants_with_post_result": p.post_results,
            "selection": f"lowest {p.spec.share:.0%} of the year group on the pre-window score + N(0, {SELECTION_NOISE_SD}) noise",
        }
        for p in planted
    ]

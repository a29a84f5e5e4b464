"""Pupil outcomes for the practice analysis, and their per-academy sums, as Ibis expressions.

One row per pupil and academy for the year: ``outcome`` (in-year value added averaged over the
pupil's results, P8, or attendance %), ``prior`` (prior attainment standardised within its
key stage: KS2 fine level for secondary pupils, KS1 APS for primary) and ``disadv`` (0/1).
:func:`academy_sums` then reduces them to the small per-academy aggregate the multilevel fit
needs (:mod:`trustlens.analytics.practice`). The measures are the house ones
(:mod:`trustlens.analytics.measures`): value added as DESIGN.md section 4 describes, P8 as the
DfE computes it (trust cohort estimates), attendance as sessions attended / possible.
Pure Ibis: no Django.
"""

from __future__ import annotations

from collections.abc import Callable

import ibis
import pandas as pd
from ibis import _

from trustlens.analytics import engine
from trustlens.analytics.measures.attendance import pupil_attendance
from trustlens.analytics.measures.prior import ks2_fine_level
from trustlens.analytics.measures.progress8 import pupil_progress8
from trustlens.analytics.measures.value_added import pupil_value_added
from trustlens.analytics.practice import SUM_COLUMNS

Source = Callable[[str], ibis.Table]
#: outcome -> the datasets it reads
DATASETS = {
    "va": ("assessment_results", "prior_attainment", "pupils"),
    "p8": ("ks4", "pupils"),
    "attendance": ("attendance", "prior_attainment", "pupils"),
}


def _standardised(table: ibis.Table, column: str, by: str) -> ibis.Table:
    """``column`` as a z-score within each ``by`` group (window mean and SD)."""
    window = ibis.window(group_by=[table[by]])
    mean, sd = table[column].mean().over(window), table[column].std().over(window)
    return table.mutate(prior=((table[column] - mean) / sd.nullif(0)).fill_null(0.0))


def _va(source: Source, year: str) -> ibis.Table:
    results = source("assessment_results").filter(_.academic_year == year)
    pupil_va = pupil_value_added(results, source("prior_attainment"))
    per_pupil = pupil_va.group_by(["pupil_id", "urn"]).agg(
        outcome=_.va.mean(), raw_prior=_.prior.mean(), stage=(_.year_group >= 7).max()
    )
    return _standardised(per_pupil, "raw_prior", "stage")


def _p8(source: Source, year: str) -> ibis.Table:
    ks4 = source("ks4").filter(_.academic_year == year)
    pupils = pupil_progress8(ks4, elements=False).filter(_.p8.notnull())
    table = pupils.select("pupil_id", "urn", outcome=_.p8, raw_prior=_.ks2_fine_level)
    table = table.filter(_.raw_prior.notnull()).mutate(stage=ibis.literal("ks2"))
    return _standardised(table, "raw_prior", "stage")


def _attendance(source: Source, year: str) -> ibis.Table:
    rows = pupil_attendance(source("attendance").filter(_.academic_year == year))
    prior = source("prior_attainment")
    fine = ks2_fine_level(prior.ks2_reading_scaled, prior.ks2_maths_scaled)
    prior = prior.select(
        "pupil_id",
        raw_prior=ibis.coalesce(fine, prior.ks1_aps.cast("float64")),
        stage=fine.notnull(),
    ).filter(_.raw_prior.notnull())
    table = rows.inner_join(prior, "pupil_id").mutate(outcome=100.0 * (1.0 - _.absence_rate))
    return _standardised(
        table.select("pupil_id", "urn", "outcome", "raw_prior", "stage"), "raw_prior", "stage"
    )


BUILDERS = {"va": _va, "p8": _p8, "attendance": _attendance}


def pupil_outcomes(source: Source, year: str, outcome: str = "va") -> ibis.Table:
    """Pupil rows ``urn``, ``outcome``, ``prior``, ``disadv`` for ``year``."""
    if outcome not in BUILDERS:
        raise ValueError(f"unknown outcome {outcome!r}; choose one of {', '.join(BUILDERS)}")
    table = BUILDERS[outcome](source, year)
    pupils = source("pupils").select("pupil_id", "disadvantaged")
    table = table.left_join(pupils, "pupil_id")
    return table.select(
        "urn",
        outcome=_.outcome.cast("float64"),
        prior=_.prior.cast("float64"),
        disadv=_.disadvantaged.fill_null(False).cast("float64"),
    ).filter(_.outcome.notnull())


def academy_sums(pupils: ibis.Table) -> ibis.Table:
    """Per academy: n and the sums and cross-products of prior, disadv and the outcome."""
    y, p, d = pupils.outcome, pupils.prior, pupils.disadv
    return pupils.group_by("urn").agg(
        n=y.count().cast("float64"),
        s_y=y.sum(),
        s_yy=(y * y).sum(),
        s_prior=p.sum(),
        s_disadv=d.sum(),
        s_prior_prior=(p * p).sum(),
        s_prior_disadv=(p * d).sum(),
        s_disadv_disadv=(d * d).sum(),
        s_prior_y=(p * y).sum(),
        s_disadv_y=(d * y).sum(),
    )


def outcome_sums(source: Source, year: str, outcome: str = "va") -> pd.DataFrame:
    """The per-academy sums for ``year`` and ``outcome`` (executes one small aggregate)."""
    frame = engine.execute(academy_sums(pupil_outcomes(source, year, outcome)))
    return frame[["urn", *SUM_COLUMNS]]

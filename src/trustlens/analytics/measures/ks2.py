"""KS2 progress in reading, writing and maths from KS1 prior attainment.

Source: DfE, *Primary school accountability in 2019: technical guide* - pupils are grouped by
KS1 average point score; a pupil's progress score in a subject = their KS2 score minus the
national mean KS2 score of their prior attainment group; writing uses teacher assessment
converted to nominal scores (working towards 91, expected 103, greater depth 113); the school
score is the mean, with a 95% CI of +- 1.96 x national SD / sqrt(n) (implied 2018/19 SDs about
6.18 reading, 5.71 writing and 5.39 maths from the published Hampshire and Surrey tables).

The DfE's national KS2 estimates and group boundaries are not in our shipped data: by default
estimates and SDs come from the supplied cohort (``estimate_source = "cohort"``); callers with
national estimates pass them in (columns ``ks1_group``, ``est_reading``, ``est_writing``,
``est_maths``) and the national SDs as ``sigma``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import ibis
import pandas as pd
from ibis import _

from trustlens.analytics.measures.groups import with_groups
from trustlens.analytics.measures.prior import ks1_band, ks1_group
from trustlens.analytics.measures.summary import with_interval
from trustlens.analytics.stats.intervals import f64

SUBJECTS = ("reading", "writing", "maths")
#: Writing teacher assessment -> nominal scaled score (DfE 2018/19 technical guide).
WRITING_NOMINAL = {"WTS": 91.0, "EXS": 103.0, "GDS": 113.0}
EXPECTED_STANDARD = 100.0
HIGHER_STANDARD = 110.0


def writing_score(writing_ta: ibis.Value) -> ibis.Value:
    """Nominal scaled score for a writing teacher assessment (null when not WTS/EXS/GDS)."""
    points = {ta: f64(score) for ta, score in WRITING_NOMINAL.items()}
    return writing_ta.substitute(points, else_=ibis.null().cast("float64"))


def _outcomes(ks2: ibis.Table) -> ibis.Table:
    return ks2.mutate(
        ks1_group=ks1_group(_.ks1_aps),
        prior_band=ks1_band(_.ks1_aps),
        outcome_reading=_.reading_scaled.cast("float64"),
        outcome_writing=writing_score(_.writing_ta),
        outcome_maths=_.maths_scaled.cast("float64"),
    ).filter(_.ks1_aps.notnull())


def _cohort_estimates(table: ibis.Table) -> ibis.Table:
    keys = ["academic_year", "ks1_group"]
    return table.group_by(keys).agg(**{f"est_{s}": table[f"outcome_{s}"].mean() for s in SUBJECTS})


def pupil_ks2_progress(
    ks2: ibis.Table, estimates: pd.DataFrame | ibis.Table | None = None
) -> ibis.Table:
    """One row per pupil with a KS1 APS: ``ks1_group``, ``prior_band`` and
    ``reading_progress``/``writing_progress``/``maths_progress`` (null where a subject is
    missing), with ``estimate_source``."""
    table = _outcomes(ks2)
    if estimates is None:
        groups, keys, source = _cohort_estimates(table), ["academic_year", "ks1_group"], "cohort"
    else:
        groups = ibis.memtable(estimates) if isinstance(estimates, pd.DataFrame) else estimates
        keys, source = ["ks1_group"], "supplied"
    joined = table.inner_join(groups, keys)
    progress = {f"{s}_progress": joined[f"outcome_{s}"] - joined[f"est_{s}"] for s in SUBJECTS}
    out = joined.mutate(estimate_source=ibis.literal(source), **progress)
    return out.drop(*[f"est_{s}" for s in SUBJECTS])


def ks2_progress(
    ks2: ibis.Table,
    *,
    by: Sequence[str] = ("urn", "academic_year"),
    estimates: pd.DataFrame | ibis.Table | None = None,
    sigma: Mapping[str, float] | None = None,
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
    level: float = 0.95,
) -> ibis.Table:
    """KS2 progress per group in long form (``subject`` key: reading, writing, maths).

    ``sigma`` maps subject -> national SD; without it the cohort SD of pupil progress is used.
    Bands are the DfE's significance bands (above / average / below; no 'well' threshold).
    """
    scores = with_groups(pupil_ks2_progress(ks2, estimates), by, pupils, academies)
    cohort_keys = [k for k in ("academic_year",) if k in by]
    parts = []
    for subject in SUBJECTS:
        column = scores[f"{subject}_progress"]
        agg = scores.group_by(list(by)).agg(
            pupils=column.count(), total=column.sum(), total_sq=(column * column).sum()
        )
        spread = sigma[subject] if sigma else "cohort"
        part = with_interval(agg, sigma=spread, cohort_keys=cohort_keys, level=level)
        parts.append(part.mutate(subject=ibis.literal(subject)))
    return ibis.union(*parts)


def rwm_flags(ks2: ibis.Table) -> ibis.Table:
    """Add ``rwm_expected`` and ``rwm_higher`` (reading, writing and maths combined).

    Expected: reading and maths scaled >= 100 and writing EXS or GDS; higher: reading and maths
    >= 110 and writing GDS (DfE KS2 headline measures). Missing results count as not met.
    """
    expected = (
        (_.reading_scaled >= EXPECTED_STANDARD)
        & (_.maths_scaled >= EXPECTED_STANDARD)
        & _.writing_ta.isin(["EXS", "GDS"])
    )
    higher = (
        (_.reading_scaled >= HIGHER_STANDARD)
        & (_.maths_scaled >= HIGHER_STANDARD)
        & (_.writing_ta == "GDS")
    )
    return ks2.mutate(rwm_expected=expected.fill_null(False), rwm_higher=higher.fill_null(False))

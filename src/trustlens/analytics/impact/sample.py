"""The analysis sample and its model: matched pairs, plus each participant academy's own pupils.

Academies differ: in how well their pupils do at a given starting point, and in where their
pupils start. A low scorer at a high-attaining academy tends to score nearer *that academy's*
average next time (regression to the academy mean), and pupils elsewhere with the same pre-test
are not like them in that respect. So the model that estimates the effect includes academy
indicators (fixed effects) and, to estimate each participant academy's own level, the other
non-participants of that academy's year group who were not already matched ("reference"
pupils). The treatment effect is then a comparison within each academy, with the matched pupils
from across the trust showing how progress depends on the starting point (the slope on the
baseline measures). This is the school fixed-effects value-added model (e.g. Raudenbush &
Willms 1995, "The estimation of school effects"; the DfE's contextual value added) applied
to the matched design of the EEF DIY Evaluation Guide.

Each reference pupil is its own cluster for the clustered standard errors; the matched sets
stay clusters. When a participant academy has fewer than ``MIN_REFERENCE`` such pupils (always
so in the programme comparison, which leaves out the non-participants of every academy using the
programme), there are no academy indicators. The outcome is then corrected for regression to the academy
mean instead: a pupil's expected post-test given their pre-test, in academy j, is
b x pre + (1 - b) x mean_pre_j (+ the academy's progress), with b the within-academy slope of
the post-test on the pre-test (Kelley's regression towards the group mean; Campbell & Kenny
1999, *A Primer on Regression Artifacts*, ch. 2). So (1 - b) x ``academy_pre_mean`` (the mean
pre-test of *every* pupil of the academy and year group) is subtracted from the post-test,
with b estimated on the non-participants, academy-demeaned. This removes the bias of comparing
a low scorer at a high-attaining academy with a pupil with the same score at a lower-attaining
one, but not differences in how much progress academies make; the cautions say so.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MIN_REFERENCE = 10
ATTAINMENT = ("pre", "prior")


@dataclass
class AnalysisSample:
    """The rows the effect is estimated on, and what the model adjusts for."""

    rows: pd.DataFrame  #: matched rows, then reference rows (``reference`` True)
    covariates: tuple[str, ...]  #: baseline measures and characteristics used in matching
    academy_adjusted: bool
    n_reference: int
    context_slope: float | None = None  #: b, when the post-test was corrected (see above)

    @property
    def matched(self) -> pd.DataFrame:
        return self.rows[~self.rows["reference"].to_numpy(bool)]

    def design(self, rows: pd.DataFrame | None = None) -> np.ndarray:
        """Covariates in priority order: attainment, academy, characteristics, year group.

        ``effect_size.treatment_coefficient`` keeps them in this order while there are enough
        matched sets, so a small sample is adjusted for its baseline and academy first.
        """
        rows = self.rows if rows is None else rows
        attainment = [c for c in self.covariates if c in ATTAINMENT]
        others = [c for c in self.covariates if c not in ATTAINMENT]
        blocks = [rows[attainment].to_numpy(float)]
        if self.academy_adjusted:
            blocks.append(_dummies(rows["urn"]))
        blocks.append(rows[others].to_numpy(float).reshape(len(rows), -1))
        blocks.append(_dummies(rows["year_group"]))
        return np.column_stack(blocks)


def _dummies(values: pd.Series) -> np.ndarray:
    if values.nunique() < 2:
        return np.empty((len(values), 0))
    return pd.get_dummies(values.astype(str), drop_first=True, dtype=float).to_numpy()


def analysis_sample(
    usable: pd.DataFrame, matched: pd.DataFrame, covariates: tuple[str, ...]
) -> AnalysisSample:
    """Matched rows plus the participant academies' other non-participants (when enough)."""
    matched = matched.assign(reference=False)
    if "urn" not in usable or matched["urn"].isna().any():
        return AnalysisSample(matched, covariates, False, 0)
    fallback = _corrected(usable, matched, covariates)
    participant_urns = set(matched.loc[matched["treated"], "urn"])
    used = set(matched["pupil_id"])
    pool = usable[
        ~usable["treated"] & usable["urn"].isin(participant_urns) & ~usable["pupil_id"].isin(used)
    ]
    counts = pool["urn"].value_counts()
    if any(counts.get(urn, 0) < MIN_REFERENCE for urn in participant_urns):
        return fallback
    first_set = int(matched["match_set"].max()) + 1
    reference = pool.assign(reference=True, match_set=np.arange(first_set, first_set + len(pool)))
    rows = pd.concat([matched, reference], ignore_index=True)
    return AnalysisSample(rows, covariates, True, len(reference))


def within_academy_slope(usable: pd.DataFrame) -> float | None:
    """OLS slope of post on pre among non-participants, both demeaned within academy and year."""
    pupils = usable[~usable["treated"].to_numpy(bool)]
    if "pre" not in pupils or len(pupils) < MIN_REFERENCE:
        return None
    groups = pupils.groupby(["urn", "year_group"])
    pre = pupils["pre"] - groups["pre"].transform("mean")
    post = pupils["post"] - groups["post"].transform("mean")
    spread = float((pre**2).sum())
    return float((pre * post).sum() / spread) if spread > 0 else None


def _corrected(
    usable: pd.DataFrame, matched: pd.DataFrame, covariates: tuple[str, ...]
) -> AnalysisSample:
    """The matched sample with the post-test corrected for regression to the academy mean
    (``post_raw`` keeps the original), when there is a pre-test and academies differ."""
    plain = AnalysisSample(matched, covariates, False, 0)
    column = "academy_pre_mean"
    if column not in matched or matched[column].isna().any() or matched["urn"].nunique() < 2:
        return plain
    slope = within_academy_slope(usable)
    if slope is None:
        return plain
    offset = (1 - slope) * matched[column].to_numpy(float)
    rows = matched.assign(post_raw=matched["post"], post=matched["post"] - offset)
    return AnalysisSample(rows, covariates, False, 0, slope)

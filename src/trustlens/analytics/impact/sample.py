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
stay clusters. When a participant academy has fewer than ``MIN_REFERENCE`` such pupils, there is
no academy adjustment and the cautions say so.
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
    participant_urns = set(matched.loc[matched["treated"], "urn"])
    used = set(matched["pupil_id"])
    pool = usable[
        ~usable["treated"] & usable["urn"].isin(participant_urns) & ~usable["pupil_id"].isin(used)
    ]
    counts = pool["urn"].value_counts()
    if any(counts.get(urn, 0) < MIN_REFERENCE for urn in participant_urns):
        return AnalysisSample(matched, covariates, False, 0)
    first_set = int(matched["match_set"].max()) + 1
    reference = pool.assign(reference=True, match_set=np.arange(first_set, first_set + len(pool)))
    rows = pd.concat([matched, reference], ignore_index=True)
    return AnalysisSample(rows, covariates, True, len(reference))

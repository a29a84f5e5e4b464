"""A matched comparison group from non-participants, and its balance table.

Method (EEF *DIY Evaluation Guide*, "choosing a comparison group"; Stuart 2010, "Matching
methods for causal inference: a review and a look forward", *Statistical Science* 25:1-21):

- Exact on year group: participants are only ever compared with pupils of their own year group.
- Within a year group, **optimal 1:k matching without replacement** (Rosenbaum 1989, "Optimal
  matching for observational studies", *JASA* 84:1024-1032) on the Mahalanobis distance of the
  baseline measures (pre-test and/or KS2/KS1 prior attainment) and characteristics
  (disadvantaged, SEN, EAL, sex), solved with the Hungarian algorithm
  (``scipy.optimize.linear_sum_assignment``), so the total distance of the whole matched sample
  is as small as it can be, not just each participant's in turn (greedy matching).
- A **caliper** on the main baseline measure of 0.2 of its pooled SD (Austin 2011, "Optimal
  caliper widths for propensity-score matching", *Pharmaceutical Statistics* 10:150-161; Cochran
  & Rubin 1973): a participant with no non-participant that close is left unmatched and counted,
  never matched to someone unlike them. This is "Mahalanobis matching within calipers"
  (Rosenbaum & Rubin 1985).
- Without replacement: each comparison pupil is used once, so matched sets are disjoint and the
  analysis can cluster on them (Abadie & Spiess 2022).

Balance: standardised mean differences (SMD) before and after matching, each with the same
denominator sqrt((var_T + var_C) / 2) of the unmatched samples (Stuart 2010, section 4.1), an
|SMD| above 0.1 flagged as imbalance (Austin 2011, "An introduction to propensity score
methods...", *Multivariate Behavioral Research* 46:399-424; Normand et al. 2001).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

import numpy as np
import pandas as pd
from scipy.optimize import linear_sum_assignment
from scipy.spatial.distance import cdist

IMBALANCE_SMD = 0.1
DEFAULT_CALIPER_SD = 0.2
_FAR = 1e6


@dataclass(frozen=True)
class BalanceRow:
    """One covariate's means and SMD before and after matching."""

    covariate: str
    label: str
    mean_intervention: float
    mean_comparison_before: float
    smd_before: float
    mean_intervention_after: float | None
    mean_comparison_after: float | None
    smd_after: float | None

    @property
    def imbalanced(self) -> bool:
        return self.smd_after is not None and abs(self.smd_after) > IMBALANCE_SMD

    def to_dict(self) -> dict:
        row = {k: (round(v, 4) if isinstance(v, float) else v) for k, v in asdict(self).items()}
        return row | {"imbalanced": self.imbalanced}


@dataclass
class MatchResult:
    """The matched sample (column ``match_set``), who could not be matched and the balance."""

    matched: pd.DataFrame
    unmatched_ids: list[str]
    balance: list[BalanceRow]
    covariates: tuple[str, ...]
    primary: str
    caliper: float
    ratio: int = 1
    notes: list[str] = field(default_factory=list)

    @property
    def n_matched_intervention(self) -> int:
        return int(self.matched["treated"].to_numpy(bool).sum())

    @property
    def n_matched_comparison(self) -> int:
        return len(self.matched) - self.n_matched_intervention

    @property
    def max_abs_smd_after(self) -> float:
        values = [abs(r.smd_after) for r in self.balance if r.smd_after is not None]
        return max(values, default=0.0)


def _pooled_sd(values: np.ndarray, treated: np.ndarray) -> float:
    return float(np.sqrt((np.var(values[treated], ddof=1) + np.var(values[~treated], ddof=1)) / 2))


def _inverse_covariance(values: np.ndarray) -> np.ndarray:
    return np.linalg.pinv(np.atleast_2d(np.cov(values, rowvar=False)))


def _match_block(
    x_t: np.ndarray, x_c: np.ndarray, inv_cov: np.ndarray, caliper: float, ratio: int
) -> tuple[np.ndarray, np.ndarray]:
    """Optimal matching of one year group: (participant positions, comparison positions).

    Column 0 of ``x_t``/``x_c`` is the caliper measure. Pairs beyond the caliper cost so much
    that the assignment first matches as many participants as the caliper allows, then
    minimises the total distance; those pairs are then dropped.
    """
    distance = cdist(x_t, x_c, "mahalanobis", VI=inv_cov)
    far = np.abs(x_t[:, :1] - x_c[:, 0][None, :]) > caliper
    rows = np.repeat(np.arange(len(x_t)), ratio)
    chosen_rows, chosen_cols = linear_sum_assignment((distance + far * _FAR)[rows])
    keep = ~far[rows[chosen_rows], chosen_cols]
    return rows[chosen_rows][keep], chosen_cols[keep]


def _pairs(
    frame: pd.DataFrame, values: np.ndarray, inv_cov: np.ndarray, caliper: float, ratio: int
) -> np.ndarray:
    """(participant row, comparison row) positions in ``frame``, matched within year group."""
    treated, years = frame["treated"].to_numpy(bool), frame["year_group"].to_numpy()
    pairs = []
    for year in np.unique(years[treated]):
        t_pos = np.flatnonzero(treated & (years == year))
        c_pos = np.flatnonzero(~treated & (years == year))
        if len(c_pos):
            t_idx, c_idx = _match_block(values[t_pos], values[c_pos], inv_cov, caliper, ratio)
            pairs.append(np.column_stack([t_pos[t_idx], c_pos[c_idx]]))
    return np.vstack(pairs) if pairs else np.empty((0, 2), int)


def _matched_sample(frame: pd.DataFrame, pairs: np.ndarray) -> pd.DataFrame:
    """Participants and their comparison pupils, each matched set numbered by its participant."""
    participants, set_of = np.unique(pairs[:, 0], return_inverse=True)
    positions = np.concatenate([participants, pairs[:, 1]])
    sets = np.concatenate([np.arange(len(participants)), set_of])
    return frame.iloc[positions].assign(match_set=sets)


def match(
    frame: pd.DataFrame,
    covariates: tuple[str, ...],
    labels: dict[str, str] | None = None,
    caliper_sd: float = DEFAULT_CALIPER_SD,
    ratio: int = 1,
) -> MatchResult:
    """Match every participant (``treated``) to ``ratio`` non-participants of their year group.

    ``frame`` has one row per pupil: ``pupil_id``, ``treated``, ``year_group`` and the
    ``covariates`` (no missing values); the first covariate is the main baseline measure, the
    one the caliper applies to.
    """
    frame = frame.reset_index(drop=True)
    values, treated = frame[list(covariates)].to_numpy(float), frame["treated"].to_numpy(bool)
    caliper = caliper_sd * _pooled_sd(values[:, 0], treated)
    pairs = _pairs(frame, values, _inverse_covariance(values), caliper, ratio)
    matched = _matched_sample(frame, pairs)
    is_matched = np.zeros(len(frame), bool)
    is_matched[pairs[:, 0]] = True
    unmatched = frame["pupil_id"].to_numpy()[treated & ~is_matched].tolist()
    balance = balance_table(values, treated, pairs, covariates, labels or {})
    return MatchResult(matched, unmatched, balance, covariates, covariates[0], caliper, ratio)


def smd(treated: np.ndarray, comparison: np.ndarray, denominator: float) -> float:
    """Standardised mean difference with a fixed denominator (0 when it is 0)."""
    if denominator <= 0 or np.isnan(denominator):
        return 0.0
    return float((treated.mean() - comparison.mean()) / denominator)


def balance_table(
    values: np.ndarray,
    treated: np.ndarray,
    pairs: np.ndarray,
    covariates: tuple[str, ...],
    labels: dict[str, str],
) -> list[BalanceRow]:
    """SMDs before (all non-participants) and after matching, same denominator both times.

    ``values`` holds the covariates (one column each) of every pupil, ``pairs`` the matched
    (participant, comparison) row positions.
    """
    after = len(pairs) > 0
    participants = np.unique(pairs[:, 0])
    rows = []
    for i, column in enumerate(covariates):
        t, c = values[treated, i], values[~treated, i]
        mt, mc = values[participants, i], values[pairs[:, 1], i]
        denominator = float(np.sqrt((np.var(t, ddof=1) + np.var(c, ddof=1)) / 2))
        rows.append(
            BalanceRow(
                covariate=column,
                label=labels.get(column, column),
                mean_intervention=float(t.mean()),
                mean_comparison_before=float(c.mean()),
                smd_before=smd(t, c, denominator),
                mean_intervention_after=float(mt.mean()) if after else None,
                mean_comparison_after=float(mc.mean()) if after else None,
                smd_after=smd(mt, mc, denominator) if after else None,
            )
        )
    return rows

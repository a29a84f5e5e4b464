"""Evaluate one intervention: match, estimate, convert to months, cost and caution.

The method is the EEF *DIY Evaluation Guide*'s: compare participants' post-test results with
those of a comparison group of similar non-participants, report an effect size with its
confidence interval, translate it into months' progress and say plainly how secure it is.
The headline effect size is in standard deviations of the post-test across the whole year group
(participants and all non-participants, pooled within year group), so targeted and whole-class
interventions share one scale; the matched sample's own-SD version is reported beside it.
See ``matching`` (who is compared with whom), ``effect_size`` (how), ``months``, ``costs`` and
``cautions``; docs/impact.md describes it for users.

Input: one row per pupil of the intervention's year group(s) across the trust, with columns
``pupil_id``, ``treated``, ``year_group``, ``post`` (the outcome, NaN when missing) and any of
``pre`` (the pre-test window), ``prior`` (KS2/KS1 prior attainment), ``disadvantaged``,
``sen``, ``eal``, ``female`` (0/1), ``attendance_pre``, ``attendance_post`` (percent).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from trustlens.analytics.impact.cautions import Caution, Facts, PupilCounts, cautions_for
from trustlens.analytics.impact.costs import Costs, costs
from trustlens.analytics.impact.effect_size import (
    EffectEstimate,
    difference_in_differences,
    hedges_g,
    regression_adjusted,
    restandardised,
    year_group_sd,
)
from trustlens.analytics.impact.matching import DEFAULT_CALIPER_SD, BalanceRow, MatchResult, match
from trustlens.analytics.impact.months import impact_description, months_progress
from trustlens.analytics.impact.outcomes import attendance_effect, group_effects
from trustlens.analytics.impact.sample import MIN_REFERENCE, AnalysisSample, analysis_sample

ATTAINMENT = ("pre", "prior")
CHARACTERISTICS = ("disadvantaged", "sen", "eal", "female")
OPTIONAL_COLUMNS = (
    "urn",
    "post",
    *ATTAINMENT,
    *CHARACTERISTICS,
    "attendance_pre",
    "attendance_post",
    "academy_pre_mean",
)
BASELINE_COVERAGE = 0.8
MIN_MATCHED = 5
LABELS = {
    "pre": "Pre-test score",
    "prior": "Prior attainment (key stage)",
    "disadvantaged": "Disadvantaged (proportion)",
    "sen": "SEN support or EHCP (proportion)",
    "eal": "EAL (proportion)",
    "female": "Girls (proportion)",
}

MATCHED_PRE_POST = "matched_pre_post"
MATCHED_PRIOR = "matched_prior"
NO_COMPARISON = "no_comparison"
DESIGNS = {
    MATCHED_PRE_POST: "Matched comparison group, pre-test and post-test",
    MATCHED_PRIOR: "Matched comparison group on key stage prior attainment, post-test only",
    NO_COMPARISON: "No comparison group: participants' results only",
}


@dataclass
class EvaluationResult(PupilCounts):
    """Everything an evaluation found; ``to_dict`` gives the JSON the CLI and the app store."""

    baseline: str = ""
    headline: EffectEstimate | None = None
    sample_sd: EffectEstimate | None = None
    hedges_g: EffectEstimate | None = None
    did: EffectEstimate | None = None
    costs: Costs | None = None
    balance: list[BalanceRow] = field(default_factory=list)
    groups: dict[str, dict] = field(default_factory=dict)
    attendance: dict | None = None
    means: dict[str, float | None] = field(default_factory=dict)
    cautions: list[Caution] = field(default_factory=list)
    no_comparison_reason: str = ""
    academy_adjusted: bool = False
    n_reference: int = 0
    comparison_elsewhere: float | None = None
    context_adjusted: bool = False
    n_comparison_academies: int | None = None

    @property
    def months(self) -> int | None:
        return months_progress(self.headline.effect_size) if self.headline else None

    @property
    def verdict(self) -> str:
        """positive / negative (CI clear of zero), unclear (CI spans zero) or not_evaluated."""
        if self.headline is None:
            return "not_evaluated"
        if self.headline.ci_low > 0:
            return "positive"
        return "negative" if self.headline.ci_high < 0 else "unclear"

    @property
    def summary(self) -> str:
        """One plain sentence on what the result shows."""
        h = self.headline
        if h is None:
            return f"No effect size: {self.no_comparison_reason}."
        figures = f"effect size {h.effect_size:+.2f}, 95% CI {h.ci_low:+.2f} to {h.ci_high:+.2f}"
        months = self.months or 0
        if self.verdict == "positive":
            return f"Participants made about {months} months' more progress than similar pupils who did not take part ({figures})."
        if self.verdict == "negative":
            return f"Participants made about {abs(months)} months' less progress than similar pupils who did not take part ({figures})."
        return f"We cannot tell whether it worked: the estimate is {months:+d} months ({figures}) and the interval includes no effect."

    def to_dict(self) -> dict:
        h = self.headline
        return {
            "design": self.design,
            "design_label": DESIGNS[self.design],
            "n_registered": self.n_registered,
            "n_with_outcome": self.n_with_outcome,
            "n_intervention": self.n_intervention,
            "n_comparison": self.n_comparison,
            "n_unmatched": self.n_unmatched,
            "n_no_baseline": self.n_no_baseline,
            "attrition": round(1 - self.n_with_outcome / self.n_registered, 4)
            if self.n_registered
            else None,
            "baseline": self.baseline,
            "academy_adjusted": self.academy_adjusted,
            "n_reference": self.n_reference,
            "context_adjusted": self.context_adjusted,
            "n_comparison_academies": self.n_comparison_academies,
            "comparison_elsewhere": None
            if self.comparison_elsewhere is None
            else round(self.comparison_elsewhere, 4),
            "effect_size": None if h is None else round(h.effect_size, 4),
            "ci_low": None if h is None else round(h.ci_low, 4),
            "ci_high": None if h is None else round(h.ci_high, 4),
            "months": self.months,
            "months_ci": None
            if h is None
            else [months_progress(h.ci_low), months_progress(h.ci_high)],
            "impact": impact_description(h.effect_size) if h else "Not evaluated",
            "verdict": self.verdict,
            "summary": self.summary,
            **(
                self.costs.to_dict()
                if self.costs
                else {"cost_per_pupil": None, "cost_per_month": None, "cost_note": ""}
            ),
            "regression_adjusted": h.to_dict() if h else None,
            "regression_adjusted_sample_sd": self.sample_sd.to_dict() if self.sample_sd else None,
            "hedges_g": self.hedges_g.to_dict() if self.hedges_g else None,
            "difference_in_differences": self.did.to_dict() if self.did else None,
            "balance": [row.to_dict() for row in self.balance],
            "pupil_groups": self.groups,
            "attendance": self.attendance,
            "means": self.means,
            "cautions": [c.to_dict() for c in self.cautions],
        }


def _prepare(frame: pd.DataFrame) -> pd.DataFrame:
    """Only the columns used, as floats; unknown characteristics count as 0 (not flagged)."""
    columns = [c for c in ("pupil_id", "treated", "year_group", *OPTIONAL_COLUMNS) if c in frame]
    prepared = {
        "pupil_id": frame["pupil_id"].to_numpy(),
        "treated": frame["treated"].to_numpy(bool),
    }
    prepared["year_group"] = frame["year_group"].to_numpy()
    for column in columns[3:]:
        values = frame[column]
        numeric = (
            values.to_numpy(float)
            if values.dtype.kind in "biuf"
            else pd.to_numeric(values, errors="coerce").to_numpy(float)
        )
        prepared[column] = np.nan_to_num(numeric, nan=0.0) if column in CHARACTERISTICS else numeric
    return pd.DataFrame(prepared)


def baseline_columns(frame: pd.DataFrame) -> tuple[str, ...]:
    """The attainment baselines held for at least 80% of participants with a result (pre first)."""
    participants = frame[frame["treated"]]
    held = [
        c for c in ATTAINMENT if c in frame and participants[c].notna().mean() >= BASELINE_COVERAGE
    ]
    if held:
        return tuple(held)
    best = max(
        (c for c in ATTAINMENT if c in frame),
        key=lambda c: participants[c].notna().mean(),
        default=None,
    )
    return (best,) if best is not None and participants[best].notna().any() else ()


def _mean(values: pd.Series) -> float | None:
    values = values.to_numpy(float)
    return round(float(np.nanmean(values)), 2) if np.isfinite(values).any() else None


def _means(result: MatchResult | None, participants: pd.DataFrame) -> dict[str, float | None]:
    """Mean pre- and post-test of participants (and matched comparison pupils)."""
    arms = {"intervention": participants}
    if result is not None:
        m = result.matched
        arms = {"intervention": m[m["treated"]], "comparison": m[~m["treated"]]}
    return {
        f"{window}_{arm}": _mean(rows[window]) if window in rows else None
        for window in ("pre", "post")
        for arm, rows in arms.items()
    }


def _no_comparison(
    result: EvaluationResult, participants: pd.DataFrame, reason: str
) -> EvaluationResult:
    result.design, result.no_comparison_reason = NO_COMPARISON, reason
    result.means = _means(None, participants)
    return result


def _estimate(
    result: EvaluationResult, sample: AnalysisSample, cohort_sd: float, pupil_groups: bool
) -> None:
    """Headline (year-group SD), matched-sample-SD version, Hedges' g, DiD, groups, attendance."""
    rows = sample.rows
    post, treated, sets = (
        rows["post"].to_numpy(),
        rows["treated"].to_numpy(bool),
        rows["match_set"].to_numpy(),
    )
    result.headline = regression_adjusted(post, treated, sample.design(), sets, sd=cohort_sd)
    m = sample.matched
    raw = "post_raw" if "post_raw" in m else "post"
    m_post, m_treated = m[raw].to_numpy(), m["treated"].to_numpy(bool)
    result.hedges_g = hedges_g(m_post[m_treated], m_post[~m_treated])
    result.sample_sd = restandardised(
        result.headline, result.hedges_g.sd, len(m), "regression_adjusted_sample_sd"
    )
    if "pre" in sample.covariates:
        academies = _academy_dummies(rows) if sample.academy_adjusted else None
        result.did = difference_in_differences(
            post, rows["pre"].to_numpy(), treated, sets, cohort_sd, academies
        )
    if pupil_groups:
        result.groups = group_effects(sample, result.headline.sd)
    result.attendance = attendance_effect(sample)


def comparison_elsewhere(matched: pd.DataFrame) -> float | None:
    """Share of matched comparison pupils in academies with no participant (None: no urn)."""
    if "urn" not in matched or matched["urn"].isna().any():
        return None
    treated = matched["treated"].to_numpy(bool)
    comparison_urns = matched.loc[~treated, "urn"]
    if comparison_urns.empty:
        return None
    return float((~comparison_urns.isin(set(matched.loc[treated, "urn"]))).mean())


def comparison_academies(matched: pd.DataFrame) -> int | None:
    """How many academies the matched comparison pupils come from (None: no urn)."""
    if "urn" not in matched or matched["urn"].isna().any():
        return None
    return int(matched.loc[~matched["treated"].to_numpy(bool), "urn"].nunique())


def _academy_dummies(rows: pd.DataFrame) -> np.ndarray:
    return pd.get_dummies(rows["urn"].astype(str), drop_first=True, dtype=float).to_numpy()


def evaluate(
    frame: pd.DataFrame,
    *,
    n_registered: int | None = None,
    cost_fixed: float = 0.0,
    cost_per_pupil: float = 0.0,
    n_academies: int = 1,
    caliper_sd: float = DEFAULT_CALIPER_SD,
    ratio: int = 1,
    pupil_groups: bool = True,
) -> EvaluationResult:
    """Evaluate participants (``treated``) against matched non-participants; see module doc.

    ``n_registered`` counts every registered participant, including those the frame has no
    result for (attrition); costs are spread over them. ``pupil_groups=False`` skips the
    pupil-group estimates (the simulation study does not need them).
    """
    frame = _prepare(frame)
    registered = n_registered if n_registered is not None else int(frame["treated"].sum())
    result = _compare(frame, registered, caliper_sd, ratio, pupil_groups)
    return _finish(result, cost_fixed, cost_per_pupil, n_academies)


def _compare(
    frame: pd.DataFrame, registered: int, caliper_sd: float, ratio: int, pupil_groups: bool
) -> EvaluationResult:
    """Match and estimate, or say why no comparison group could be formed."""
    with_outcome = frame[frame["post"].notna()]
    participants = with_outcome[with_outcome["treated"]]
    result = EvaluationResult(MATCHED_PRIOR, registered, len(participants))
    if participants.empty:
        return _no_comparison(
            result, participants, "no participant has a result in the post-test window"
        )
    baselines = baseline_columns(with_outcome)
    if not baselines:
        return _no_comparison(result, participants, "no pre-test or prior attainment to match on")
    usable = with_outcome.dropna(subset=list(baselines))
    treated = usable["treated"].to_numpy(bool)
    result.n_no_baseline = len(participants) - int(treated.sum())
    result.baseline = "pre" if "pre" in baselines else "prior"
    if treated.all() or not treated.any():
        reason = "no non-participant of the same year group has the outcome and a baseline score"
        return _no_comparison(result, participants, reason)
    characteristics = tuple(c for c in CHARACTERISTICS if c in usable and usable[c].nunique() > 1)
    matched = match(usable, baselines + characteristics, LABELS, caliper_sd, ratio)
    result.balance, result.n_unmatched = matched.balance, len(matched.unmatched_ids)
    result.n_intervention, result.n_comparison = (
        matched.n_matched_intervention,
        matched.n_matched_comparison,
    )
    if result.n_intervention < MIN_MATCHED:
        reason = (
            f"fewer than {MIN_MATCHED} participants had a similar non-participant to compare with"
        )
        result.n_intervention = result.n_comparison = 0
        return _no_comparison(result, participants, reason)
    result.design = MATCHED_PRE_POST if result.baseline == "pre" else MATCHED_PRIOR
    cohort_sd = year_group_sd(
        with_outcome["post"].to_numpy(), with_outcome["year_group"].to_numpy()
    )
    sample = analysis_sample(usable, matched.matched, matched.covariates)
    result.academy_adjusted, result.n_reference = sample.academy_adjusted, sample.n_reference
    result.comparison_elsewhere = comparison_elsewhere(matched.matched)
    result.context_adjusted = sample.context_slope is not None
    result.n_comparison_academies = comparison_academies(matched.matched)
    _estimate(result, sample, cohort_sd, pupil_groups)
    result.means = _means(matched, participants)
    return result


def _finish(
    result: EvaluationResult, cost_fixed: float, cost_per_pupil: float, n_academies: int
) -> EvaluationResult:
    """Costs and cautions, once the estimates are known."""
    spans_zero = result.headline is not None and result.headline.spans_zero
    result.costs = costs(cost_fixed, cost_per_pupil, result.n_registered, result.months, spans_zero)
    baseline_smd = next((r.smd_before for r in result.balance if r.covariate in ATTAINMENT), None)
    facts = Facts(
        design=result.design,
        n_registered=result.n_registered,
        n_with_outcome=result.n_with_outcome,
        n_intervention=result.n_intervention,
        n_comparison=result.n_comparison,
        n_unmatched=result.n_unmatched,
        n_no_baseline=result.n_no_baseline,
        no_comparison_reason=result.no_comparison_reason,
        baseline=result.baseline,
        ci=(result.headline.ci_low, result.headline.ci_high) if result.headline else None,
        imbalanced=[r.label for r in result.balance if r.imbalanced] if result.headline else [],
        baseline_smd_before=baseline_smd,
        n_academies=n_academies,
        academy_adjusted=result.academy_adjusted,
        comparison_elsewhere=result.comparison_elsewhere,
        context_adjusted=result.context_adjusted,
        n_comparison_academies=result.n_comparison_academies,
        min_reference=MIN_REFERENCE,
    )
    result.cautions = cautions_for(facts)
    return result

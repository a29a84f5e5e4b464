"""Intervention impact: matched comparison groups, effect sizes, months' progress, cost, cautions.

Pure Python (numpy, scipy, statsmodels, pandas, Ibis): never imports Django. The method is the
EEF DIY Evaluation Guide's, with sources cited in each module and for users in
docs/impact.md:

- ``frame``: the pupil-level frame from the analytical store (Ibis).
- ``matching``: optimal 1:1 matching within year group, Mahalanobis distance with a caliper, and
  the balance table (standardised mean differences before and after).
- ``effect_size``: Hedges' g, the regression-adjusted effect size and difference-in-differences,
  each with a 95% CI (SEs clustered on matched pairs).
- ``months``: the EEF months' progress table; ``costs``: cost per pupil and per month.
- ``cautions``: what a result can and cannot show, in plain words.
- ``evaluate``: all of the above for one intervention; ``meta``: pooling a programme's results.
- ``simulation``: the simulation study (known effects, selection on prior attainment).
"""

from trustlens.analytics.impact.evaluation import DESIGNS, EvaluationResult, evaluate
from trustlens.analytics.impact.frame import EvaluationFrame, OutcomeSpec, evaluation_frame
from trustlens.analytics.impact.meta import Pooled, pool_effects
from trustlens.analytics.impact.months import impact_description, months_progress

__all__ = [
    "DESIGNS",
    "EvaluationFrame",
    "EvaluationResult",
    "OutcomeSpec",
    "Pooled",
    "evaluate",
    "evaluation_frame",
    "impact_description",
    "months_progress",
    "pool_effects",
]

"""interventions' board-pack section (registered in ``apps.py`` through ``core.hooks``): each
intervention's latest evaluation: effect size with its 95% interval, n and verdict."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from trustlens.interventions import models


def impact_section(user: Any, trust: Any, as_of: dt.date | None) -> dict:
    """Latest evaluation per intervention; fewer pupils than the threshold: ``c``."""
    threshold = settings.SUPPRESSION_THRESHOLD
    rows = []
    for intervention in (
        models.Intervention.objects.restrict(user).filter(trust=trust).order_by("name")
    ):
        found = models.Evaluation.objects.unscoped().filter(intervention=intervention)
        if as_of:
            found = found.filter(computed_at__date__lte=as_of)
        latest = found.order_by("-computed_at", "-pk").first()
        if latest is None:
            rows.append([intervention.name, None, None, None, None, None, "not evaluated"])
            continue
        small = latest.n_intervention < threshold
        figures = (
            ["c"] * 4
            if small
            else [latest.effect_size, latest.ci_low, latest.ci_high, latest.months]
        )
        rows.append(
            [intervention.name, latest.n_intervention, *figures, latest.get_verdict_display()]
        )
    return {
        "columns": [
            "Intervention",
            "n (pupils)",
            "Effect size",
            "95% CI lower",
            "95% CI upper",
            "Months' progress (EEF)",
            "Verdict",
        ],
        "rows": rows,
        "notes": [f"Effects of groups of fewer than {threshold} pupils are withheld (c)."],
    }

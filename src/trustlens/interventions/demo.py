"""Demo evaluations (``trustlens demo-workflow``): every intervention whose post-test window has
closed is evaluated once, so a new user's what-works library shows results, not "Not evaluated".

Evaluations go through ``trustlens.interventions.services.evaluate_intervention`` (the same
service the "Evaluate now" button and ``trustlens evaluate`` use), as the trust's first executive
when there is one, else as the system. An intervention that already has an evaluation is left
alone, so running twice evaluates nothing new.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from trustlens.assessment.models import AssessmentWindow
from trustlens.interventions.models import Intervention
from trustlens.interventions.services import evaluate_intervention, store_tables
from trustlens.organisations.models import Trust
from trustlens.quality.demo import demo_author

logger = logging.getLogger(__name__)


@dataclass
class DemoEvaluations:
    """What one run evaluated, and what it could not (reference -> reason)."""

    evaluated: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)


def due_interventions(trust: Trust, today: dt.date) -> list[Intervention]:
    """The trust's interventions with no evaluation whose post-test window closed before today."""
    closed = set(
        AssessmentWindow.objects.unscoped()
        .filter(trust=trust, closes__lt=today)
        .values_list("academic_year", "term")
    )
    waiting = Intervention.objects.unscoped().filter(trust=trust, evaluations__isnull=True)
    return [i for i in waiting.order_by("intervention_id") if (i.post_year, i.post_term) in closed]


def evaluate_due(trust_slug: str, today: dt.date | None = None) -> DemoEvaluations:
    """Evaluate every due intervention of the trust once (idempotent); failures are reported."""
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    due = due_interventions(trust, today or dt.date.today())
    outcome = DemoEvaluations()
    if not due:
        return outcome
    author, tables = demo_author(trust), store_tables(trust_slug)
    for intervention in due:
        try:
            evaluate_intervention(intervention, user=author, tables=tables)
        except Exception as error:  # noqa: BLE001 - one bad intervention must not stop the demo
            logger.exception("demo evaluation of %s failed", intervention.intervention_id)
            outcome.failed[intervention.intervention_id] = f"{type(error).__name__}: {error}"
        else:
            outcome.evaluated.append(intervention.intervention_id)
    return outcome

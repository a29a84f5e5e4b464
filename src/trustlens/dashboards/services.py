"""The dashboards' public entry points, for the other apps and the tests.

The work lives in:

- ``dashboards.summaries``: :func:`rebuild_summaries` after each import (the records
  database's part; the Django-free build is ``trustlens.analytics.summaries``);
- ``dashboards.reading``: ``Summaries`` and the per-process cache (``summaries_for``);
- ``dashboards.audience``: who sees what, and the one suppression decision;
- ``dashboards.contexts``: the view contexts (overview, region and cluster, academy, class),
  with ``academy_headline`` for improvement reports.
"""

from __future__ import annotations

from trustlens.analytics.summaries import FUNNEL_MEASURES
from trustlens.analytics.summaries.files import FACTS_FILE, META_FILE, PUPILS_FILE
from trustlens.dashboards.choices import RAG
from trustlens.dashboards.contexts.overview import (
    academy_headline,
    completeness_summary,
    overview_context,
    trust_overview,
    visible_units,
)
from trustlens.dashboards.contexts.unit import academies_of_unit, unit_summary
from trustlens.dashboards.models import RagThreshold
from trustlens.dashboards.reading import Summaries, pupil_latest, summaries_for
from trustlens.dashboards.summaries import (
    academy_frame,
    rebuild_summaries,
    rebuild_summaries_from_scratch,
    summary_dir,
)

__all__ = [
    "FACTS_FILE",
    "FUNNEL_MEASURES",
    "META_FILE",
    "PUPILS_FILE",
    "RAG",
    "Summaries",
    "academies_of_unit",
    "academy_frame",
    "academy_headline",
    "completeness_summary",
    "overview_context",
    "pupil_latest",
    "rebuild_summaries",
    "rebuild_summaries_from_scratch",
    "summaries_for",
    "summary_dir",
    "trust_overview",
    "unit_summary",
    "visible_units",
]


def save_threshold(user: object, threshold: RagThreshold) -> RagThreshold:
    """Create or change a trust's RAG threshold (trust executives: ``configure``), audited;
    a second threshold for the same measure is refused, naming the field."""
    from django.core.exceptions import ValidationError

    from trustlens.core.access import require
    from trustlens.core.audit import save_audited

    require(user, "configure", threshold)
    clash = RagThreshold.objects.unscoped().filter(
        trust_id=threshold.trust_id, measure=threshold.measure
    )
    if clash.exclude(pk=threshold.pk).exists():
        raise ValidationError({"measure": "This measure already has a threshold: change that one."})
    saved = save_audited(user, threshold, extra={"trust_id": threshold.trust_id})
    _thresholds_changed(threshold.trust_id)
    return saved


def delete_threshold(user: object, threshold: RagThreshold) -> None:
    """Go back to the default threshold (audited)."""
    from django.db import transaction

    from trustlens.core.access import require
    from trustlens.core.audit import log_change
    from trustlens.core.models import AuditEvent

    require(user, "configure", threshold)
    with transaction.atomic():
        log_change(user, AuditEvent.Action.DELETE, threshold, {"trust_id": threshold.trust_id})
        threshold.delete()
    _thresholds_changed(threshold.trust_id)


def _thresholds_changed(trust_id: int) -> None:
    """A threshold changes every RAG status and reason: retire the trust's cached fragments."""
    from trustlens.dashboards.caching import thresholds_changed

    thresholds_changed(trust_id)

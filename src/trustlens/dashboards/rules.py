"""The trust's RAG rules as data: its red thresholds (``RagThreshold``) over the defaults.

One small query per page (the thresholds of one trust); the rated cells are memoised per
summaries build *and* these rules (``contexts.overview``), so a change shows at once.
"""

from __future__ import annotations

from trustlens.dashboards.models import THRESHOLD_MEASURES, RagThreshold
from trustlens.dashboards.rag import MATERIAL, RULE_TEXT, Rules


def rules_for(trust_id: int | None) -> Rules:
    """measure -> red threshold set by the trust (system read: thresholds are not secret)."""
    if trust_id is None:
        return {}
    rows = RagThreshold.objects.unscoped().filter(trust_id=trust_id)
    return dict(rows.values_list("measure", "material"))


def rules_for_slug(trust_slug: str) -> Rules:
    rows = RagThreshold.objects.unscoped().filter(trust__slug=trust_slug)
    return dict(rows.values_list("measure", "material"))


def rule_rows(trust_id: int) -> list[dict]:
    """Every measure's threshold: the trust's own (with its record) or the default."""
    own = {t.measure: t for t in RagThreshold.objects.unscoped().filter(trust_id=trust_id)}
    return [
        {
            "measure": code,
            "default": MATERIAL.get(code, 0.0),
            "record": own.get(code),
            "material": own[code].material if code in own else MATERIAL.get(code, 0.0),
        }
        for code in THRESHOLD_MEASURES
    ]


def rule_texts() -> list[tuple[str, str]]:
    return [(code, text.format(material="the threshold")) for code, text in RULE_TEXT.items()]

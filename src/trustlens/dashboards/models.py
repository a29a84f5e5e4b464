"""The dashboards' own records: the trust's RAG thresholds (its rules as data, with history)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models

from trustlens.core.scoping import ScopedModel
from trustlens.dashboards.choices import MEASURES

#: Measures whose red threshold (the material difference) a trust may set.
THRESHOLD_MEASURES = (
    "a8",
    "em4",
    "ks2_rwm",
    "attendance",
    "persistent_absence",
    "suspensions",
    "permanent_exclusions",
    "cover_share",
    "staff_absence",
)
THRESHOLD_CHOICES = [(code, MEASURES[code].label) for code in THRESHOLD_MEASURES]


class RagThreshold(ScopedModel):
    """A trust's red threshold for one measure: the smallest gap beyond England (or the trust,
    when no England figure is loaded) that turns "below by more than its CI" from amber into
    red (``dashboards.rag``). Each change is audited (``core.audit``): that is its history."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(
        "organisations.Trust", on_delete=models.CASCADE, related_name="rag_thresholds"
    )
    measure = models.CharField(max_length=40, choices=THRESHOLD_CHOICES)
    material = models.FloatField(
        "red when the gap is at least",
        help_text="In the measure's units (points, percentage points, per 100 pupils, days).",
    )
    note = models.CharField("why", max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["measure"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "measure"], name="dash_threshold_once")
        ]

    def __str__(self) -> str:
        return f"{MEASURES[self.measure].label}: red at a gap of {self.material:g}"

    def clean(self) -> None:
        if self.material is not None and self.material < 0:
            raise ValidationError({"material": "The threshold is a size of gap: 0 or more."})

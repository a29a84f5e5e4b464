"""The trust's assessment calendar: the windows in which academies submit in-year results."""

from __future__ import annotations

from django.db import models

from trustlens.core.choices import Term
from trustlens.core.scoping import ScopedModel
from trustlens.organisations.models import Trust


class AssessmentWindow(ScopedModel):
    """One window of the calendar (academic year and term), loaded from assessment_windows.csv."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="assessment_windows")
    academic_year = models.CharField(max_length=7, help_text='e.g. "2024/25"')
    term = models.CharField(max_length=10, choices=Term.choices)
    opens = models.DateField()
    closes = models.DateField()

    class Meta:
        ordering = ["trust", "academic_year", "term"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "academic_year", "term"], name="window_unique_term"
            ),
            models.CheckConstraint(
                condition=models.Q(closes__gte=models.F("opens")), name="window_closes_after_opens"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.academic_year} {self.get_term_display()}"

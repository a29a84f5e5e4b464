"""The trust's assessment calendar: the windows in which academies submit in-year results, the
assessment points inside them, calendar-feed keys and the reminders and alerts sent."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trustlens.core.choices import Term
from trustlens.core.scoping import ScopedModel
from trustlens.organisations.choices import Phase
from trustlens.organisations.models import Academy, Trust


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


class AssessmentPoint(ScopedModel):
    """One assessment of the trust's calendar: what is assessed (phase, year group, subject),
    when it opens and when its results are due, inside one of the trust's windows."""

    scope_academy_path = None
    scope_trust_path = "trust"

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="assessment_points")
    window = models.ForeignKey(AssessmentWindow, on_delete=models.CASCADE, related_name="points")
    title = models.CharField(max_length=120)
    phase = models.CharField(
        max_length=20, choices=Phase.choices, blank=True, help_text="Blank: every phase."
    )
    year_group = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Blank: every year group."
    )
    subject = models.CharField(max_length=50, help_text='As in the results, e.g. "Maths".')
    opens_on = models.DateField("opens")
    due_on = models.DateField("results due")
    remind_days = models.PositiveSmallIntegerField("remind this many days before", default=7)

    class Meta:
        ordering = ["due_on", "title"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("opens_on")), name="point_due_after_opens"
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def who(self) -> str:
        """Phase, year group and subject in words."""
        phase = self.get_phase_display() if self.phase else "All phases"
        year = f"Year {self.year_group}" if self.year_group is not None else "all years"
        return f"{phase}, {year}, {self.subject}"


class FeedToken(models.Model):
    """A user's secret calendar-feed key: only its SHA-256 digest is kept, so the key cannot be
    read back from the database; a new key replaces (revokes) the old. Belongs to a user, not to
    an academy or trust: the feed shows what that user's scope sees."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Calendar feed of {self.user}"


class Notice(ScopedModel):
    """An e-mail sent about an assessment point: a reminder before it is due, or a late-data
    alert after; recorded so that each is sent once per academy and recipient."""

    scope_academy_path = "academy"

    class Kind(models.TextChoices):
        REMINDER = "reminder", "Reminder"
        LATE = "late", "Late-data alert"

    point = models.ForeignKey(AssessmentPoint, on_delete=models.CASCADE, related_name="notices")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    recipient = models.EmailField()
    missing = models.PositiveIntegerField(help_text="Results missing when it was sent.")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["point", "academy", "kind", "recipient"], name="notice_sent_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.point} to {self.recipient}"

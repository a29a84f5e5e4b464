"""Interventions, the pupils who took part and the stored results of evaluating them.

Scoping (docs/impact.md, "Who sees what"): an intervention is a trust record run in
one or more academies. It is visible to users of *any* of its academies and to trust-wide roles
(``scope_academy_path = "academies"``); its participants are pupil-level rows scoped by the
participant's own academy, so a headteacher of A sees A's participants of a joint A+B
intervention and never B's. Pages name only the academies in the viewer's scope ("and 1 other
academy in the trust"). Changing or evaluating an intervention needs pupil-level scope over
every one of its academies.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from trustlens.core.choices import Term
from trustlens.core.fields import optional_link
from trustlens.core.scoping import ScopedModel
from trustlens.interventions.choices import Comparison, Programme, PupilSource, Verdict
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.models import Pupil

MONEY = {"max_digits": 10, "decimal_places": 2}


class Intervention(ScopedModel):
    """One intervention: what it is for, how it is measured, where, who, and what it cost."""

    scope_academy_path = "academies"
    scope_distinct = True

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="interventions")
    intervention_id = models.CharField(
        "intervention id",
        max_length=40,
        help_text="The trust's own reference, unique in the trust.",
    )
    name = models.CharField(max_length=200)
    programme = models.CharField("programme type", max_length=30, choices=Programme.choices)
    aim = models.TextField(blank=True, help_text="What it is meant to change, for whom.")
    success_measures = models.TextField(
        blank=True, help_text="How you will know it worked, in your own words."
    )
    academies = models.ManyToManyField(
        Academy, through="InterventionAcademy", related_name="interventions"
    )
    subject = models.CharField(
        "outcome subject",
        max_length=50,
        help_text="The assessment subject the outcome is measured in, as in your assessment results (e.g. Reading, Maths).",
    )
    scale = models.CharField(
        "outcome scale",
        max_length=10,
        blank=True,
        help_text="Optional: scaled, gcse or percent. Leave blank to use whatever the subject's results use.",
    )
    pre_year = models.CharField("pre-test academic year", max_length=7, blank=True)
    pre_term = models.CharField("pre-test term", max_length=10, choices=Term.choices, blank=True)
    post_year = models.CharField("post-test academic year", max_length=7)
    post_term = models.CharField("post-test term", max_length=10, choices=Term.choices)
    start_date = models.DateField(null=True, blank=True)
    end_date = models.DateField(null=True, blank=True)
    staff = models.TextField(
        blank=True, help_text="Who delivers it (names or roles), one per line."
    )
    cost_fixed = models.DecimalField("fixed cost (£)", default=0, **MONEY)
    cost_per_pupil = models.DecimalField("cost per pupil (£)", default=0, **MONEY)
    linked_priorities = models.TextField(
        blank=True,
        help_text="Improvement priorities this serves, one per line (free text until the improvement app's priorities can be linked).",
    )
    created_by = optional_link(settings.AUTH_USER_MODEL, "+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["trust", "intervention_id"], name="intervention_unique_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.intervention_id})"

    @property
    def academy_ids(self) -> set[int]:
        """Pks of the academies it runs in (system read: callers apply the viewer's scope)."""
        return set(
            InterventionAcademy.objects.filter(intervention=self).values_list(
                "academy_id", flat=True
            )
        )

    @property
    def has_pre_window(self) -> bool:
        return bool(self.pre_year and self.pre_term)

    @property
    def pre_window(self) -> str:
        return f"{self.pre_term.title()} {self.pre_year}" if self.has_pre_window else "no pre-test"

    @property
    def post_window(self) -> str:
        return f"{self.post_term.title()} {self.post_year}"


class InterventionAcademy(models.Model):
    """An academy an intervention runs in (the through table; reached only via Intervention)."""

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="academy_links"
    )
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "academy"], name="intervention_academy_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.intervention_id} at {self.academy_id}"


class InterventionPupil(ScopedModel):
    """A pupil taking part in an intervention, at one academy (pupil-level)."""

    scope_pupil_level = True
    scope_pupil_path = "pupil"

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="participants"
    )
    pupil = models.ForeignKey(Pupil, on_delete=models.CASCADE, related_name="interventions")
    academy = models.ForeignKey(Academy, on_delete=models.CASCADE, related_name="+")
    source = models.CharField(
        max_length=10, choices=PupilSource.choices, default=PupilSource.FILTER
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["intervention", "pupil__surname", "pupil__forename"]
        constraints = [
            models.UniqueConstraint(
                fields=["intervention", "pupil"], name="intervention_pupil_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.pupil_id} in {self.intervention_id}"


class Evaluation(ScopedModel):
    """The stored result of one evaluation run (aggregates only: no pupil is identifiable)."""

    scope_academy_path = "intervention__academies"
    scope_distinct = True

    intervention = models.ForeignKey(
        Intervention, on_delete=models.CASCADE, related_name="evaluations"
    )
    comparison = models.CharField(
        max_length=10, choices=Comparison.choices, default=Comparison.TRUST
    )
    computed_at = models.DateTimeField(auto_now_add=True)
    computed_by = optional_link(settings.AUTH_USER_MODEL, "+")
    design = models.CharField(max_length=30)
    n_registered = models.PositiveIntegerField(default=0)
    n_intervention = models.PositiveIntegerField(default=0)
    n_comparison = models.PositiveIntegerField(default=0)
    effect_size = models.FloatField(null=True, blank=True)
    ci_low = models.FloatField(null=True, blank=True)
    ci_high = models.FloatField(null=True, blank=True)
    months = models.SmallIntegerField(null=True, blank=True)
    cost_per_pupil = models.DecimalField(null=True, blank=True, **MONEY)
    cost_per_month = models.DecimalField(null=True, blank=True, **MONEY)
    verdict = models.CharField(
        max_length=15, choices=Verdict.choices, default=Verdict.NOT_EVALUATED
    )
    summary = models.TextField(blank=True)
    balance = models.JSONField(default=list, blank=True)
    cautions = models.JSONField(default=list, blank=True)
    result = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-computed_at", "-pk"]
        indexes = [models.Index(fields=["intervention", "comparison", "computed_at"])]

    def __str__(self) -> str:
        return f"Evaluation of {self.intervention_id} at {self.computed_at:%Y-%m-%d %H:%M}"

"""interventions: admin (superusers see every row, explicitly unscoped)."""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
from trustlens.interventions.models import (
    Evaluation,
    Intervention,
    InterventionAcademy,
    InterventionPupil,
)


class AcademyInline(admin.TabularInline):
    model = InterventionAcademy
    extra = 0


@admin.register(Intervention)
class InterventionAdmin(UnscopedAdmin):
    list_display = (
        "intervention_id",
        "name",
        "trust",
        "programme",
        "subject",
        "post_year",
        "post_term",
    )
    list_filter = ("programme", "trust")
    search_fields = ("intervention_id", "name")
    inlines = [AcademyInline]


@admin.register(InterventionPupil)
class InterventionPupilAdmin(UnscopedAdmin):
    list_display = ("intervention", "pupil", "academy", "source", "added_at")
    raw_id_fields = ("intervention", "pupil")


@admin.register(Evaluation)
class EvaluationAdmin(UnscopedAdmin):
    list_display = (
        "intervention",
        "comparison",
        "computed_at",
        "design",
        "effect_size",
        "ci_low",
        "ci_high",
        "months",
    )
    list_filter = ("comparison", "design", "verdict")
    readonly_fields = ("result", "balance", "cautions")

"""quality: admin for superusers running the installation (every row, explicitly unscoped).

Relations to scoped models use raw id fields: a select box would query them without a scope.
"""

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from trustlens.core.admin import UnscopedAdmin as _UnscopedAdmin
from trustlens.quality.models import (
    Activity,
    Evidence,
    Finding,
    Framework,
    FrameworkArea,
    FrameworkPrompt,
    ModerationSample,
    ModerationSession,
    Participant,
    QualitySettings,
)


def unscoped_rows(model):
    """Every row of ``model`` for the admin (scoped models fail closed without this)."""
    queryset = model._default_manager.get_queryset()
    return queryset.unscoped() if hasattr(queryset, "unscoped") else queryset


class UnscopedRawIdWidget(ForeignKeyRawIdWidget):
    """Django's raw id widget looks its object up through the default manager: do it unscoped."""

    def label_and_url_for_value(self, value):
        key = self.rel.get_related_field().name
        try:
            obj = unscoped_rows(self.rel.model).get(**{key: value})
        except (ValueError, ValidationError, self.rel.model.DoesNotExist):
            return "", ""
        meta = obj._meta
        try:
            url = reverse(
                f"{self.admin_site.name}:{meta.app_label}_{meta.model_name}_change", args=(obj.pk,)
            )
        except NoReverseMatch:
            url = ""
        return str(obj), url


class UnscopedAdmin(_UnscopedAdmin):
    """Related-object choices and raw id labels are unscoped too (superusers only)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", unscoped_rows(db_field.related_model))
        if db_field.name in self.raw_id_fields:
            kwargs.setdefault("widget", UnscopedRawIdWidget(db_field.remote_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", unscoped_rows(db_field.related_model))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


@admin.register(QualitySettings)
class QualitySettingsAdmin(UnscopedAdmin):
    list_display = ("trust", "rating_enabled")
    raw_id_fields = ("trust",)


@admin.register(Framework)
class FrameworkAdmin(UnscopedAdmin):
    list_display = ("name", "version", "trust", "status", "created_at")
    list_filter = ("status",)
    search_fields = ("name",)
    raw_id_fields = ("trust",)


@admin.register(FrameworkArea)
class FrameworkAreaAdmin(UnscopedAdmin):
    list_display = ("name", "framework", "theme", "order")
    raw_id_fields = ("framework",)


@admin.register(FrameworkPrompt)
class FrameworkPromptAdmin(UnscopedAdmin):
    list_display = ("__str__", "area", "order")
    raw_id_fields = ("area",)


@admin.register(Activity)
class ActivityAdmin(UnscopedAdmin):
    list_display = ("title", "academy", "kind", "scheduled_on", "status", "review_stage")
    list_filter = ("kind", "status")
    search_fields = ("title",)
    date_hierarchy = "scheduled_on"
    raw_id_fields = ("academy", "framework", "lead", "created_by")


@admin.register(Participant)
class ParticipantAdmin(UnscopedAdmin):
    list_display = ("__str__", "activity", "role", "home_academy", "organisation")
    list_filter = ("role",)
    raw_id_fields = ("activity", "user", "home_academy")


@admin.register(Evidence)
class EvidenceAdmin(UnscopedAdmin):
    list_display = ("title", "activity", "added_by", "added_at")
    raw_id_fields = ("activity", "added_by")


@admin.register(Finding)
class FindingAdmin(UnscopedAdmin):
    list_display = ("__str__", "activity", "area", "kind", "recorded_at")
    list_filter = ("kind",)
    raw_id_fields = ("activity", "area", "recorded_by")


@admin.register(ModerationSession)
class ModerationSessionAdmin(UnscopedAdmin):
    list_display = ("title", "trust", "subject", "year_group", "held_on")
    raw_id_fields = ("trust", "academies", "facilitator", "created_by")


@admin.register(ModerationSample)
class ModerationSampleAdmin(UnscopedAdmin):
    list_display = ("reference", "session", "academy", "submitted", "agreed")
    raw_id_fields = ("session", "academy")

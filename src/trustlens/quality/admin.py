"""quality: admin for superusers running the installation (every row, explicitly unscoped).

Relations to scoped models use raw id fields: a select box would query them without a scope.
"""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
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

"""Admin for the audit log (read-only) and a base class for scoped models' admins."""

from __future__ import annotations

from django.contrib import admin

from trustlens.core.models import AuditEvent


class UnscopedAdmin(admin.ModelAdmin):
    """Admin is for superusers running the installation: it sees every row, explicitly."""

    def get_queryset(self, request):
        manager = self.model._default_manager
        qs = manager.get_queryset()
        return qs.unscoped() if hasattr(qs, "unscoped") else qs


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "object_type", "object_id", "summary")
    list_filter = ("action", "object_type")
    search_fields = ("object_id", "summary")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

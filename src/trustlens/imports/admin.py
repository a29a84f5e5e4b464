"""Admin for import runs (read-only: runs are written by the import services)."""

from django.contrib import admin

from trustlens.imports.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    list_display = (
        "pk",
        "trust",
        "source",
        "status",
        "rows",
        "error_count",
        "created_by",
        "created_at",
    )
    list_filter = ("status", "source")
    readonly_fields = [f.name for f in ImportRun._meta.fields]

    def get_queryset(self, request):
        return ImportRun.objects.unscoped()

    def has_add_permission(self, request) -> bool:
        return False

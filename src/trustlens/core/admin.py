"""Admin for the audit log (read-only) and a base class for scoped models' admins."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.widgets import ForeignKeyRawIdWidget
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse

from trustlens.core.models import AuditEvent


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


class UnscopedAdmin(admin.ModelAdmin):
    """Admin is for superusers running the installation: it sees every row, explicitly.

    Related-object choices and raw id labels are unscoped too; relations to scoped models use
    raw id fields (a select box would query them without a scope).
    """

    def get_queryset(self, request):
        return unscoped_rows(self.model)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", unscoped_rows(db_field.related_model))
        if db_field.name in self.raw_id_fields:
            kwargs.setdefault("widget", UnscopedRawIdWidget(db_field.remote_field, self.admin_site))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", unscoped_rows(db_field.related_model))
        return super().formfield_for_manytomany(db_field, request, **kwargs)


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


def _relations(model: type) -> tuple[str, ...]:
    """Every relation of ``model`` an admin form edits: shown as raw ids (never a scoped select)."""
    return tuple(
        f.name
        for f in model._meta.get_fields()
        if f.concrete
        and (f.many_to_one or (f.many_to_many and f.remote_field.through._meta.auto_created))
    )


def register_unscoped(model: type, list_display: tuple[str, ...], **options) -> type:
    """Register ``model`` with an ``UnscopedAdmin`` listing ``list_display``; every relation is a
    raw id field (``options`` are any other ModelAdmin attributes: list_filter, search_fields...)."""
    attrs = {"list_display": list_display, "raw_id_fields": _relations(model), **options}
    admin_class = type(f"{model.__name__}Admin", (UnscopedAdmin,), attrs)
    admin.site.register(model, admin_class)
    return admin_class

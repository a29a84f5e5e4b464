"""Admin for role grants."""

from django.contrib import admin

from trustlens.people.models import RoleGrant


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "trust", "region", "cluster", "academy")
    list_filter = ("role",)
    search_fields = ("user__username", "user__email")
    autocomplete_fields = ()

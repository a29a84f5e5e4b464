from django.contrib import admin

from trustlens.api.models import ApiToken


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens (never their secret): who, what for, when it expires, revoked or not."""

    list_display = ("prefix", "name", "user", "created_at", "expires_at", "revoked_at")
    readonly_fields = ("prefix", "digest", "created_at", "last_used_at")
    list_filter = ("revoked_at",)

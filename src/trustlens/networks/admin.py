"""networks: admin (superusers see every row, explicitly unscoped)."""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
from trustlens.networks import models


@admin.register(models.Network)
class NetworkAdmin(UnscopedAdmin):
    list_display = ("slug", "name", "created_at")


@admin.register(models.Membership)
class MembershipAdmin(UnscopedAdmin):
    list_display = ("network", "trust", "contact_name", "joined_at", "left_at")


@admin.register(models.NetworkPartner)
class PartnerAdmin(UnscopedAdmin):
    list_display = ("network", "user", "organisation", "kind")


for record in (
    models.ReviewerOffer,
    models.ExchangeReview,
    models.SharedService,
    models.ServiceRequest,
):
    admin.site.register(record, UnscopedAdmin)

"""Django admin for the organisation tree."""

from django.contrib import admin

from trustlens.core.admin import UnscopedAdmin
from trustlens.organisations.models import Academy, Cluster, Region, Trust


@admin.register(Trust)
class TrustAdmin(UnscopedAdmin):
    list_display = ("name", "slug", "gias_group_id")
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(Region)
class RegionAdmin(UnscopedAdmin):
    list_display = ("name", "trust")
    list_filter = ("trust",)


@admin.register(Cluster)
class ClusterAdmin(UnscopedAdmin):
    list_display = ("name", "region")
    list_filter = ("region__trust",)


@admin.register(Academy)
class AcademyAdmin(UnscopedAdmin):
    list_display = (
        "name",
        "urn",
        "laestab",
        "phase",
        "trust",
        "cluster",
        "ofsted_grade",
        "improvement_stage",
    )
    list_filter = ("trust", "phase", "ofsted_grade", "improvement_stage")
    search_fields = ("name", "urn", "laestab")

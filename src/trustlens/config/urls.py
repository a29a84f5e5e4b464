"""Root URL configuration: one include per domain app."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("trustlens.people.urls")),
    path("", include("trustlens.dashboards.urls")),
    path("organisations/", include("trustlens.organisations.urls")),
    path("pupils/", include("trustlens.pupils.urls")),
    path("assessment/", include("trustlens.assessment.urls")),
    path("imports/", include("trustlens.imports.urls")),
    path("quality/", include("trustlens.quality.urls")),
    path("improvement/", include("trustlens.improvement.urls")),
    path("interventions/", include("trustlens.interventions.urls")),
]

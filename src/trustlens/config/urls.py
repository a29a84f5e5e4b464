"""Root URL configuration: one include per domain app."""

from django.contrib import admin
from django.urls import include, path

from trustlens.improvement.urls import quality_urlpatterns as improvement_in_quality
from trustlens.quality.urls import urlpatterns as quality_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("accounts/", include("trustlens.people.urls")),
    path("", include("trustlens.dashboards.urls")),
    path("organisations/", include("trustlens.organisations.urls")),
    path("pupils/", include("trustlens.pupils.urls")),
    path("assessment/", include("trustlens.assessment.urls")),
    path("imports/", include("trustlens.imports.urls")),
    path("quality/", include((quality_urlpatterns + improvement_in_quality, "quality"))),
    path("improvement/", include("trustlens.improvement.urls")),
    path("interventions/", include("trustlens.interventions.urls")),
]

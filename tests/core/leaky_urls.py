"""A deliberately unscoped view, used only to prove the scoping meta-test catches leaks."""

from django.http import HttpResponse
from django.urls import path

from trustlens.config.urls import urlpatterns as project_urlpatterns
from trustlens.organisations.models import Academy


def leaky_academy(request, urn: int) -> HttpResponse:
    academy = Academy.objects.unscoped().get(urn=urn)  # the bug under test: no restrict(user)
    return HttpResponse(f"<h1>{academy.name}</h1>")


urlpatterns = [*project_urlpatterns, path("leaky/<int:urn>/", leaky_academy, name="leaky-academy")]

"""Login, logout, password change and reset (Django's own auth views)."""

from django.urls import include, path

urlpatterns = [
    path("", include("django.contrib.auth.urls")),
]

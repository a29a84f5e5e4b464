"""URLs of the assessment app."""

from django.urls import path

from trustlens.assessment import views

app_name = "assessment"
urlpatterns = [
    path("completeness/", views.completeness, name="completeness"),
]

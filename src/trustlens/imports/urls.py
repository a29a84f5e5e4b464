"""URLs of the imports app."""

from django.urls import path

from trustlens.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.upload, name="upload"),
    path("<int:import_id>/", views.run_detail, name="run"),
    path("<int:import_id>/confirm/", views.run_confirm, name="confirm"),
    path("<int:import_id>/report.json", views.run_report, name="report"),
]

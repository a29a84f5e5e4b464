from django.urls import path

from trustlens.practice import views

app_name = "practice"
urlpatterns = [
    path("", views.index, name="index"),
    path("academies/<int:urn>/survey/", views.survey, name="survey"),
    path("academies/<int:urn>/profile/", views.profile, name="profile"),
    path("analysis/", views.analysis, name="analysis"),
    path("extracts/", views.extracts, name="extracts"),
    path("extracts/new/", views.sharing_create, name="sharing_create"),
    path("extracts/<int:sharing_id>/download/", views.extract_download, name="extract_download"),
]

"""URLs of the interventions app."""

from django.urls import path

from trustlens.core.urls import record_paths
from trustlens.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.library, name="library"),
    *record_paths(
        views, "", "intervention_pk", "", "create", "detail", "edit", view_name="intervention"
    ),
    path("<int:intervention_pk>/pupils/", views.intervention_pupils, name="pupils"),
    path("<int:intervention_pk>/evaluate/", views.intervention_evaluate, name="evaluate"),
]

"""URLs of the interventions app."""

from django.urls import path

from trustlens.interventions import views

app_name = "interventions"
urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.intervention_create, name="create"),
    path("<int:intervention_pk>/", views.intervention_detail, name="detail"),
    path("<int:intervention_pk>/edit/", views.intervention_edit, name="edit"),
    path("<int:intervention_pk>/pupils/", views.intervention_pupils, name="pupils"),
    path("<int:intervention_pk>/evaluate/", views.intervention_evaluate, name="evaluate"),
]

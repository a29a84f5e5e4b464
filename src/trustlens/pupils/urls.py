"""URLs of the pupils app: pupils the user may see, and one pupil's page."""

from django.urls import path

from trustlens.pupils import views

app_name = "pupils"
urlpatterns = [
    path("", views.pupil_list, name="list"),
    path("class/<int:class_id>/estimates/", views.class_estimates, name="class_estimates"),
    path("<str:pupil_id>/", views.pupil_detail, name="detail"),
]

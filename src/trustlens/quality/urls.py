"""URLs of the quality app: the QA calendar, activities, frameworks and joint moderation."""

from django.urls import path

from trustlens.core.urls import record_paths
from trustlens.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    *record_paths(views, "activities/", "activity_id", "activity", "create", "detail", "edit"),
    path("activities/<int:activity_id>/people/new/", views.participant_add, name="participant_add"),
    path("activities/<int:activity_id>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("activities/<int:activity_id>/findings/new/", views.finding_create, name="finding_create"),
    path(
        "people/<int:participant_id>/remove/", views.participant_remove, name="participant_remove"
    ),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    *record_paths(views, "evidence/", "evidence_id", "evidence", "delete"),
    *record_paths(views, "findings/", "finding_id", "finding", "edit", "delete"),
    path("frameworks/", views.framework_list, name="frameworks"),
    *record_paths(views, "frameworks/", "framework_id", "framework", "create", "detail", "edit"),
    path(
        "frameworks/<int:framework_id>/new-version/",
        views.framework_version,
        name="framework_version",
    ),
    path(
        "frameworks/<int:framework_id>/activate/",
        views.framework_activate,
        name="framework_activate",
    ),
    path("frameworks/<int:framework_id>/retire/", views.framework_retire, name="framework_retire"),
    path("frameworks/<int:framework_id>/areas/new/", views.area_add, name="area_add"),
    *record_paths(views, "areas/", "area_id", "area", "edit", "delete"),
    path("areas/<int:area_id>/prompts/new/", views.prompt_add, name="prompt_add"),
    *record_paths(views, "prompts/", "prompt_id", "prompt", "edit", "delete"),
    path("settings/", views.quality_settings, name="settings"),
    path("moderation/", views.moderation_index, name="moderation"),
    *record_paths(views, "moderation/", "session_id", "moderation", "create", "detail", "edit"),
    path("moderation/<int:session_id>/samples/new/", views.sample_add, name="sample_add"),
    *record_paths(views, "samples/", "sample_id", "sample", "edit", "delete"),
]

"""URLs of the quality app: the QA calendar, activities, frameworks and joint moderation."""

from django.urls import path

from trustlens.quality import views

app_name = "quality"
urlpatterns = [
    path("", views.index, name="index"),
    path("activities/new/", views.activity_create, name="activity_create"),
    path("activities/<int:activity_id>/", views.activity_detail, name="activity_detail"),
    path("activities/<int:activity_id>/edit/", views.activity_edit, name="activity_edit"),
    path("activities/<int:activity_id>/people/new/", views.participant_add, name="participant_add"),
    path("activities/<int:activity_id>/evidence/new/", views.evidence_add, name="evidence_add"),
    path("activities/<int:activity_id>/findings/new/", views.finding_create, name="finding_create"),
    path(
        "people/<int:participant_id>/remove/", views.participant_remove, name="participant_remove"
    ),
    path("evidence/<int:evidence_id>/", views.evidence_download, name="evidence_download"),
    path("evidence/<int:evidence_id>/delete/", views.evidence_delete, name="evidence_delete"),
    path("findings/<int:finding_id>/edit/", views.finding_edit, name="finding_edit"),
    path("findings/<int:finding_id>/delete/", views.finding_delete, name="finding_delete"),
    path("frameworks/", views.framework_list, name="frameworks"),
    path("frameworks/new/", views.framework_create, name="framework_create"),
    path("frameworks/<int:framework_id>/", views.framework_detail, name="framework_detail"),
    path("frameworks/<int:framework_id>/edit/", views.framework_edit, name="framework_edit"),
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
    path("areas/<int:area_id>/edit/", views.area_edit, name="area_edit"),
    path("areas/<int:area_id>/delete/", views.area_delete, name="area_delete"),
    path("areas/<int:area_id>/prompts/new/", views.prompt_add, name="prompt_add"),
    path("prompts/<int:prompt_id>/edit/", views.prompt_edit, name="prompt_edit"),
    path("prompts/<int:prompt_id>/delete/", views.prompt_delete, name="prompt_delete"),
    path("settings/", views.quality_settings, name="settings"),
    path("moderation/", views.moderation_index, name="moderation"),
    path("moderation/new/", views.moderation_create, name="moderation_create"),
    path("moderation/<int:session_id>/", views.moderation_detail, name="moderation_detail"),
    path("moderation/<int:session_id>/edit/", views.moderation_edit, name="moderation_edit"),
    path("moderation/<int:session_id>/samples/new/", views.sample_add, name="sample_add"),
    path("samples/<int:sample_id>/edit/", views.sample_edit, name="sample_edit"),
    path("samples/<int:sample_id>/delete/", views.sample_delete, name="sample_delete"),
]

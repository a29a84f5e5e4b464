"""URLs of the improvement app: academies and their stages, plans, actions and the support ledger."""

from django.urls import path

from trustlens.core.urls import record_paths
from trustlens.improvement import views

app_name = "improvement"
urlpatterns = [
    path("", views.index, name="index"),
    path("academies/<int:academy_id>/", views.academy_detail, name="academy"),
    path("academies/<int:academy_id>/stage/", views.stage_change, name="stage_change"),
    path("academies/<int:academy_id>/plans/new/", views.plan_create, name="plan_create"),
    path("academies/<int:academy_id>/actions/new/", views.action_create, name="action_create"),
    path("stages/", views.stages, name="stages"),
    path("stages/adopt/", views.stages_adopt, name="stages_adopt"),
    *record_paths(views, "stages/", "stage_id", "stage", "create", "edit", "delete"),
    *record_paths(views, "plans/", "plan_id", "plan", "detail", "edit"),
    path("plans/<int:plan_id>/priorities/new/", views.priority_add, name="priority_add"),
    path("plans/<int:plan_id>/reviews/new/", views.review_add, name="review_add"),
    *record_paths(views, "priorities/", "priority_id", "priority", "edit", "delete"),
    path("priorities/<int:priority_id>/objectives/new/", views.objective_add, name="objective_add"),
    *record_paths(views, "objectives/", "objective_id", "objective", "edit", "delete"),
    path(
        "objectives/<int:objective_id>/milestones/new/", views.milestone_add, name="milestone_add"
    ),
    *record_paths(views, "milestones/", "milestone_id", "milestone", "edit", "delete"),
    *record_paths(views, "reviews/", "review_id", "review", "edit", "delete"),
    path("actions/", views.action_list, name="actions"),
    path("actions/overdue/", views.overdue, name="overdue"),
    *record_paths(views, "actions/", "action_id", "action", "detail", "edit", "delete"),
    path("actions/<int:action_id>/follow-up/", views.follow_up, name="follow_up"),
    path("support/", views.ledger, name="ledger"),
    path("support/by-stage/", views.by_stage, name="support_by_stage"),
    *record_paths(views, "support/", "support_id", "support", "create", "edit", "delete"),
]

#: Pages of the QA app's namespace that belong to improvement (a finding turned into an action);
#: ``trustlens.config.urls`` adds them to the ``quality`` namespace, so quality never imports us.
quality_urlpatterns = [
    path("findings/<int:finding_id>/action/", views.finding_action, name="finding_action"),
]

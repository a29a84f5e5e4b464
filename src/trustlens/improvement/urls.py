"""URLs of the improvement app: academies and their stages, plans, actions and the support ledger."""

from django.urls import path

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
    path("stages/new/", views.stage_create, name="stage_create"),
    path("stages/<int:stage_id>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<int:stage_id>/delete/", views.stage_delete, name="stage_delete"),
    path("plans/<int:plan_id>/", views.plan_detail, name="plan_detail"),
    path("plans/<int:plan_id>/edit/", views.plan_edit, name="plan_edit"),
    path("plans/<int:plan_id>/priorities/new/", views.priority_add, name="priority_add"),
    path("plans/<int:plan_id>/reviews/new/", views.review_add, name="review_add"),
    path("priorities/<int:priority_id>/edit/", views.priority_edit, name="priority_edit"),
    path("priorities/<int:priority_id>/delete/", views.priority_delete, name="priority_delete"),
    path("priorities/<int:priority_id>/objectives/new/", views.objective_add, name="objective_add"),
    path("objectives/<int:objective_id>/edit/", views.objective_edit, name="objective_edit"),
    path("objectives/<int:objective_id>/delete/", views.objective_delete, name="objective_delete"),
    path(
        "objectives/<int:objective_id>/milestones/new/", views.milestone_add, name="milestone_add"
    ),
    path("milestones/<int:milestone_id>/edit/", views.milestone_edit, name="milestone_edit"),
    path("milestones/<int:milestone_id>/delete/", views.milestone_delete, name="milestone_delete"),
    path("reviews/<int:review_id>/edit/", views.review_edit, name="review_edit"),
    path("reviews/<int:review_id>/delete/", views.review_delete, name="review_delete"),
    path("actions/", views.action_list, name="actions"),
    path("actions/overdue/", views.overdue, name="overdue"),
    path("actions/<int:action_id>/", views.action_detail, name="action_detail"),
    path("actions/<int:action_id>/edit/", views.action_edit, name="action_edit"),
    path("actions/<int:action_id>/delete/", views.action_delete, name="action_delete"),
    path("actions/<int:action_id>/follow-up/", views.follow_up, name="follow_up"),
    path("support/", views.ledger, name="ledger"),
    path("support/by-stage/", views.by_stage, name="support_by_stage"),
    path("support/new/", views.support_create, name="support_create"),
    path("support/<int:support_id>/edit/", views.support_edit, name="support_edit"),
    path("support/<int:support_id>/delete/", views.support_delete, name="support_delete"),
]

#: Pages of the QA app's namespace that belong to improvement (a finding turned into an action);
#: ``trustlens.config.urls`` adds them to the ``quality`` namespace, so quality never imports us.
quality_urlpatterns = [
    path("findings/<int:finding_id>/action/", views.finding_action, name="finding_action"),
]

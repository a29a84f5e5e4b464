"""URLs of how the trust works (prefix ``trust/``)."""

from django.urls import path

from trustlens.governance import views, views_selfeval

app_name = "governance"
urlpatterns = [
    path("", views.index, name="index"),
    path("consultation/", views.consultation, name="consultation"),
    path("history/", views.history, name="history"),
    path("proposals/new/", views.proposal_create, name="proposal_create"),
    path("proposals/<int:matrix_proposal_id>/comments/", views.comment_add, name="comment_add"),
    path(
        "proposals/<int:matrix_proposal_id>/decide/", views.proposal_decide, name="proposal_decide"
    ),
    path("domains/new/", views.domain_create, name="domain_create"),
    path("domains/<int:matrix_domain_id>/edit/", views.domain_edit, name="domain_edit"),
    path("academies/<int:academy_id>/", views.academy, name="academy"),
    path(
        "academies/<int:academy_id>/deviations/new/",
        views.deviation_request,
        name="deviation_request",
    ),
    path("deviations/", views.deviations, name="deviations"),
    path("deviations/<int:deviation_id>/decide/", views.deviation_decide, name="deviation_decide"),
    path("rules/", views.rules, name="rules"),
    path("rules/new/", views.rule_create, name="rule_create"),
    path("rules/<int:autonomy_rule_id>/delete/", views.rule_delete, name="rule_delete"),
    path("self-evaluation/", views_selfeval.index, name="selfeval"),
    path("self-evaluation/import/", views_selfeval.framework_upload, name="framework_upload"),
    path(
        "self-evaluation/frameworks/<int:selfeval_framework_id>/rounds/new/",
        views_selfeval.round_create,
        name="round_create",
    ),
    path(
        "self-evaluation/rounds/<int:selfeval_round_id>/", views_selfeval.round_detail, name="round"
    ),
]

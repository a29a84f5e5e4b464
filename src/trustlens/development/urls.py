"""URLs of the people app: the directory, needs and matching, deployments, the days ledger and
capacity, coaching, joint CPD, inquiry, leadership and succession."""

from django.urls import path

from trustlens.development.views import coaching, learning, needs, staff

app_name = "development"
urlpatterns = [
    path("", staff.index, name="index"),
    path("directory/", staff.directory, name="directory"),
    path("staff/new/", staff.staff_create, name="staff_create"),
    path("staff/<int:staff_id>/", staff.staff_detail, name="staff_detail"),
    path("staff/<int:staff_id>/edit/", staff.staff_edit, name="staff_edit"),
    path("staff/<int:staff_id>/expertise/new/", staff.expertise_add, name="expertise_add"),
    path("expertise/<int:expertise_id>/edit/", staff.expertise_edit, name="expertise_edit"),
    path("expertise/<int:expertise_id>/delete/", staff.expertise_delete, name="expertise_delete"),
    path("needs/", needs.needs, name="needs"),
    path("needs/new/", needs.NeedCreate.as_view(), name="need_create"),
    path("needs/<int:need_id>/", needs.need_match, name="need_match"),
    path("needs/<int:need_id>/edit/", needs.NeedEdit.as_view(), name="need_edit"),
    path("deployments/", needs.deployments, name="deployments"),
    path("deployments/new/", needs.DeploymentCreate.as_view(), name="deployment_create"),
    path("deployments/<int:deployment_id>/", needs.deployment_detail, name="deployment_detail"),
    path(
        "deployments/<int:deployment_id>/edit/",
        needs.DeploymentEdit.as_view(),
        name="deployment_edit",
    ),
    path(
        "deployments/<int:deployment_id>/outcome/",
        needs.DeploymentOutcome.as_view(),
        name="deployment_outcome",
    ),
    path("ledger/", needs.ledger, name="ledger"),
    path("capacity/", needs.capacity, name="capacity"),
    path("settings/", needs.settings_edit, name="settings"),
    path("coaching/", coaching.coaching, name="coaching"),
    path("coaching/pairs/new/", coaching.pair_create, name="pair_create"),
    path("coaching/pairs/<int:pair_id>/", coaching.pair_detail, name="pair_detail"),
    path("coaching/pairs/<int:pair_id>/sessions/new/", coaching.session_add, name="session_add"),
    path("coaching/models/new/", coaching.coaching_model_create, name="coaching_model_create"),
    path(
        "coaching/models/<int:coaching_model_id>/edit/",
        coaching.coaching_model_edit,
        name="coaching_model_edit",
    ),
    path("cpd/", learning.cpd, name="cpd"),
    path("cpd/new/", learning.cpd_create, name="cpd_create"),
    path("cpd/<int:cpd_id>/", learning.cpd_detail, name="cpd_detail"),
    path("cpd/<int:cpd_id>/edit/", learning.cpd_edit, name="cpd_edit"),
    path("cpd/<int:cpd_id>/attendance/new/", learning.attendance_add, name="attendance_add"),
    path("cpd/<int:cpd_id>/evaluations/new/", learning.evaluation_add, name="evaluation_add"),
    path("inquiry/", learning.inquiry, name="inquiry"),
    path("inquiry/new/", learning.inquiry_create, name="inquiry_create"),
    path("inquiry/<int:inquiry_id>/", learning.inquiry_detail, name="inquiry_detail"),
    path("inquiry/<int:inquiry_id>/edit/", learning.inquiry_edit, name="inquiry_edit"),
    path("inquiry/<int:inquiry_id>/cycles/new/", learning.cycle_add, name="cycle_add"),
    path("leadership/", learning.leadership, name="leadership"),
    path("leadership/programmes/new/", learning.programme_create, name="programme_create"),
    path("leadership/places/new/", learning.place_create, name="place_create"),
    path("leadership/roles/new/", learning.key_role_create, name="key_role_create"),
    path(
        "leadership/roles/<int:key_role_id>/successors/new/",
        learning.successor_add,
        name="successor_add",
    ),
]

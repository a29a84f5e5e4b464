"""URLs of the dashboards app: the landing page (``home``) and, under ``/schools/``, the
trust overview and its drill-down in the ``dashboards`` namespace."""

from django.urls import include, path

from trustlens.dashboards import inclusion_views, rules_views, similar, views

schools = [
    path("", views.overview, name="overview"),
    path("funnel/", views.funnel_partial, name="funnel"),
    path("board-pack/", views.board_pack, name="board_pack"),
    path("board/", views.board, name="board"),
    path("glance/", views.glance, name="glance"),
    path("rag-rules/", rules_views.rag_rules, name="rag_rules"),
    path(
        "rag-rules/trust/<int:trust_id>/new/",
        rules_views.ThresholdCreate.as_view(),
        name="threshold_new",
    ),
    path(
        "rag-rules/<int:threshold_id>/edit/",
        rules_views.ThresholdEdit.as_view(),
        name="threshold_edit",
    ),
    path(
        "rag-rules/<int:threshold_id>/delete/",
        rules_views.ThresholdDelete.as_view(),
        name="threshold_delete",
    ),
    path("region/<int:region_id>/", views.region, name="region"),
    path("cluster/<int:cluster_id>/", views.cluster, name="cluster"),
    path("academy/<int:urn>/", views.academy, name="academy"),
    path("academy/<int:urn>/similar/", similar.similar, name="similar"),
    path("academy/<int:urn>/class/<int:class_id>/", views.class_view, name="class"),
    path("inclusion/", inclusion_views.trust_inclusion, name="inclusion"),
    path(
        "region/<int:region_id>/inclusion/", inclusion_views.unit_inclusion, name="inclusion_unit"
    ),
    path(
        "cluster/<int:cluster_id>/inclusion/",
        inclusion_views.unit_inclusion,
        name="inclusion_unit",
    ),
    path(
        "academy/<int:urn>/inclusion/", inclusion_views.academy_inclusion, name="inclusion_academy"
    ),
    path("academy/<int:urn>/inclusion/leavers/", inclusion_views.leavers, name="inclusion_leavers"),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("schools/", include((schools, "dashboards"))),
]

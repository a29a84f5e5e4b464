from django.urls import path

from trustlens.networks import views

app_name = "networks"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:network_slug>/", views.detail, name="detail"),
    path("<slug:network_slug>/benchmarks/", views.benchmark, name="benchmark"),
    path("<slug:network_slug>/planning/", views.planning, name="planning"),
    path("<slug:network_slug>/exchange/", views.exchange, name="exchange"),
    path("<slug:network_slug>/services/", views.shared_services, name="services"),
    path("<slug:network_slug>/membership/", views.membership, name="membership"),
    path("<slug:network_slug>/exchange/offer/", views.offer_reviewer, name="offer_reviewer"),
    path("<slug:network_slug>/exchange/review/", views.record_review, name="record_review"),
    path("<slug:network_slug>/services/offer/", views.offer_service, name="offer_service"),
    path("<slug:network_slug>/services/request/", views.request_service, name="request_service"),
    path(
        "<slug:network_slug>/services/requests/<int:request_id>/allocate/",
        views.allocate,
        name="allocate",
    ),
]

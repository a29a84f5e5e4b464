"""URLs of the assessment app."""

from django.urls import path

from trustlens.assessment import views, views_calendar

app_name = "assessment"
urlpatterns = [
    path("completeness/", views.completeness, name="completeness"),
    path("calendar/", views_calendar.month, name="calendar"),
    path("calendar/timeline/", views_calendar.timeline, name="timeline"),
    path("calendar/points/new/", views_calendar.point_create, name="point_create"),
    path(
        "calendar/points/<int:assessment_point_id>/edit/",
        views_calendar.point_edit,
        name="point_edit",
    ),
    path(
        "calendar/points/<int:assessment_point_id>/delete/",
        views_calendar.point_delete,
        name="point_delete",
    ),
    path("calendar/feed/", views_calendar.feed_settings, name="feed_settings"),
    # The feed path is fixed: trustlens.assessment.feeds.FEED_PATH authenticates it by key.
    path("calendar.ics", views_calendar.ical, name="ical"),
]

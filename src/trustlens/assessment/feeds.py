"""Subscribing to the calendar without a session: the feed URL carries the user's secret key.

Calendar programs fetch ``/assessment/calendar.ics?key=...`` with no cookie, so
``CalendarFeedMiddleware`` (placed before ``LoginRequiredMiddleware``) authenticates that one
path, and only for GET, by the key: the request runs as the key's user, read-only, without a
session being created; every read still goes through ``restrict(user)``. An unknown or revoked
key gets 404 (never a login redirect, which a calendar program would show as an error page).
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseNotFound

from trustlens.assessment.calendar import user_for_key

FEED_PATH = "/assessment/calendar.ics"


class CalendarFeedMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path == FEED_PATH and not request.user.is_authenticated:
            user = user_for_key(request.GET.get("key")) if request.method == "GET" else None
            if user is None:
                return HttpResponseNotFound(
                    "Unknown or revoked calendar key.", content_type="text/plain"
                )
            request.user = user
        return self.get_response(request)

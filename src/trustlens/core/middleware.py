"""Every page needs a login except the login and password-reset pages themselves; no page shown
to a signed-in user is kept by a browser or proxy cache; a database that stopped answering gives
a clear 503 page, not a traceback or a bare "Server Error"."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

PUBLIC_PREFIXES = (
    "/accounts/login",
    "/accounts/password_reset",
    "/accounts/reset",
    "/static/",
    "/admin/",
)

#: What every response to a signed-in user carries (pupil lists and pages, class pages, exports,
#: import reports...): never stored by the browser (its back button, its disk cache on a shared
#: staffroom computer) nor by a proxy.
NO_STORE = "private, no-store"


class LoginRequiredMiddleware:
    """Redirect anonymous users to the login page; fail closed for every new view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response to a signed-in user.

    Applied to all of them rather than to a list of pupil views, so a new view that shows pupils
    (or a small group that could identify one) is covered without anyone remembering to; static
    files (served before this by WhiteNoise) keep their caching.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if getattr(user, "is_authenticated", False):
            response["Cache-Control"] = NO_STORE
            del response["Expires"]  # no-op when absent; an Expires would contradict no-store
        return response


#: What a stopped, restarting or unreachable database raises through Django (psycopg's
#: "connection refused", "server closed the connection", SQLite's "database is locked").
DATABASE_DOWN = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 60
_FLAG = "_trustlens_database_down"


def _caused_by_database(error: BaseException | None) -> bool:
    """True when ``error`` or anything in its chain (a template wrapping it) is a database
    outage."""
    seen = 0
    while error is not None and seen < 10:
        if isinstance(error, DATABASE_DOWN):
            return True
        error, seen = error.__cause__ or error.__context__, seen + 1
    return False


def _note_database_error(sender: Any, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """``got_request_exception`` receiver: runs inside Django's ``except`` for any exception of
    a view or a middleware (the session or user lookup), so ``sys.exc_info`` holds it."""
    if request is not None and _caused_by_database(sys.exc_info()[1]):
        setattr(request, _FLAG, True)


def database_unavailable() -> HttpResponse:
    """The 503 page, rendered with no request context (no session, user or scope lookups)."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = NO_STORE
    return response


class DatabaseUnavailableMiddleware:
    """Turn any response to a request that met a database outage into the 503 page.

    Django converts an exception to a 500 response at each middleware layer, so this outer layer
    never sees the exception itself: the ``got_request_exception`` signal marks the request
    instead. Recovery needs no restart: Django closes a connection that raised a database error
    at the end of the request, and ``CONN_HEALTH_CHECKS`` checks a persistent one before reuse.
    Place it outermost but for SecurityMiddleware and WhiteNoise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        got_request_exception.connect(_note_database_error, dispatch_uid="trustlens-db-down")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            response = self.get_response(request)
        except DATABASE_DOWN:  # raised through (DEBUG_PROPAGATE_EXCEPTIONS, test clients)
            return database_unavailable()
        if getattr(request, _FLAG, False):
            return database_unavailable()
        return response

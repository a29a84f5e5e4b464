"""Every page needs a login except the login and password-reset pages themselves; no page shown
to a signed-in user is kept by a browser or proxy cache."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

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

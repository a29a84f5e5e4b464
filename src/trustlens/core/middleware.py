"""Every page needs a login except the login and password-reset pages themselves."""

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


class LoginRequiredMiddleware:
    """Redirect anonymous users to the login page; fail closed for every new view."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(PUBLIC_PREFIXES):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)

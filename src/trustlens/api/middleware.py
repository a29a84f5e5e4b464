"""The API answers 401 JSON, never the login page: runs before ``LoginRequiredMiddleware``.

For paths under ``/api/``: a valid Bearer token signs the request in as its user (so the login
middleware lets it through, and DRF's authentication finds the same token); a bad token, or no
token and no session, gets ``401 {"detail": ...}`` with ``WWW-Authenticate``. The browsable
reference (``/api/v1/docs/``) still sends an anonymous browser to the login page.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse

from trustlens.api.authentication import presented_secret, token_of

API_PREFIX = "/api/"
LOGIN_PAGES = ("/api/v1/docs/",)


def unauthorised(detail: str) -> JsonResponse:
    response = JsonResponse({"detail": detail}, status=401)
    response["WWW-Authenticate"] = 'Bearer realm="trustlens"'
    return response


class ApiTokenMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            refusal = self._sign_in(request)
            if refusal is not None:
                return refusal
        return self.get_response(request)

    def _sign_in(self, request: HttpRequest) -> HttpResponse | None:
        if presented_secret(request) is not None:
            token = token_of(request)
            if token is None:
                return unauthorised("The token is unknown, expired or revoked.")
            request.user = token.user
            return None
        if request.user.is_authenticated or request.path.startswith(LOGIN_PAGES):
            return None
        return unauthorised("Authentication credentials were not provided.")

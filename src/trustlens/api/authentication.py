"""``Authorization: Bearer <token>`` for DRF, and the shared parsing used by the middleware."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from rest_framework import authentication, exceptions

from trustlens.api.models import ApiToken
from trustlens.api.services import active_token

SCHEME = "bearer"


def presented_secret(request: HttpRequest) -> str | None:
    """The token in the request's Authorization header ("" when the header is malformed)."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return None
    scheme, _, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == SCHEME else ""


def token_of(request: HttpRequest) -> ApiToken | None:
    """The live token of the request (found once; the middleware already looked it up)."""
    if not hasattr(request, "api_token"):
        secret = presented_secret(request)
        request.api_token = active_token(secret) if secret else None
    return request.api_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    """A request with a Bearer token acts as the token's user (with that user's scope)."""

    def authenticate(self, request: Any) -> tuple[Any, ApiToken] | None:
        raw = request._request
        if presented_secret(raw) is None:
            return None
        token = token_of(raw)
        if token is None:
            raise exceptions.AuthenticationFailed("The token is unknown, expired or revoked.")
        return token.user, token

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="trustlens"'

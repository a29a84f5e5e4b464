"""Throttling per token: each token (else each signed-in user) has its own request budget."""

from __future__ import annotations

from typing import Any

from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from trustlens.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """``DEFAULT_THROTTLE_RATES["api_token"]`` requests per token (DRF's fixed-window counter)."""

    scope = "api_token"

    def get_rate(self) -> str | None:
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request: Any, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.digest[:32]}"  # unique per token, never reused
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = self.get_ident(request)
        return self.cache_format % {"scope": self.scope, "ident": ident}

"""All writes of the API app: creating, checking and revoking tokens.

The token is ``tl_`` + 43 URL-safe characters (``secrets.token_urlsafe(32)``: 256 bits); only
its SHA-256 digest is stored, so a copy of the database gives no working token. Looking a
presented token up by its digest is an equality on a unique index (no timing oracle on the
secret itself). See OWASP's REST Security Cheat Sheet (API keys) and GitHub's token format.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from trustlens.api.models import ApiToken
from trustlens.core.audit import log_event

TOKEN_PREFIX = "tl_"
SHOWN_CHARACTERS = 10
DEFAULT_DAYS = 90
MAX_DAYS = 366


@dataclass(frozen=True)
class IssuedToken:
    """A new token: the record and the secret (shown once, never stored)."""

    token: ApiToken
    secret: str


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def issue_token(user: Any, name: str = "API", days: int = DEFAULT_DAYS) -> IssuedToken:
    """A new token for ``user`` lasting ``days`` days (1 to 366), audited."""
    if not getattr(user, "is_active", False):
        raise ValidationError({"user": "Only an active user can hold an API token."})
    if not 1 <= int(days) <= MAX_DAYS:
        raise ValidationError({"days": f"A token lasts from 1 to {MAX_DAYS} days."})
    if not name.strip():
        raise ValidationError({"name": "Say what the token is for."})
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip()[:100],
        prefix=secret[:SHOWN_CHARACTERS],
        digest=digest_of(secret),
        expires_at=timezone.now() + dt.timedelta(days=int(days)),
    )
    log_event(user, "create", "api.apitoken", f"API token {token.prefix}… issued", days=days)
    return IssuedToken(token, secret)


def active_token(secret: str) -> ApiToken | None:
    """The live token ``secret`` names, or None (unknown, expired or revoked); marks it used."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    token = ApiToken.objects.select_related("user").filter(digest=digest_of(secret)).first()
    if token is None or not token.is_active or not token.user.is_active:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token


def tokens_of(user: Any):
    """The user's own tokens, newest first (nobody lists another user's)."""
    return ApiToken.objects.filter(user_id=getattr(user, "pk", None))


def revoke_token(user: Any, token: ApiToken) -> ApiToken:
    """Revoke one of the user's own tokens (idempotent), audited."""
    if token.user_id != getattr(user, "pk", None):
        raise PermissionDenied("You can only revoke your own tokens.")
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        log_event(user, "delete", "api.apitoken", f"API token {token.prefix}… revoked")
    return token

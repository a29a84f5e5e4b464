"""API tokens: one per integration, stored as a SHA-256 digest, with expiry and revocation.

A token belongs to a user and acts with exactly that user's scope (``restrict(user)``); it is
not academy data, so it is a plain model read only through its owner (``ApiToken.objects``
filtered by ``user``) or by its digest when a request presents it. Pattern: GitHub's
fine-grained tokens and Django REST Knox (hash stored, prefix shown, expiry).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """One API token of one user. The secret itself is shown once, at creation, and never stored."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for, e.g. Power BI.")
    prefix = models.CharField(
        max_length=12, help_text="The token's first characters, shown to tell tokens apart."
    )
    digest = models.CharField(max_length=64, unique=True, help_text="SHA-256 of the token.")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(help_text="After this the token is refused.")
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()

"""Template context: the signed-in user's scope and navigation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from trustlens.core.navigation import nav_for
from trustlens.core.scoping import scope_of


def scope(request: HttpRequest) -> dict:
    context = {"suppression_threshold": settings.SUPPRESSION_THRESHOLD}
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return context
    user_scope = scope_of(user)
    context.update(scope=user_scope, nav_links=nav_for(user_scope, request.path, user))
    return context

"""The URL patterns of the app, from ``django.urls``: what a role could open, and which pattern
a path belongs to."""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.urls import URLPattern, URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404

#: Never walked: signing out and anything that deletes, removes or confirms.
DESTRUCTIVE = re.compile(r"(^|/)(delete|remove|confirm|logout)(/|$)", re.IGNORECASE)
#: Patterns no signed-in page can open by a plain GET from the navigation.
_NOT_PAGES = re.compile(r"^admin:|^admin$|^(logout|password_reset_confirm)$")


def _walk(
    resolver: URLResolver, prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            joined = f"{namespace}:{inner}" if namespace and inner else inner or namespace
            yield from _walk(entry, prefix + str(entry.pattern), joined)
        elif isinstance(entry, URLPattern):
            name = entry.name and (f"{namespace}:{entry.name}" if namespace else entry.name)
            yield name or f"{namespace or '?'}:{prefix}{entry.pattern}", prefix + str(entry.pattern)


def app_patterns() -> dict[str, str]:
    """Pattern name -> route for every pattern a signed-in user could open as a page: the URL
    conf without the admin site, sign-out, destructive routes and token-only password reset."""
    return {
        name: route
        for name, route in _walk(get_resolver())
        if not _NOT_PAGES.search(name) and not DESTRUCTIVE.search(route)
    }


def pattern_of(path: str) -> str:
    """The pattern name of a path (its query string ignored), or ``unresolved``."""
    try:
        match = resolve(path.split("?", 1)[0])
    except Resolver404:
        return "unresolved"
    return match.view_name or match.route


def is_destructive(path: str) -> bool:
    return bool(DESTRUCTIVE.search(path.split("?", 1)[0]))

"""Support for the scoping meta-test: walk the URL conf and build URL arguments per academy.

Every URL parameter name used by a view must be registered with ``scope_param`` in the owning
app's ``testing.py`` (``trustlens.<app>.testing``), with a builder that creates (or finds) an
object belonging to a given academy and returns the value to put in the URL. The meta-test
(tests/core/test_scoping_meta.py) fails for any parameter nobody registered, so a new view
cannot escape it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver
from django.utils.module_loading import autodiscover_modules

#: param name -> builder(academy) -> URL value for an object that belongs to that academy
SCOPE_PARAMS: dict[str, Callable[[Any], Any]] = {}

#: URL names the meta-test does not visit (Django's own auth pages, the admin site).
EXEMPT_URL_NAMESPACES = ("admin",)
EXEMPT_URL_NAMES = {
    "login",
    "logout",
    "password_change",
    "password_change_done",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
}


def scope_param(name: str) -> Callable[[Callable[[Any], Any]], Callable[[Any], Any]]:
    """Decorator: register the builder for URL parameter ``name``."""

    def decorator(builder: Callable[[Any], Any]) -> Callable[[Any], Any]:
        SCOPE_PARAMS[name] = builder
        return builder

    return decorator


def first_or_make(model: Any, factory: Callable[..., Any], owner: dict, **fields: Any) -> Any:
    """The first ``model`` record (any scope) of ``owner`` (e.g. ``{"academy": a}`` or
    ``{"trust": t}``), or a new one made by ``factory`` for it with ``fields``: the shared parent
    record of an app's scope parameters."""
    found = model.objects.unscoped().filter(**owner).first()
    return found or factory(**owner, **fields)


def load_scope_params() -> dict[str, Callable[[Any], Any]]:
    """Import every installed app's ``testing`` module (Django's autodiscovery, as for
    ``admin.py``) so its params register."""
    autodiscover_modules("testing")
    return SCOPE_PARAMS


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, with its name and the keyword arguments it needs."""

    name: str
    pattern: str
    params: tuple[str, ...]
    namespace: str


def walk_urlconf(
    resolver: URLResolver | None = None, prefix: str = "", namespace: str = ""
) -> Iterator[Route]:
    """Every named URL pattern reachable from the root URL conf (or ``resolver``)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            full_ns = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
            yield from walk_urlconf(entry, prefix + str(entry.pattern), full_ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            params = tuple(getattr(entry.pattern, "converters", {}) or ())
            if not params and hasattr(entry.pattern, "regex"):
                params = tuple(entry.pattern.regex.groupindex)
            yield Route(
                name=name, pattern=prefix + str(entry.pattern), params=params, namespace=namespace
            )


def visitable_routes() -> list[Route]:
    """Routes the meta-test visits: everything but the admin and Django's auth pages."""
    routes = []
    for route in walk_urlconf():
        top = route.namespace.split(":")[0]
        if top in EXEMPT_URL_NAMESPACES or route.name in EXEMPT_URL_NAMES:
            continue
        routes.append(route)
    return routes


@dataclass
class Visit:
    """One GET of one route by one user: what came back."""

    route: Route
    url: str
    status: int
    body: str


def url_for(route: Route, academy: Any, builders: dict[str, Callable[[Any], Any]]) -> str:
    """The route's URL with every parameter pointing at an object of ``academy``."""
    from django.urls import reverse

    missing = [p for p in route.params if p not in builders]
    if missing:
        raise LookupError(
            f"URL {route.name or route.pattern!r} has parameter(s) {missing} that no app registered "
            "with trustlens.core.testing.scope_param: register a builder in <app>/testing.py"
        )
    kwargs = {param: builders[param](academy) for param in route.params}
    return reverse(route.name, kwargs=kwargs)


def visit_all(client: Any, routes: list[Route], academy: Any, builders: dict) -> list[Visit]:
    """GET every route as ``client`` with arguments pointing at ``academy``'s objects."""
    visits = []
    for route in routes:
        if not route.name:
            raise LookupError(f"URL pattern {route.pattern!r} has no name: every view needs one")
        url = url_for(route, academy, builders)
        response = client.get(url)
        body = response.content.decode(errors="replace") if hasattr(response, "content") else ""
        visits.append(Visit(route=route, url=url, status=response.status_code, body=body))
    return visits


def leaks(
    visits: list[Visit], markers: list[str], object_routes_must_refuse: bool = True
) -> list[str]:
    """Describe every visit that shows a forbidden marker, or serves another academy's object.

    A route with parameters points at the other academy's object, so it must answer 403/404
    (or redirect); a route without parameters may answer 200 but must not contain a marker.
    """
    problems = []
    for visit in visits:
        if visit.status >= 500:
            problems.append(f"{visit.url} [{visit.route.name}]: server error {visit.status}")
            continue
        found = [m for m in markers if m and m in visit.body]
        if found:
            problems.append(f"{visit.url} [{visit.route.name}]: shows {found}")
        elif object_routes_must_refuse and visit.route.params and visit.status in (200, 201):
            problems.append(
                f"{visit.url} [{visit.route.name}]: served another academy's object ({visit.status})"
            )
    return problems

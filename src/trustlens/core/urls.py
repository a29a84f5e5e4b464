"""URL helpers shared by the apps' ``urls.py``: the pages of one record type."""

from __future__ import annotations

from types import ModuleType

from django.urls import URLPattern, path

#: A record page's route below the record type's prefix, given the id parameter's name.
ROUTES = {
    "create": lambda param: "new/",
    "detail": lambda param: f"<int:{param}>/",
    "edit": lambda param: f"<int:{param}>/edit/",
    "delete": lambda param: f"<int:{param}>/delete/",
}


def record_paths(
    views: ModuleType, prefix: str, param: str, name: str, *pages: str, view_name: str = ""
) -> list[URLPattern]:
    """The paths of one record type's ``pages`` (``create``, ``detail``, ``edit``, ``delete``):
    ``{prefix}new/``, ``{prefix}<int:{param}>/``, ``.../edit/`` and ``.../delete/``.

    Page ``p`` is served by ``views.{view_name or name}_{p}`` and named ``{name}_{p}`` (just
    ``p`` with an empty ``name``); ``param`` is the record id the scoped views receive.
    """
    stem = view_name or name
    return [
        path(
            prefix + ROUTES[page](param),
            getattr(views, f"{stem}_{page}"),
            name=f"{name}_{page}" if name else page,
        )
        for page in pages
    ]

"""URL helpers shared by the apps' ``urls.py``: the pages of one record type."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import URLPattern, path

View = Callable[..., object]


def record_paths(
    prefix: str,
    param: str,
    name: str,
    *,
    create: View | None = None,
    detail: View | None = None,
    update: View | None = None,
    delete: View | None = None,
) -> list[URLPattern]:
    """The paths of one record type's pages under ``prefix``: ``new/`` (create), ``<param>/``
    (detail), ``<param>/edit/`` (update) and ``<param>/delete/`` (delete), for the views given.

    The URL names are ``{name}_create``, ``{name}_detail``, ``{name}_edit`` and ``{name}_delete``
    (just ``create``, ``detail``... with an empty ``name``); ``param`` names the ``<int:...>``
    record id the scoped views receive.
    """
    record = f"{prefix}<int:{param}>/"
    pages = (
        (f"{prefix}new/", create, "create"),
        (record, detail, "detail"),
        (f"{record}edit/", update, "edit"),
        (f"{record}delete/", delete, "delete"),
    )
    return [
        path(route, view, name=f"{name}_{page}" if name else page)
        for route, view, page in pages
        if view is not None
    ]

"""Base views: every list and detail view gets its rows through ``restrict(user)``.

Subclasses set ``model`` (a ScopedModel) and never override ``get_queryset``; extra filtering
goes in ``filter_queryset``. Pupil-level models answer 403 to aggregate-only users (trustees)
and every pupil-level detail view writes to the audit log.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.views.generic import DetailView, ListView

from trustlens.core.scoping import Scope, scope_of


class ScopedViewMixin:
    """Resolve the request's scope once and refuse pupil-level models to trustees."""

    model: Any

    @property
    def scope(self) -> Scope:
        return scope_of(self.request.user)  # type: ignore[attr-defined]

    def dispatch(self, request, *args: Any, **kwargs: Any):
        if (
            getattr(self.model, "scope_pupil_level", False)
            and not scope_of(request.user).pupil_level
        ):
            raise PermissionDenied("Pupil-level data is not available to your role.")
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def get_queryset(self) -> QuerySet:
        queryset = self.model.objects.restrict(self.request.user)  # type: ignore[attr-defined]
        return self.filter_queryset(queryset)

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "get_queryset" in cls.__dict__:
            raise TypeError(f"{cls.__name__} may not override get_queryset; use filter_queryset")


class ScopedListView(ScopedViewMixin, ListView):
    paginate_by = 50


class ScopedDetailView(ScopedViewMixin, DetailView):
    pass

"""The one read path of every endpoint: ``Model.objects.restrict(request.user)``.

``ScopedReadViewSet`` gives list and detail views of one model through the pages' scoping
layer: another academy's record is simply not in the queryset (404), staff-only records refuse
aggregate-only users (``trustlens.core.access.check_detail``: 403), and ids too large for the
database are 404 rather than an overflow.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import viewsets

from trustlens.api.filters import RecordFilter
from trustlens.core.access import check_detail

LARGEST_ID = 2**63 - 1


def fake_view(view: Any) -> bool:
    """True while drf-spectacular builds the schema (no real user)."""
    return getattr(view, "swagger_fake_view", False)


class ScopedReadViewSet(viewsets.ReadOnlyModelViewSet):
    model: Any = None
    related: tuple[str, ...] = ()
    ordering: tuple[str, ...] = ()
    #: Plans, actions, support and QA records: staff only (trustees see summaries: 403).
    staff_only = False
    filter_backends = [RecordFilter]
    filter_paths: dict[str, str] = {}
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> Any:
        if fake_view(self):
            return self.model.objects.none()
        if self.staff_only:
            check_detail(self.request.user)
        rows = self.model.objects.restrict(self.request.user).select_related(*self.related)
        return self.narrow(rows.order_by(*self.ordering) if self.ordering else rows)

    def narrow(self, rows: Any) -> Any:
        """Further limits a view applies (always within ``restrict``)."""
        return rows

    def get_object(self) -> Any:
        value = self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")
        if not str(value).isdigit() or int(value) > LARGEST_ID:
            raise Http404("No such record.")
        return super().get_object()

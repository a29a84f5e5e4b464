"""Helpers shared by the people views: breadcrumbs, the academies a user leads, the querysets
that limit form choices, and the create view whose form names the academy."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponse
from django.urls import reverse

from trustlens.core.access import allowed_ids
from trustlens.core.pages import crumbs
from trustlens.core.views import ScopedFormView
from trustlens.development import models
from trustlens.organisations.models import Academy
from trustlens.people.services import people_in


def today() -> dt.date:
    return dt.date.today()


def trail(*items: tuple[str, str | None]) -> list[dict]:
    """Breadcrumbs: Home › People › items."""
    return crumbs(("People", reverse("development:index")), *items)


def led_academies(user: Any) -> QuerySet:
    """Academies the user leads (``can(.., "change")``), as a queryset for form choices."""
    return (
        Academy.objects.restrict(user).filter(pk__in=allowed_ids(user, "change")).order_by("name")
    )


def staff_in_reach(user: Any) -> QuerySet:
    return models.StaffMember.objects.restrict(user).select_related("academy").order_by("name")


def logins_for(academies: QuerySet) -> QuerySet:
    """Logins of people with a role at (or above) the given academies."""
    ids: set[int] = set()
    for academy in academies[:50]:
        ids |= {pk for pk, _ in people_in(academy)}
    return get_user_model().objects.filter(pk__in=ids).order_by("last_name", "first_name")


class LedCreate(ScopedFormView):
    """A create page whose form names the academy (only academies the user leads are offered;
    the service checks the one chosen)."""

    refusal = "Only leaders of an academy record this."
    section: tuple[str, str] = ("People", "development:index")

    def new_record(self) -> Any:
        return self.model()

    def respond(self) -> HttpResponse:
        if not led_academies(self.request.user).exists():
            raise PermissionDenied(self.refusal)
        return self.form_response(self.new_record())

    def get_back(self, obj: Any) -> str:
        return reverse(self.section[1])

    def get_trail(self, obj: Any) -> list[dict]:
        label, name = self.section
        return trail((label, reverse(name)), (self.title, None))

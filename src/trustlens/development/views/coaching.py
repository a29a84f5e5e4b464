"""Coaching: the trust's coaching models, pairs and their sessions, with cadence warnings.

A teacher sees their own coaching (as coach or coachee), a head their academy's, leaders
above the academy the patterns: dates and cadence, never the focus, action steps or notes.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from trustlens.core.access import allowed_ids, check_detail
from trustlens.core.views import ScopedCreateView, ScopedUpdateView
from trustlens.development import models, reports, services
from trustlens.development.forms import CoachingModelForm, PairForm, SessionForm
from trustlens.development.views.common import (
    LedCreate,
    led_academies,
    staff_in_reach,
    today,
    trail,
)
from trustlens.organisations.services import trusts_where


def coaching(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    user = request.user
    pairs = list(
        reports.visible_pairs(user).prefetch_related(
            reports.children("sessions", models.CoachingSession)
        )
    )
    rows = [
        {
            "pair": p,
            "cadence": reports.cadence(p, today()),
            "notes": reports.sees_notes(user, p),
            "latest": max(reports.sessions_of(p), key=lambda s: s.held_on, default=None),
        }
        for p in pairs
    ]
    oversee = allowed_ids(user, "oversee")
    context = {
        "rows": rows,
        "patterns": reports.coaching_patterns(
            [p for p in pairs if p.coachee.academy_id in oversee], today()
        ),
        "models": list(models.CoachingModel.objects.restrict(user)),
        "can_add": led_academies(user).exists(),
        "configure": bool(allowed_ids(user, "configure")),
        "trail": trail(("Coaching", None)),
    }
    return render(request, "development/coaching.html", context)


def pair_detail(request: HttpRequest, pair_id: int) -> HttpResponse:
    check_detail(request.user)
    user = request.user
    pair = get_object_or_404(reports.visible_pairs(user), pk=pair_id)
    context = {
        "pair": pair,
        "sessions": reports.sessions_of(pair),
        "cadence": reports.cadence(pair, today()),
        "notes": reports.sees_notes(user, pair),
        "can_add": services.may_add_session(user, pair),
        "trail": trail(("Coaching", reverse("development:coaching")), (str(pair), None)),
    }
    return render(request, "development/pair_detail.html", context)


class PairCreate(LedCreate):
    model, form_class, service = models.CoachingPair, PairForm, staticmethod(services.save_pair)
    title, done = "Start a coaching pair", "Coaching pair started: {obj}."
    section = ("Coaching", "development:coaching")

    def new_record(self):
        return models.CoachingPair(started_on=today())

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        return {
            "limits": {
                "coach": staff_in_reach(user),
                "coachee": staff_in_reach(user).filter(academy_id__in=allowed_ids(user, "change")),
                "model": models.CoachingModel.objects.restrict(user),
            }
        }

    def next_url(self, saved) -> str:
        return reverse("development:pair_detail", args=[saved.pk])


class SessionAdd(ScopedCreateView):
    model, form_class, service = (
        models.CoachingSession,
        SessionForm,
        staticmethod(services.save_session),
    )
    parent_model, parent_param, parent_field = models.CoachingPair, "pair_id", "pair"
    action = None  # the service lets the coach in as well as the academy's leaders
    title, caption, done = "Record a coaching session", "{parent}", "Session recorded."

    def check(self, target) -> None:
        if not services.may_add_session(self.request.user, target):
            raise PermissionDenied("Only the coach or the academy's leaders record sessions.")

    def new_object(self, parent):
        return models.CoachingSession(pair=parent, held_on=today())

    def get_back(self, obj) -> str:
        return reverse("development:pair_detail", args=[obj.pair_id])

    def get_trail(self, obj) -> list[dict]:
        return trail(
            ("Coaching", reverse("development:coaching")),
            (str(obj.pair), self.get_back(obj)),
            ("Session", None),
        )


class CoachingModelPage:
    model, form_class = models.CoachingModel, CoachingModelForm
    service = staticmethod(services.save_coaching_model)
    action = "configure"
    denied = "Only the trust's executives set its coaching models."

    def get_back(self, obj) -> str:
        return reverse("development:coaching")

    def get_trail(self, obj) -> list[dict]:
        return trail(("Coaching", self.get_back(obj)), ("Coaching model", None))


class CoachingModelCreate(CoachingModelPage, LedCreate):
    title, done = "Add a coaching model", "Coaching model saved: {obj.name}."

    def respond(self):
        trusts = trusts_where(self.request.user, "configure")
        if not trusts:
            raise PermissionDenied(self.denied)
        return self.form_response(models.CoachingModel(trust=trusts[0]))


class CoachingModelEdit(CoachingModelPage, ScopedUpdateView):
    object_param = "coaching_model_id"
    title, caption = "Coaching model: {obj.name}", "{obj.trust.name}"


pair_create = PairCreate.as_view()
session_add = SessionAdd.as_view()
coaching_model_create = CoachingModelCreate.as_view()
coaching_model_edit = CoachingModelEdit.as_view()

"""Joint moderation: sessions, samples and the agreement rate by academy, subject and term."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from trustlens.core.access import can, summary_only
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.organisations.services import academies_where
from trustlens.quality import moderation as service
from trustlens.quality.forms import SampleForm, SessionForm
from trustlens.quality.models import ModerationSample, ModerationSession


def _trail(session: ModerationSession | None = None, current: str | None = None) -> list[dict]:
    items = [("Quality", reverse("quality:index")), ("Moderation", reverse("quality:moderation"))]
    if session is not None:
        url = reverse("quality:moderation_detail", args=[session.pk]) if current else None
        items.append((session.title, url))
    if current:
        items.append((current, None))
    return crumbs(*items)


def _session(request: HttpRequest, session_id: int) -> ModerationSession:
    return get_object_or_404(ModerationSession.objects.restrict(request.user), pk=session_id)


def moderation_index(request: HttpRequest) -> HttpResponse:
    """Sessions in scope and the agreement rate by academy, subject and term."""
    sessions = list(ModerationSession.objects.restrict(request.user).order_by("-held_on", "-pk"))
    samples = ModerationSample.objects.restrict(request.user).select_related("session", "academy")
    context = {
        "sessions": sessions,
        "rows": service.agreement_rows(samples),
        "can_run": bool(academies_where(request.user, "change")),
        "summary_only": summary_only(request.user),
        "trail": crumbs(("Quality", reverse("quality:index")), ("Moderation", None)),
    }
    return render(request, "quality/moderation.html", context)


def moderation_create(request: HttpRequest) -> HttpResponse:
    academies = academies_where(request.user, "change")
    if not academies:
        raise PermissionDenied("Only academy and trust leaders set up moderation sessions.")
    form = SessionForm(request.POST or None, academies=academies)
    if request.method == "POST" and form.is_valid():
        session = try_write(
            form,
            lambda: service.save_session(
                request.user, form.save(commit=False), list(form.cleaned_data["academies"])
            ),
        )
        if session is not None:
            messages.success(request, "Session set up: now add the samples.")
            return redirect("quality:moderation_detail", session_id=session.pk)
    return form_page(
        request,
        form,
        title="Set up a moderation session",
        caption="Joint moderation",
        cancel=reverse("quality:moderation"),
        trail=_trail(current="New session"),
        submit="Set up session",
    )


def moderation_detail(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    if summary_only(request.user):
        raise PermissionDenied("Session detail is for the academies taking part.")
    academies, others = service.visible_session_academies(request.user, session)
    samples = list(
        ModerationSample.objects.restrict(request.user)
        .filter(session=session)
        .select_related("academy")
    )
    for sample in samples:
        sample.session = session
    led = [a for a in academies if can(request.user, "change", a.pk)]
    context = {
        "session": session,
        "academies": academies,
        "others": others,
        "samples": samples,
        "rows": service.agreement_rows(samples),
        "can_add": bool(led),
        "can_edit": service.can_run_session(
            request.user, session, service.session_academy_ids(session)
        ),
        "sample_form": SampleForm(academies=led, scale=session.scale) if led else None,
        "trail": _trail(session),
        "led_ids": {a.pk for a in led},
    }
    return render(request, "quality/moderation_detail.html", context)


def moderation_edit(request: HttpRequest, session_id: int) -> HttpResponse:
    session = _session(request, session_id)
    current = service.session_academy_ids(session)
    if not service.can_run_session(request.user, session, current):
        raise PermissionDenied("Only leaders of every academy taking part can change the session.")
    form = SessionForm(
        request.POST or None,
        instance=session,
        academies=academies_where(request.user, "change"),
        initial_academies=sorted(current),
    )
    if (
        request.method == "POST"
        and form.is_valid()
        and try_write(
            form,
            lambda: service.save_session(
                request.user, form.save(commit=False), list(form.cleaned_data["academies"])
            ),
        )
    ):
        return redirect("quality:moderation_detail", session_id=session.pk)
    return form_page(
        request,
        form,
        title=f"Edit {session.title}",
        caption="Joint moderation",
        cancel=reverse("quality:moderation_detail", args=[session.pk]),
        trail=_trail(session, "Edit"),
    )


class SamplePage:
    """A sample's pages: back to its session's samples."""

    model, form_class, service = ModerationSample, SampleForm, staticmethod(service.save_sample)
    object_param, select_related = "sample_id", ("session", "academy")
    detail_only, done, caption = False, None, "{obj.session.title}"

    def get_form_kwargs(self, obj: ModerationSample) -> dict:
        return {"academies": [obj.academy], "scale": obj.session.scale}

    def get_back(self, obj: ModerationSample) -> str:
        return reverse("quality:moderation_detail", args=[obj.session_id]) + "#samples"

    def get_trail(self, obj: ModerationSample) -> list[dict]:
        return _trail(obj.session, self.crumb)


class SampleAdd(SamplePage, ScopedCreateView):
    parent_model, parent_param, parent_field = ModerationSession, "session_id", "session"
    title = crumb = "Add a sample"
    submit, done, allow_another = "Add sample", "Sample added.", True
    intro = "Use an anonymised reference for the piece of work, never a pupil's name or UPN."

    def led(self, session: ModerationSession) -> list:
        shown, _ = service.visible_session_academies(self.request.user, session)
        return [a for a in shown if can(self.request.user, "change", a.pk)]

    def check(self, session: ModerationSession) -> None:
        if not self.led(session):
            raise PermissionDenied("Only leaders of an academy taking part add its samples.")

    def get_form_kwargs(self, obj: ModerationSample) -> dict:
        return {"academies": self.led(obj.session), "scale": obj.session.scale}


class SampleEdit(SamplePage, ScopedUpdateView):
    denied = "Only leaders of the sample's academy change it."
    title, crumb = "Sample {obj.reference}", "Sample"


class SampleDelete(SamplePage, ScopedDeleteView):
    service = staticmethod(service.delete_sample)
    denied = "Only leaders of the sample's academy remove it."
    title = crumb = "Remove a sample"

    def what(self, obj: ModerationSample) -> str:
        return obj.reference


sample_add = SampleAdd.as_view()
sample_edit = SampleEdit.as_view()
sample_delete = SampleDelete.as_view()

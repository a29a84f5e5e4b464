"""Joint moderation: sessions, samples and the agreement rate by academy, subject and term."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from trustlens.core.access import can, summary_only
from trustlens.core.pages import crumbs
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


class SessionPage:
    """Setting up and editing a moderation session with the academies taking part."""

    model, form_class, object_param = ModerationSession, SessionForm, "session_id"
    detail_only, caption = False, "Joint moderation"

    def write(self, form: SessionForm, record: ModerationSession) -> ModerationSession:
        academies = list(form.cleaned_data["academies"])
        return service.save_session(self.request.user, record, academies)

    def next_url(self, saved: ModerationSession) -> str:
        return reverse("quality:moderation_detail", args=[saved.pk])


class SessionCreate(SessionPage, ScopedCreateView):
    title, crumb, submit = "Set up a moderation session", "New session", "Set up session"
    done = "Session set up: now add the samples."

    def respond(self) -> HttpResponse:
        if not academies_where(self.request.user, "change"):
            raise PermissionDenied("Only academy and trust leaders set up moderation sessions.")
        return self.form_response(ModerationSession())

    def get_form_kwargs(self, obj: ModerationSession) -> dict:
        return {"academies": academies_where(self.request.user, "change")}

    def get_back(self, obj: ModerationSession) -> str:
        return reverse("quality:moderation")

    def get_trail(self, obj: ModerationSession) -> list[dict]:
        return _trail(current=self.crumb)


moderation_create = SessionCreate.as_view()


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


class SessionEdit(SessionPage, ScopedUpdateView):
    title, crumb, done = "Edit {obj.title}", "Edit", None

    def check(self, session: ModerationSession) -> None:
        current = service.session_academy_ids(session)
        if not service.can_run_session(self.request.user, session, current):
            raise PermissionDenied(
                "Only leaders of every academy taking part can change the session."
            )

    def get_form_kwargs(self, obj: ModerationSession) -> dict:
        academies = academies_where(self.request.user, "change")
        return {
            "academies": academies,
            "initial_academies": sorted(service.session_academy_ids(obj)),
        }

    def get_back(self, obj: ModerationSession) -> str:
        return reverse("quality:moderation_detail", args=[obj.pk])

    def get_trail(self, obj: ModerationSession) -> list[dict]:
        return _trail(obj, self.crumb)


moderation_edit = SessionEdit.as_view()


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
    what_field = "reference"


sample_add = SampleAdd.as_view()
sample_edit = SampleEdit.as_view()
sample_delete = SampleDelete.as_view()

"""Joint CPD with Guskey's evaluation levels, inquiry and lesson study, leadership
programmes and succession."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from trustlens.core.access import allowed_ids, can, check_detail
from trustlens.core.views import ScopedCreateView, ScopedUpdateView
from trustlens.development import models, services
from trustlens.development.choices import GuskeyLevel, Readiness
from trustlens.development.forms import (
    AttendanceForm,
    CpdSessionForm,
    CycleForm,
    EvaluationForm,
    InquiryForm,
    KeyRoleForm,
    PlaceForm,
    ProgrammeForm,
    SuccessorForm,
)
from trustlens.development.views.common import (
    LedCreate,
    led_academies,
    staff_in_reach,
    today,
    trail,
)
from trustlens.improvement.models import Priority
from trustlens.organisations.services import trusts_where


def children(name: str, model_or_queryset) -> Prefetch:
    """A restricted record's own parts (same academy, or counted only)."""
    queryset = getattr(model_or_queryset, "objects", None)
    queryset = queryset.unscoped() if queryset is not None else model_or_queryset
    return Prefetch(name, queryset=queryset)


# --- joint CPD ------------------------------------------------------------------------------


def cpd(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    sessions = (
        models.CpdSession.objects.restrict(request.user)
        .select_related("host_academy", "priority")
        .prefetch_related(
            children("attendance", models.CpdAttendance.objects.unscoped().select_related("staff")),
            children("evaluations", models.CpdEvaluation),
        )
    )
    rows = []
    for session in sessions:
        levels = sorted(e.level for e in session.evaluations.all())
        academies = {a.staff.academy_id for a in session.attendance.all()}
        rows.append(
            {
                "session": session,
                "attended": len(session.attendance.all()),
                "academies": len(academies),
                "top": GuskeyLevel(levels[-1]).label if levels else "",
            }
        )
    context = {
        "rows": rows,
        "can_add": led_academies(request.user).exists(),
        "trail": trail(("Joint CPD", None)),
    }
    return render(request, "development/cpd.html", context)


def cpd_detail(request: HttpRequest, cpd_id: int) -> HttpResponse:
    check_detail(request.user)
    user = request.user
    session = get_object_or_404(
        models.CpdSession.objects.restrict(user).select_related("host_academy", "priority"),
        pk=cpd_id,
    )
    attendance = list(
        models.CpdAttendance.objects.restrict(user)
        .filter(session=session)
        .select_related("staff__academy")
    )
    total = models.CpdAttendance.objects.unscoped().filter(session=session).count()
    by_level = {e.level: e for e in models.CpdEvaluation.objects.unscoped().filter(session=session)}
    context = {
        "session": session,
        "attendance": attendance,
        "others": total - len(attendance),
        "levels": [(value, label, by_level.get(value)) for value, label in GuskeyLevel.choices],
        "can_change": can(user, "change", session.host_academy_id),
        "trail": trail(("Joint CPD", reverse("development:cpd")), (session.title, None)),
    }
    return render(request, "development/cpd_detail.html", context)


class CpdPage:
    model, form_class = models.CpdSession, CpdSessionForm
    service = staticmethod(services.save_cpd_session)
    object_param = "cpd_id"

    def get_form_kwargs(self, obj) -> dict:
        led = led_academies(self.request.user)
        priorities = Priority.objects.restrict(self.request.user).select_related("plan__academy")
        return {"limits": {"host_academy": led, "priority": priorities}}

    def get_back(self, obj) -> str:
        if obj is not None and obj.pk:
            return reverse("development:cpd_detail", args=[obj.pk])
        return reverse("development:cpd")


class CpdCreate(CpdPage, LedCreate):
    title, done = "Add a joint CPD session", "CPD session saved: {obj.title}."
    section = ("Joint CPD", "development:cpd")

    def new_record(self):
        return models.CpdSession(held_on=today())

    def next_url(self, saved) -> str:
        return reverse("development:cpd_detail", args=[saved.pk])


class CpdEdit(CpdPage, ScopedUpdateView):
    title, caption, crumb = "{obj.title}", "{obj.host_academy.name}", "Edit"


class SessionChild(ScopedCreateView):
    parent_model, parent_param, parent_field = models.CpdSession, "cpd_id", "session"

    def check(self, target) -> None:
        from trustlens.core.access import require

        require(self.request.user, "change", target.host_academy_id)

    def get_back(self, obj) -> str:
        return reverse("development:cpd_detail", args=[obj.session_id])

    def get_trail(self, obj) -> list[dict]:
        return trail(
            ("Joint CPD", reverse("development:cpd")),
            (obj.session.title, self.get_back(obj)),
            (self.title, None),
        )


class AttendanceAdd(SessionChild):
    model, form_class, service = (
        models.CpdAttendance,
        AttendanceForm,
        staticmethod(services.save_attendance),
    )
    title, caption, done = "Add to the register", "{parent.title}", "Added to the register."
    allow_another = True

    def get_form_kwargs(self, obj) -> dict:
        return {"limits": {"staff": staff_in_reach(self.request.user)}}


class EvaluationAdd(SessionChild):
    model, form_class, service = (
        models.CpdEvaluation,
        EvaluationForm,
        staticmethod(services.save_evaluation),
    )
    title, caption, done = "Evaluate at a Guskey level", "{parent.title}", "Evaluation saved."
    intro = (
        "Guskey's levels: participants' reactions, their learning, the school's support, "
        "their use of it in class, and pupils' learning outcomes."
    )


# --- inquiry --------------------------------------------------------------------------------


def inquiry(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    projects = (
        models.InquiryProject.objects.restrict(request.user)
        .select_related("lead_academy", "priority")
        .prefetch_related(children("cycles", models.InquiryCycle))
    )
    context = {
        "projects": list(projects),
        "can_add": led_academies(request.user).exists(),
        "trail": trail(("Inquiry and lesson study", None)),
    }
    return render(request, "development/inquiry.html", context)


def inquiry_detail(request: HttpRequest, inquiry_id: int) -> HttpResponse:
    check_detail(request.user)
    project = get_object_or_404(
        models.InquiryProject.objects.restrict(request.user).select_related(
            "lead_academy", "priority"
        ),
        pk=inquiry_id,
    )
    staff = models.StaffMember.objects.restrict(request.user).filter(inquiries=project)
    context = {
        "project": project,
        "staff": list(staff.select_related("academy")),
        "cycles": list(models.InquiryCycle.objects.unscoped().filter(project=project)),
        "can_change": can(request.user, "change", project.lead_academy_id),
        "trail": trail(
            ("Inquiry and lesson study", reverse("development:inquiry")),
            (project.question[:60], None),
        ),
    }
    return render(request, "development/inquiry_detail.html", context)


class InquiryPage:
    model, form_class = models.InquiryProject, InquiryForm
    service = staticmethod(services.save_inquiry)
    object_param = "inquiry_id"

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        return {
            "limits": {
                "lead_academy": led_academies(user),
                "priority": Priority.objects.restrict(user).select_related("plan__academy"),
                "staff": staff_in_reach(user),
            }
        }

    def write(self, form, record):
        saved = self.service(self.request.user, record)
        services.set_inquiry_staff(self.request.user, saved, form.cleaned_data.get("staff") or [])
        return saved

    def get_back(self, obj) -> str:
        if obj is not None and obj.pk:
            return reverse("development:inquiry_detail", args=[obj.pk])
        return reverse("development:inquiry")


class InquiryCreate(InquiryPage, LedCreate):
    title, done = "Start an inquiry", "Inquiry saved."
    section = ("Inquiry and lesson study", "development:inquiry")

    def new_record(self):
        return models.InquiryProject(started_on=today())


class InquiryEdit(InquiryPage, ScopedUpdateView):
    title, caption, crumb = "Inquiry", "{obj.lead_academy.name}", "Edit"


class CycleAdd(ScopedCreateView):
    model, form_class, service = models.InquiryCycle, CycleForm, staticmethod(services.save_cycle)
    parent_model, parent_param, parent_field = models.InquiryProject, "inquiry_id", "project"
    title, caption, done = "Record a cycle step", "{parent.question}", "Cycle step recorded."

    def check(self, target) -> None:
        from trustlens.core.access import require

        require(self.request.user, "change", target.lead_academy_id)

    def get_back(self, obj) -> str:
        return reverse("development:inquiry_detail", args=[obj.project_id])

    def get_trail(self, obj) -> list[dict]:
        return trail(
            ("Inquiry and lesson study", reverse("development:inquiry")), ("Cycle step", None)
        )


# --- leadership and succession --------------------------------------------------------------


def leadership(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    user = request.user
    roles = (
        models.KeyRole.objects.restrict(user)
        .select_related("academy", "holder")
        .prefetch_related(
            children("successors", models.Successor.objects.unscoped().select_related("staff"))
        )
    )
    rows = []
    for role in roles:
        successors = list(role.successors.all())
        ready = [s for s in successors if s.readiness == Readiness.READY_NOW]
        rows.append({"role": role, "successors": successors, "ready_now": len(ready)})
    places = models.ProgrammePlace.objects.restrict(user).select_related(
        "programme", "staff__academy", "deployment__to_academy", "coaching__coach"
    )
    context = {
        "programmes": list(models.Programme.objects.restrict(user)),
        "places": list(places),
        "roles": rows,
        "no_successor": sum(1 for r in rows if not r["ready_now"]),
        "can_add": led_academies(user).exists(),
        "configure": bool(allowed_ids(user, "configure")),
        "trail": trail(("Leadership and succession", None)),
    }
    return render(request, "development/leadership.html", context)


class LeadershipCreate(LedCreate):
    section = ("Leadership and succession", "development:leadership")

    def get_back(self, obj) -> str:
        return reverse("development:leadership")


class ProgrammeCreate(LeadershipCreate):
    model, form_class, service = (
        models.Programme,
        ProgrammeForm,
        staticmethod(services.save_programme),
    )
    title, done = "Add a programme", "Programme saved: {obj.name}."

    def respond(self):
        trusts = trusts_where(self.request.user, "configure")
        if not trusts:
            raise PermissionDenied("Only the trust's executives add programmes.")
        return self.form_response(models.Programme(trust=trusts[0]))


class PlaceCreate(LeadershipCreate):
    model, form_class, service = models.ProgrammePlace, PlaceForm, staticmethod(services.save_place)
    title, done = "Add a participant", "Participant added."

    def new_record(self):
        return models.ProgrammePlace(started_on=today())

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        return {
            "limits": {
                "programme": models.Programme.objects.restrict(user),
                "staff": staff_in_reach(user).filter(academy_id__in=allowed_ids(user, "change")),
                "deployment": models.Deployment.objects.restrict(user).select_related(
                    "staff", "to_academy"
                ),
                "coaching": models.CoachingPair.objects.restrict(user).select_related(
                    "coach", "coachee"
                ),
            }
        }


class KeyRoleCreate(LeadershipCreate):
    model, form_class, service = models.KeyRole, KeyRoleForm, staticmethod(services.save_key_role)
    title, done = "Add a key role", "Key role saved: {obj.title}."

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        return {"limits": {"academy": led_academies(user), "holder": staff_in_reach(user)}}


class SuccessorAdd(ScopedCreateView):
    model, form_class, service = (
        models.Successor,
        SuccessorForm,
        staticmethod(services.save_successor),
    )
    parent_model, parent_param, parent_field = models.KeyRole, "key_role_id", "role"
    title, caption, done = "Add a successor", "{parent.title}", "Successor added."

    def get_form_kwargs(self, obj) -> dict:
        return {"limits": {"staff": staff_in_reach(self.request.user)}}

    def get_back(self, obj) -> str:
        return reverse("development:leadership")

    def get_trail(self, obj) -> list[dict]:
        return trail(("Leadership and succession", self.get_back(obj)), ("Successor", None))


cpd_create = CpdCreate.as_view()
cpd_edit = CpdEdit.as_view()
attendance_add = AttendanceAdd.as_view()
evaluation_add = EvaluationAdd.as_view()
inquiry_create = InquiryCreate.as_view()
inquiry_edit = InquiryEdit.as_view()
cycle_add = CycleAdd.as_view()
programme_create = ProgrammeCreate.as_view()
place_create = PlaceCreate.as_view()
key_role_create = KeyRoleCreate.as_view()
successor_add = SuccessorAdd.as_view()

"""The people index, the trust directory of staff and their expertise, and staff pages."""

from __future__ import annotations

from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from trustlens.core.access import allowed_ids, can, check_detail, summary_only
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.development import models, reports, services
from trustlens.development.choices import COUNTED_DEPLOYMENT_STATUSES, Area
from trustlens.development.forms import ExpertiseForm, StaffForm
from trustlens.development.views.common import (
    LedCreate,
    led_academies,
    logins_for,
    today,
    trail,
)
from trustlens.organisations.models import Academy, Cluster
from trustlens.quality.models import Finding


def index(request: HttpRequest) -> HttpResponse:
    """What the people pages hold, with counts; trustees see the counts only."""
    user = request.user
    year = reports.year_of(today())
    deployments = models.Deployment.objects.restrict(user).filter(
        status__in=COUNTED_DEPLOYMENT_STATUSES, starts_on__range=(year.start, year.end)
    )
    context = {
        "summary_only": summary_only(user),
        "year": year,
        "staff": models.StaffMember.objects.restrict(user).count(),
        "experts": models.Expertise.objects.restrict(user).count(),
        "needs_open": models.Need.objects.restrict(user).filter(status="open").count(),
        "deployments": deployments.count(),
        "days": deployments.aggregate(total=Sum("days"))["total"] or 0,
        "pairs": reports.visible_pairs(user).filter(active=True).count()
        if user.is_authenticated
        else 0,
        "cpd": models.CpdSession.objects.restrict(user).count(),
        "inquiries": models.InquiryProject.objects.restrict(user).count(),
        "places": models.ProgrammePlace.objects.restrict(user).count(),
        "configure": bool(allowed_ids(user, "configure")),
        "trail": trail(),
    }
    return render(request, "development/index.html", context)


def directory(request: HttpRequest) -> HttpResponse:
    """Staff in reach with their expertise and days left this term, searchable."""
    check_detail(request.user)
    keys = ("q", "area", "academy", "cluster", "available")
    chosen = {key: request.GET.get(key, "").strip() for key in keys}
    context = {
        "rows": reports.directory(request.user, chosen, today()),
        "chosen": chosen,
        "areas": Area.choices,
        "academies": Academy.objects.restrict(request.user).order_by("name"),
        "clusters": Cluster.objects.restrict(request.user).order_by("name"),
        "term": reports.term_of(today()),
        "can_add": led_academies(request.user).exists(),
        "trail": trail(("Directory", None)),
    }
    return render(request, "development/directory.html", context)


def staff_detail(request: HttpRequest, staff_id: int) -> HttpResponse:
    check_detail(request.user)
    user = request.user
    staff = get_object_or_404(
        models.StaffMember.objects.restrict(user).select_related("academy", "user"), pk=staff_id
    )
    pairs = reports.visible_pairs(user).filter(coach=staff) | reports.visible_pairs(user).filter(
        coachee=staff
    )
    context = {
        "staff": staff,
        "expertise": list(models.Expertise.objects.restrict(user).filter(staff=staff)),
        "deployments": list(
            models.Deployment.objects.restrict(user)
            .filter(staff=staff)
            .select_related("to_academy")
        ),
        "given": reports.committed_by_staff({staff.pk}, reports.year_of(today())).get(staff.pk, 0),
        "term_given": reports.committed_by_staff({staff.pk}, reports.term_of(today())).get(
            staff.pk, 0
        ),
        "year": reports.year_of(today()),
        "pairs": list(pairs.distinct()),
        "cpd": list(
            models.CpdAttendance.objects.restrict(user)
            .filter(staff=staff)
            .select_related("session")
        ),
        "places": list(
            models.ProgrammePlace.objects.restrict(user)
            .filter(staff=staff)
            .select_related("programme")
        ),
        "can_change": can(user, "change", staff.academy_id),
        "trail": trail(("Directory", reverse("development:directory")), (staff.name, None)),
    }
    return render(request, "development/staff_detail.html", context)


class StaffPage:
    model, form_class, service = models.StaffMember, StaffForm, staticmethod(services.save_staff)
    object_param = "staff_id"
    denied = "Only leaders of this academy change its staff records."

    def get_form_kwargs(self, obj) -> dict:
        led = led_academies(self.request.user)
        return {"limits": {"academy": led, "user": logins_for(led)}}

    def get_back(self, obj) -> str:
        if obj is not None and obj.pk:
            return reverse("development:staff_detail", args=[obj.pk])
        return reverse("development:directory")


class StaffCreate(StaffPage, LedCreate):
    title, submit, done = "Add a member of staff", "Save", "Saved: {obj.name}."
    section = ("Directory", "development:directory")
    intro = "Their days available per term are for work beyond their own academy."


class StaffEdit(StaffPage, ScopedUpdateView):
    title, caption, crumb = "{obj.name}", "{obj.academy.name}", "Edit"

    def get_trail(self, obj) -> list[dict]:
        return trail(
            ("Directory", reverse("development:directory")),
            (obj.name, self.get_back(obj)),
            ("Edit", None),
        )


class ExpertisePage:
    model, form_class = models.Expertise, ExpertiseForm
    service = staticmethod(services.save_expertise)
    select_related = ("staff__academy",)

    def get_form_kwargs(self, obj) -> dict:
        findings = Finding.objects.restrict(self.request.user).filter(
            activity__academy_id=obj.staff.academy_id
        )
        return {"limits": {"finding": findings.select_related("activity")}}

    def get_back(self, obj) -> str:
        return reverse("development:staff_detail", args=[obj.staff_id])

    def get_trail(self, obj) -> list[dict]:
        return trail(
            ("Directory", reverse("development:directory")),
            (obj.staff.name, self.get_back(obj)),
            (self.crumb or "Expertise", None),
        )


class ExpertiseAdd(ExpertisePage, ScopedCreateView):
    parent_model, parent_param, parent_field = models.StaffMember, "staff_id", "staff"
    title, caption, crumb = "Add expertise", "{parent.name}", "Add expertise"
    done = "Expertise added."


class ExpertiseEdit(ExpertisePage, ScopedUpdateView):
    object_param = "expertise_id"
    title, caption, crumb = "Expertise: {obj.topic}", "{obj.staff.name}", "Edit expertise"


class ExpertiseDelete(ExpertisePage, ScopedDeleteView):
    object_param = "expertise_id"
    service = staticmethod(services.delete_expertise)
    title, crumb = "Remove expertise", "Remove"


staff_create = StaffCreate.as_view()
staff_edit = StaffEdit.as_view()
expertise_add = ExpertiseAdd.as_view()
expertise_edit = ExpertiseEdit.as_view()
expertise_delete = ExpertiseDelete.as_view()

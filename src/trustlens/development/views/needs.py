"""Needs, the match view, deployments with backfill, the days ledger, the capacity view and
the trust's people settings."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from trustlens.core.access import allowed_ids, can, check_detail, require
from trustlens.core.pages import edit_page
from trustlens.core.views import ScopedUpdateView
from trustlens.development import models, reports, services
from trustlens.development.choices import NeedStatus
from trustlens.development.forms import DeploymentForm, NeedForm, OutcomeForm, SettingsForm
from trustlens.development.views.common import (
    LedCreate,
    led_academies,
    staff_in_reach,
    today,
    trail,
)
from trustlens.improvement.choices import SupportStatus
from trustlens.improvement.models import Priority, Support
from trustlens.improvement.services import stage_label
from trustlens.organisations.models import Academy
from trustlens.organisations.services import trusts_where
from trustlens.quality.models import Finding


def _label(academy: Academy) -> str:
    return stage_label(academy.trust_id, academy.improvement_stage)


def needs(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    items = models.Need.objects.restrict(request.user).select_related("academy", "priority")
    status = request.GET.get("status", "")
    if status in NeedStatus.values:
        items = items.filter(status=status)
    led = allowed_ids(request.user, "change")
    asked = (
        Support.objects.restrict(request.user)
        .filter(status=SupportStatus.REQUESTED, academy_id__in=led, people_needs__isnull=True)
        .select_related("academy", "priority")
    )
    context = {
        "items": list(items),
        "requests": list(asked[:20]),
        "status": status,
        "statuses": NeedStatus.choices,
        "can_add": led_academies(request.user).exists(),
        "trail": trail(("Needs", None)),
    }
    return render(request, "development/needs.html", context)


def need_match(request: HttpRequest, need_id: int) -> HttpResponse:
    """The need and the people ranked for it, with who was left out and why."""
    check_detail(request.user)
    user = request.user
    need = get_object_or_404(
        models.Need.objects.restrict(user).select_related(
            "academy__cluster", "priority", "finding"
        ),
        pk=need_id,
    )
    matching = can(user, "oversee", need.academy_id)
    found = (
        reports.match(user, need, today(), _label) if matching else {"ranked": [], "excluded": []}
    )
    led = allowed_ids(user, "change")
    context = {
        "need": need,
        **found,
        "matching": matching,
        "led": led,
        "can_change": can(user, "change", need.academy_id),
        "deployments": list(
            models.Deployment.objects.restrict(user).filter(need=need).select_related("staff")
        ),
        "term": reports.term_of(today()),
        "trail": trail(("Needs", reverse("development:needs")), (need.title, None)),
    }
    return render(request, "development/match.html", context)


class NeedPage:
    model, form_class, service = models.Need, NeedForm, staticmethod(services.save_need)
    object_param = "need_id"

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        led = led_academies(user)
        priorities = Priority.objects.restrict(user).filter(plan__academy__in=led)
        findings = Finding.objects.restrict(user).filter(activity__academy__in=led)
        requests = Support.objects.restrict(user).filter(academy__in=led)
        return {
            "limits": {
                "academy": led,
                "support": requests.select_related("academy"),
                "priority": priorities.select_related("plan__academy"),
                "finding": findings.select_related("activity"),
            }
        }

    def get_back(self, obj) -> str:
        if obj is not None and obj.pk:
            return reverse("development:need_match", args=[obj.pk])
        return reverse("development:needs")


class NeedCreate(NeedPage, LedCreate):
    title, done = "Record a need", "Need recorded: {obj.title}."
    section = ("Needs", "development:needs")
    intro = (
        "What an academy needs from expertise elsewhere in the trust: from a plan priority, "
        "a QA finding, or asked for. The match view then ranks people who could help."
    )

    def new_record(self):
        return models.Need(raised_on=today())

    def get_initial(self, obj) -> dict:
        keys = ("academy", "priority", "finding", "support", "title")
        return {key: self.request.GET.get(key) for key in keys}

    def next_url(self, saved) -> str:
        return reverse("development:need_match", args=[saved.pk])


class NeedEdit(NeedPage, ScopedUpdateView):
    title, caption, crumb = "Need: {obj.title}", "{obj.academy.name}", "Edit"


class DeploymentPage:
    model, form_class = models.Deployment, DeploymentForm
    service = staticmethod(services.save_deployment)
    object_param = "deployment_id"
    select_related = ("staff", "from_academy", "to_academy", "need")

    def get_form_kwargs(self, obj) -> dict:
        user = self.request.user
        needs_in_reach = models.Need.objects.restrict(user).select_related("academy")
        return {
            "limits": {
                "staff": staff_in_reach(user).filter(academy_id__in=allowed_ids(user, "change")),
                "to_academy": led_academies(user),
                "need": needs_in_reach,
            }
        }

    def get_back(self, obj) -> str:
        if obj is not None and obj.pk:
            return reverse("development:deployment_detail", args=[obj.pk])
        return reverse("development:deployments")


class DeploymentCreate(DeploymentPage, LedCreate):
    title, submit = "Deploy someone", "Save the deployment"
    done = "Deployment saved: {obj.staff.name} to {obj.to_academy.name}."
    section = ("Deployments", "development:deployments")
    intro = (
        "Who goes where, for what and for how many days, and who covers for them at home "
        "(the backfill), so the giving academy does not lose out."
    )

    def get_initial(self, obj) -> dict:
        initial = {"staff": self.request.GET.get("staff")}
        need_id = self.request.GET.get("need", "")
        need = (
            models.Need.objects.restrict(self.request.user).filter(pk=need_id).first()
            if need_id.isdigit()
            else None
        )
        if need is not None:
            initial |= {
                "need": need.pk,
                "to_academy": need.academy_id,
                "purpose": need.title,
                "days": need.days_needed,
            }
        return initial

    def next_url(self, saved) -> str:
        return reverse("development:deployment_detail", args=[saved.pk])


class DeploymentEdit(DeploymentPage, ScopedUpdateView):
    title, caption, crumb = "Deployment: {obj.staff.name}", "To {obj.to_academy.name}", "Edit"

    def check(self, target) -> None:
        require(
            self.request.user,
            "change",
            {target.from_academy_id, target.to_academy_id},
            "Only leaders of both academies change a deployment; record its outcome instead.",
        )


class DeploymentOutcome(DeploymentPage, ScopedUpdateView):
    form_class, service = OutcomeForm, staticmethod(services.save_outcome)
    title, caption, crumb = (
        "Outcome and impact",
        "{obj.staff.name} to {obj.to_academy.name}",
        "Outcome",
    )
    done = "Outcome saved."

    def get_form_kwargs(self, obj) -> dict:
        return {}


def deployments(request: HttpRequest) -> HttpResponse:
    check_detail(request.user)
    items = models.Deployment.objects.restrict(request.user).select_related(
        "staff", "from_academy", "to_academy", "need"
    )
    context = {
        "items": list(items),
        "can_add": bool(allowed_ids(request.user, "oversee")),
        "trail": trail(("Deployments", None)),
    }
    return render(request, "development/deployments.html", context)


def deployment_detail(request: HttpRequest, deployment_id: int) -> HttpResponse:
    check_detail(request.user)
    deployment = get_object_or_404(
        models.Deployment.objects.restrict(request.user).select_related(
            "staff", "from_academy", "to_academy", "need", "priority"
        ),
        pk=deployment_id,
    )
    context = {
        "d": deployment,
        "can_outcome": can(request.user, "change", deployment.to_academy_id),
        "can_change": can(
            request.user, "change", {deployment.from_academy_id, deployment.to_academy_id}
        ),
        "trail": trail(
            ("Deployments", reverse("development:deployments")), (str(deployment.staff), None)
        ),
    }
    return render(request, "development/deployment_detail.html", context)


def _academies(request: HttpRequest) -> list[Academy]:
    return list(Academy.objects.restrict(request.user).select_related("cluster").order_by("name"))


def ledger(request: HttpRequest) -> HttpResponse:
    """Days given to and received from other academies, per academy and per person."""
    check_detail(request.user)
    year, term = reports.year_of(today()), reports.term_of(today())
    academies = _academies(request)
    rows = reports.ledger_rows(academies, year)
    term_rows = {r.academy.pk: r for r in reports.ledger_rows(academies, term)}
    staff = list(models.StaffMember.objects.restrict(request.user).select_related("academy"))
    context = {
        "rows": [(r, term_rows[r.academy.pk]) for r in rows],
        "people": reports.person_rows(staff, year),
        "year": year,
        "term": term,
        "total_given": sum(r.given for r in rows),
        "total_received": sum(r.received for r in rows),
        "trail": trail(("Days ledger", None)),
    }
    return render(request, "development/ledger.html", context)


def capacity(request: HttpRequest) -> HttpResponse:
    """Each academy's share of its leaders' time given to others this term, against the limit."""
    check_detail(request.user)
    term = reports.term_of(today())
    rows = reports.capacity_rows(_academies(request), term)
    context = {
        "rows": rows,
        "term": term,
        "over": [r for r in rows if r.over],
        "configure": bool(allowed_ids(request.user, "configure")),
        "trail": trail(("Capacity", None)),
    }
    return render(request, "development/capacity.html", context)


def settings_edit(request: HttpRequest) -> HttpResponse:
    """The trust's people settings (its executives only)."""
    trusts = trusts_where(request.user, "configure")
    if not trusts:
        raise PermissionDenied("Only the trust's executives set the people settings.")
    current = services.settings_for(trusts[0].pk)
    form = SettingsForm(request.POST or None, instance=current)
    back = reverse("development:capacity")
    return edit_page(
        request,
        form,
        lambda record: services.save_settings(request.user, record),
        back=back,
        done="People settings saved.",
        title="People settings",
        caption=trusts[0].name,
        trail=trail(("Capacity", back), ("Settings", None)),
        submit="Save settings",
        intro="How much of its leaders' time an academy may give, and which stages only receive.",
    )

"""The support ledger: support academies asked for and were given (central team, another
academy, a cluster, outside), with days and cost, and what academies at each stage received and
what followed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trustlens.core.access import can, summary_only
from trustlens.improvement import reports, services
from trustlens.improvement.choices import SupportProvider, SupportStatus
from trustlens.improvement.forms import AcademyChoiceForm, SupportForm
from trustlens.improvement.models import Priority, Support
from trustlens.improvement.views.common import (
    check_detail,
    delete_page,
    edit_page,
    support_for,
    trail,
)
from trustlens.organisations.models import Academy
from trustlens.organisations.services import academies_where
from trustlens.quality.models import Activity


def ledger(request: HttpRequest) -> HttpResponse:
    """Every support record in scope with totals; filter by academy, provider and status."""
    check_detail(request.user)
    items = Support.objects.restrict(request.user).select_related(
        "academy", "provider_academy", "provider_cluster", "priority", "activity"
    )
    chosen = {key: request.GET.get(key, "") for key in ("academy", "provider", "status")}
    if chosen["academy"].isdigit():
        items = items.filter(academy_id=int(chosen["academy"]))
    if chosen["provider"] in SupportProvider.values:
        items = items.filter(provider=chosen["provider"])
    if chosen["status"] in SupportStatus.values:
        items = items.filter(status=chosen["status"])
    items = list(items)
    context = {
        "items": items,
        "days": sum((s.days for s in items), Decimal(0)),
        "cost": sum((s.cost for s in items), Decimal(0)),
        "academies": list(Academy.objects.restrict(request.user).order_by("name")),
        "providers": SupportProvider.choices,
        "statuses": SupportStatus.choices,
        "chosen": chosen,
        "led_ids": {a.pk for a in academies_where(request.user, "change")},
        "trail": trail(("Support ledger", None)),
    }
    return render(request, "improvement/ledger.html", context)


def by_stage(request: HttpRequest) -> HttpResponse:
    """Support received by academies at each stage, and what followed (trustees: the summary)."""
    report = reports.support_by_stage(request.user)
    if summary_only(request.user):
        report["rows"] = []
    context = {
        **report,
        "summary_only": summary_only(request.user),
        "trail": trail(("Support ledger", reverse("improvement:ledger")), ("By stage", None))
        if not summary_only(request.user)
        else trail(("Support by stage", None)),
    }
    return render(request, "improvement/support_by_stage.html", context)


def _support_form(request: HttpRequest, support: Support) -> SupportForm:
    academy = support.academy
    providers = [
        a for a in Academy.objects.restrict(request.user).order_by("name") if a.pk != academy.pk
    ]
    priorities = list(Priority.objects.restrict(request.user).filter(plan__academy=academy))
    activities = list(Activity.objects.restrict(request.user).filter(academy=academy))
    return SupportForm(
        request.POST or None,
        instance=support,
        providers=providers,
        priorities=priorities,
        activities=activities,
        initial={"activity": request.GET.get("activity")} if not support.pk else None,
    )


def support_create(request: HttpRequest) -> HttpResponse:
    """Record support for an academy the user leads (``?academy=``; asks which when missing)."""
    led = academies_where(request.user, "change")
    if not led:
        raise PermissionDenied("Only leaders of an academy record its support.")
    academy = next((a for a in led if str(a.pk) == request.GET.get("academy")), None)
    back = reverse("improvement:ledger")
    if academy is None and len(led) == 1:
        academy = led[0]
    if academy is None:
        form = AcademyChoiceForm(academies=led)
        return render(
            request,
            "improvement/choose_academy.html",
            {
                "form": form,
                "title": "Record support",
                "trail": trail(("Support ledger", back), ("Record support", None)),
            },
        )
    form = _support_form(request, Support(academy=academy))
    return edit_page(
        request,
        form,
        lambda s: services.save_support(request.user, s),
        title="Record support",
        caption=academy.name,
        back=back,
        trail=trail(("Support ledger", back), ("Record support", None)),
        submit="Save support",
        intro="Support asked for or given: who from, what, how many days and what it cost, "
        "the plan priority it serves and, later, what followed.",
        done="Support recorded.",
    )


def support_edit(request: HttpRequest, support_id: int) -> HttpResponse:
    support = support_for(request, support_id)
    if not can(request.user, "change", support.academy_id):
        raise PermissionDenied("Only leaders of this academy change its support records.")
    form = _support_form(request, support)
    back = reverse("improvement:ledger")
    return edit_page(
        request,
        form,
        lambda s: services.save_support(request.user, s),
        title="Support record",
        caption=support.academy.name,
        back=back,
        trail=trail(("Support ledger", back), ("Edit", None)),
    )


def support_delete(request: HttpRequest, support_id: int) -> HttpResponse:
    support = support_for(request, support_id)
    if not can(request.user, "change", support.academy_id):
        raise PermissionDenied("Only leaders of this academy remove its support records.")
    back = reverse("improvement:ledger")
    return delete_page(
        request,
        support,
        services.delete_support,
        title="Remove a support record",
        back=back,
        trail=trail(("Support ledger", back), ("Remove", None)),
    )

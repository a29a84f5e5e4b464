"""The support ledger: support academies asked for and were given (central team, another
academy, a cluster, outside), with days and cost, and what academies at each stage received and
what followed."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trustlens.core.access import check_detail, summary_only
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.improvement import reports, services
from trustlens.improvement.choices import SupportProvider, SupportStatus
from trustlens.improvement.forms import AcademyChoiceForm, SupportForm
from trustlens.improvement.models import Priority, Support
from trustlens.improvement.views.common import trail
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


class SupportPage:
    """Support form pages: providers, priorities and QA activities of the academy in scope."""

    model, form_class, service = Support, SupportForm, staticmethod(services.save_support)
    object_param = "support_id"
    select_related = ("academy", "provider_academy", "priority", "activity")
    denied = "Only leaders of this academy change its support records."

    def get_form_kwargs(self, obj: Support) -> dict:
        user, academy = self.request.user, obj.academy
        others = Academy.objects.restrict(user).exclude(pk=academy.pk).order_by("name")
        return {
            "providers": list(others),
            "priorities": list(Priority.objects.restrict(user).filter(plan__academy=academy)),
            "activities": list(Activity.objects.restrict(user).filter(academy=academy)),
        }

    def get_back(self, obj: Support) -> str:
        return reverse("improvement:ledger")

    def get_trail(self, obj: Support) -> list[dict]:
        return trail(("Support ledger", self.get_back(obj)), (self.crumb, None))


class SupportCreate(SupportPage, ScopedCreateView):
    """Record support for an academy the user leads (``?academy=``; asks which when missing)."""

    detail_only = False
    title = crumb = "Record support"
    caption, submit, done = "{parent.name}", "Save support", "Support recorded."
    intro = (
        "Support asked for or given: who from, what, how many days and what it cost, "
        "the plan priority it serves and, later, what followed."
    )

    def get_initial(self, obj: Support) -> dict:
        return {"activity": self.request.GET.get("activity")}

    def respond(self) -> HttpResponse:
        led = academies_where(self.request.user, "change")
        if not led:
            raise PermissionDenied("Only leaders of an academy record its support.")
        chosen = self.request.GET.get("academy")
        academy = next((a for a in led if str(a.pk) == chosen), led[0] if len(led) == 1 else None)
        if academy is None:
            context = {
                "form": AcademyChoiceForm(academies=led),
                "title": self.title,
                "trail": self.get_trail(None),
            }
            return render(self.request, "improvement/choose_academy.html", context)
        return self.form_response(Support(academy=academy), academy)


class SupportEdit(SupportPage, ScopedUpdateView):
    title, caption, crumb = "Support record", "{obj.academy.name}", "Edit"


class SupportDelete(SupportPage, ScopedDeleteView):
    service = staticmethod(services.delete_support)
    denied = "Only leaders of this academy remove its support records."
    title, crumb = "Remove a support record", "Remove"


support_create = SupportCreate.as_view()
support_edit = SupportEdit.as_view()
support_delete = SupportDelete.as_view()

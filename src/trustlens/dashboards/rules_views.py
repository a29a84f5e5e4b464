"""The trust's RAG rules page: every rule with its threshold, and its history (audit log);
trust executives set, change or remove a threshold (the generic scoped views)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from trustlens.core.access import can
from trustlens.core.models import AuditEvent
from trustlens.core.pages import crumbs
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.dashboards import services
from trustlens.dashboards.choices import MEASURES
from trustlens.dashboards.forms import ThresholdForm
from trustlens.dashboards.models import RagThreshold
from trustlens.dashboards.rules import rule_rows, rule_texts
from trustlens.organisations.models import Trust

HISTORY = 30


def rag_rules(request: HttpRequest) -> HttpResponse:
    """Every trust in scope: its thresholds (own or default), the rules and their history."""
    trusts = []
    for trust in Trust.objects.restrict(request.user).order_by("name"):
        rows = rule_rows(trust.pk)
        for row in rows:
            row["label"] = MEASURES[row["measure"]].label
        history = AuditEvent.objects.filter(
            object_type="dashboards.ragthreshold", changes__trust_id=trust.pk
        )
        trusts.append(
            {
                "trust": trust,
                "rows": rows,
                "editable": can(request.user, "configure", trust.pk),
                "history": history.select_related("user").order_by("-at")[:HISTORY],
            }
        )
    context = {
        "trusts": trusts,
        "rules": rule_texts(),
        "trail": crumbs(("Schools", reverse("dashboards:overview")), ("RAG rules", None)),
    }
    return render(request, "dashboards/rag_rules.html", context)


def _back(_obj: object = None) -> str:
    return reverse("dashboards:rag_rules")


class ThresholdCreate(ScopedCreateView):
    model, form_class = RagThreshold, ThresholdForm
    parent_model, parent_param, parent_field = Trust, "trust_id", "trust"
    action = "configure"
    service = staticmethod(services.save_threshold)
    title = "Set a RAG threshold"
    intro = "Red when a figure is below England (or the trust) by more than its interval and by at least this gap."

    def get_initial(self, obj: RagThreshold) -> dict:
        measure = self.request.GET.get("measure", "")
        return {"measure": measure} if measure in MEASURES else {}

    def get_back(self, obj: RagThreshold) -> str:
        return _back()


class ThresholdEdit(ScopedUpdateView):
    model, form_class, object_param = RagThreshold, ThresholdForm, "threshold_id"
    action = "configure"
    service = staticmethod(services.save_threshold)
    title = "RAG threshold: {obj}"

    def get_back(self, obj: RagThreshold) -> str:
        return _back()


class ThresholdDelete(ScopedDeleteView):
    model, object_param = RagThreshold, "threshold_id"
    action = "configure"
    service = staticmethod(services.delete_threshold)
    title = "Go back to the default threshold? {obj}"

    def get_back(self, obj: RagThreshold) -> str:
        return _back()

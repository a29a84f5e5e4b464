"""The improvement overview, one academy's page (stage, plans, triangulation) and the trust's
stage names. Reads start from ``restrict(user)``; stage moves go through ``services``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trustlens.core.access import can, summary_only
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.improvement import reports, services
from trustlens.improvement.forms import StageChangeForm, StageForm
from trustlens.improvement.models import Action, Plan, Stage
from trustlens.improvement.views.common import academy_for, trail
from trustlens.organisations.services import academies_where, trusts_where, visible_trusts


def _journey_order(user: Any) -> dict[str, int]:
    """Stage label -> its place on the trust's improvement journey (for ordering the cards)."""
    order: dict[str, int] = {}
    for trust in visible_trusts(user):
        for option in services.stage_options(trust.pk):
            order.setdefault(option.label, option.order)
    return order


def index(request: HttpRequest) -> HttpResponse:
    """Every academy in scope: stage, current plan and its RAG, open and overdue actions, support."""
    rows = reports.academy_rows(request.user)
    journey = _journey_order(request.user)
    stages: dict[str, int] = {}
    for row in rows:
        stages[row["stage"]] = stages.get(row["stage"], 0) + 1
    context = {
        "rows": rows,
        "stage_counts": sorted(stages.items(), key=lambda item: journey.get(item[0], 99)),
        "summary_only": summary_only(request.user),
        "led_ids": {a.pk for a in academies_where(request.user, "change")},
        "configure": bool(trusts_where(request.user)),
        "trail": crumbs(("Improvement", None)),
    }
    return render(request, "improvement/index.html", context)


def _measures(request: HttpRequest, academy) -> tuple[list[dict], str]:
    """Headline measures; for trustees, groups smaller than the suppression threshold are hidden."""
    rows, note = reports.measures_for(academy)
    if summary_only(request.user):
        for row in rows:
            if (row.get("pupils") or 0) < settings.SUPPRESSION_THRESHOLD:
                row.update(value=None, score=None, ci_low=None, ci_high=None, suppressed=True)
    return rows, note


def academy_detail(request: HttpRequest, academy_id: int) -> HttpResponse:
    """One academy: its stage and history, plans, and the triangulation of measures, QA findings,
    plan progress and support. Trustees see the counts and ratings, never the narrative."""
    academy = academy_for(request, academy_id)
    detail = not summary_only(request.user)
    tri = reports.triangulation(request.user, academy)
    measures, note = _measures(request, academy)
    tri.update(measures=measures, measures_note=note)
    context = {
        "academy": academy,
        "stage": services.stage_label(academy.trust_id, academy.improvement_stage),
        "history": services.stage_history(academy),
        "labels": {s.code: s.label for s in services.stage_options(academy.trust_id)},
        "plans": list(Plan.objects.restrict(request.user).filter(academy=academy)),
        "actions": list(
            Action.objects.restrict(request.user)
            .filter(academy=academy)
            .exclude(status__in=("done", "dropped"))
            .select_related("owner")
        )
        if detail
        else [],
        "tri": tri,
        "detail": detail,
        "lead": can(request.user, "change", academy.pk),
        "oversee": can(request.user, "oversee", academy.pk),
        "trail": trail((academy.name, None)),
    }
    return render(request, "improvement/academy.html", context)


def stage_change(request: HttpRequest, academy_id: int) -> HttpResponse:
    """Move an academy along its improvement journey (trust, regional and cluster leads)."""
    academy = academy_for(request, academy_id)
    if not can(request.user, "oversee", academy.pk):
        raise PermissionDenied("Only the trust, regional or cluster leads move an academy's stage.")
    options = services.stage_options(academy.trust_id)
    form = StageChangeForm(
        request.POST or None,
        options=options,
        initial={"stage": academy.improvement_stage, "changed_on": dt.date.today()},
    )
    back = reverse("improvement:academy", args=[academy.pk])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if try_write(
            form,
            lambda: services.change_stage(
                request.user, academy, data["stage"], data["changed_on"], data["reason"]
            ),
        ):
            messages.success(
                request,
                f"{academy.name} is now at: {services.stage_label(academy.trust_id, data['stage'])}.",
            )
            return redirect(back)
    return form_page(
        request,
        form,
        title=f"Change the stage of {academy.name}",
        caption="Improvement journey",
        cancel=back,
        trail=trail((academy.name, back), ("Change stage", None)),
        submit="Change stage",
        intro=f"Now: {services.stage_label(academy.trust_id, academy.improvement_stage)}. "
        "The history keeps every move with its reason.",
    )


# --- the trust's stage names -----------------------------------------------------------------


def stages(request: HttpRequest) -> HttpResponse:
    """Each trust's improvement stages (the default journey until it names its own)."""
    configurable = {t.pk for t in trusts_where(request.user)}
    trusts = [
        {
            "trust": trust,
            "options": services.stage_options(trust.pk),
            "own": list(Stage.objects.restrict(request.user).filter(trust=trust)),
            "configure": trust.pk in configurable,
        }
        for trust in visible_trusts(request.user)
    ]
    return render(
        request, "improvement/stages.html", {"trusts": trusts, "trail": trail(("Stages", None))}
    )


@require_POST
def stages_adopt(request: HttpRequest) -> HttpResponse:
    """Store the default journey as the trust's own stages, so they can be renamed."""
    trust = next(
        (t for t in trusts_where(request.user) if str(t.pk) == request.POST.get("trust")),
        None,
    )
    if trust is None:
        raise PermissionDenied("Only the trust's executives name its stages.")
    services.adopt_default_stages(request.user, trust.pk)
    messages.success(request, f"{trust.name} now has its own stages: rename or add to them.")
    return redirect("improvement:stages")


class StagePage:
    """The trust's stage names: configured by its executives."""

    model, form_class, service = Stage, StageForm, staticmethod(services.save_stage)
    object_param, select_related = "stage_id", ("trust",)
    action, detail_only = "configure", False

    def get_back(self, obj: Stage) -> str:
        return reverse("improvement:stages")

    def get_trail(self, obj: Stage) -> list[dict]:
        return trail(("Stages", self.get_back(obj)), (self.crumb, None))


class StageCreate(StagePage, ScopedCreateView):
    title, caption = "Add a stage for {parent.name}", "Improvement journey"
    crumb, submit = "Add", "Add stage"

    def respond(self) -> HttpResponse:
        trusts = trusts_where(self.request.user)
        if not trusts:
            raise PermissionDenied("Only the trust's executives name its stages.")
        chosen = self.request.GET.get("trust")
        trust = next((t for t in trusts if str(t.pk) == chosen), trusts[0])
        return self.form_response(Stage(trust=trust), trust)


class StageEdit(StagePage, ScopedUpdateView):
    title, caption, crumb = "Edit stage: {obj.label}", "{obj.trust.name}", "Edit"


class StageDelete(StagePage, ScopedDeleteView):
    service = staticmethod(services.delete_stage)
    title, crumb, done = "Remove a stage", "Remove", "Removed the stage {obj.label}."


stage_create = StageCreate.as_view()
stage_edit = StageEdit.as_view()
stage_delete = StageDelete.as_view()

"""Views: the what-works library, the register, participants and evaluation results.

Every object is resolved through ``restrict(request.user)``; writes go through ``services``.
"""

from __future__ import annotations

from collections import defaultdict

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from trustlens.analytics.impact import months_progress, pool_effects
from trustlens.core.access import can
from trustlens.core.audit import log_pupil_access
from trustlens.core.scoping import scope_of
from trustlens.core.views import ScopedCreateView, ScopedUpdateView
from trustlens.interventions import services
from trustlens.interventions.choices import PUPIL_GROUPS, Comparison, Programme, PupilSource
from trustlens.interventions.forms import (
    InterventionForm,
    LibraryFilterForm,
    PupilFilterForm,
    PupilListForm,
)
from trustlens.interventions.models import Evaluation, Intervention, InterventionPupil
from trustlens.organisations.models import Academy
from trustlens.organisations.services import academies_where


def _intervention(request: HttpRequest, intervention_pk: int) -> Intervention:
    return get_object_or_404(Intervention.objects.restrict(request.user), pk=intervention_pk)


def _visible_academies(intervention: Intervention, visible: dict[int, Academy]) -> dict:
    """The intervention's academies the viewer may see, and how many others it runs in."""
    ids = intervention.academy_ids
    shown = sorted((visible[i] for i in ids if i in visible), key=lambda a: a.name)
    return {"academies": shown, "others": len(ids) - len(shown)}


def _latest(evaluations, comparison: str) -> dict[int, Evaluation]:
    latest: dict[int, Evaluation] = {}
    for evaluation in evaluations.filter(comparison=comparison).order_by("computed_at", "pk"):
        latest[evaluation.intervention_id] = evaluation
    return latest


def _library_rows(
    request: HttpRequest, interventions: list[Intervention], group: str
) -> list[dict]:
    visible = {a.pk: a for a in Academy.objects.restrict(request.user)}
    evaluations = Evaluation.objects.restrict(request.user).filter(intervention__in=interventions)
    latest = _latest(evaluations, Comparison.TRUST)
    rows = []
    for intervention in interventions:
        evaluation = latest.get(intervention.pk)
        row = {
            "intervention": intervention,
            "evaluation": evaluation,
            **_visible_academies(intervention, visible),
        }
        row["phases"] = sorted({a.get_phase_display() for a in row["academies"]})
        if evaluation and group:
            row["group"] = evaluation.result.get("pupil_groups", {}).get(group)
        rows.append(row)
    return rows


def _programme_comparisons(request: HttpRequest, interventions: list[Intervention]) -> list[dict]:
    """Programmes run in 2+ visible academies, pooled against pupils of academies not using them."""
    evaluations = Evaluation.objects.restrict(request.user).filter(intervention__in=interventions)
    by_programme: dict[str, list[Evaluation]] = defaultdict(list)
    for evaluation in _latest(evaluations, Comparison.NON_USERS).values():
        if evaluation.effect_size is not None:
            by_programme[evaluation.intervention.programme].append(evaluation)
    comparisons = []
    for programme, found in sorted(by_programme.items()):
        academies = set().union(*(e.intervention.academy_ids for e in found))
        pooled = pool_effects(
            [e.effect_size for e in found], [e.ci_low for e in found], [e.ci_high for e in found]
        )
        if len(academies) < 2 or pooled is None:
            continue
        comparisons.append(
            {
                "programme": Programme(programme).label,
                "pooled": pooled,
                "months": months_progress(pooled.effect_size),
                "evaluations": found,
                "n_academies": len(academies),
                "n_intervention": sum(e.n_intervention for e in found),
                "n_comparison": sum(e.n_comparison for e in found),
            }
        )
    return comparisons


def library(request: HttpRequest) -> HttpResponse:
    """The what-works library: every intervention the user can see, side by side, with filters."""
    form = LibraryFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    interventions = Intervention.objects.restrict(request.user).select_related("trust")
    if filters.get("programme"):
        interventions = interventions.filter(programme=filters["programme"])
    if filters.get("phase"):
        interventions = interventions.filter(academies__phase=filters["phase"])
    interventions = list(interventions.order_by("programme", "name"))
    group = filters.get("group", "")
    context = {
        "form": form,
        "rows": _library_rows(request, interventions, group),
        "group_label": dict(PUPIL_GROUPS).get(group, "") if group else "",
        "comparisons": _programme_comparisons(request, interventions),
        "can_register": bool(academies_where(request.user, "manage_pupils")),
    }
    return render(request, "interventions/library.html", context)


class InterventionPage:
    """Registering and editing an intervention (its own page: it says what to plan first)."""

    model, form_class, object_param = Intervention, InterventionForm, "intervention_pk"
    action, denied, detail_only = "manage_pupils", services.REFUSED, False
    template_name, error_status = "interventions/form.html", 200

    def get_form_kwargs(self, obj: Intervention) -> dict:
        return {"academies": academies_where(self.request.user, "manage_pupils")}

    def get_extra_context(self, obj: Intervention) -> dict:
        return {"intervention": obj if obj.pk else None}

    def write(self, form: InterventionForm, record: Intervention) -> Intervention:
        academies = list(form.cleaned_data["academies"])
        return services.save_intervention(self.request.user, record, academies)

    def get_back(self, obj: Intervention) -> str:
        return reverse("interventions:detail", args=[obj.pk])


class InterventionCreate(InterventionPage, ScopedCreateView):
    """Register a new intervention."""

    done = "Registered {obj.name} ({obj.intervention_id}). Now add its pupils."

    def respond(self) -> HttpResponse:
        if not academies_where(self.request.user, "manage_pupils"):
            raise PermissionDenied("Your role cannot register interventions.")
        return self.form_response(Intervention())

    def get_back(self, obj: Intervention) -> str:
        return reverse("interventions:library")

    def next_url(self, saved: Intervention) -> str:
        return reverse("interventions:pupils", args=[saved.pk])


class InterventionEdit(InterventionPage, ScopedUpdateView):
    pass


intervention_create = InterventionCreate.as_view()
intervention_edit = InterventionEdit.as_view()


def intervention_detail(request: HttpRequest, intervention_pk: int) -> HttpResponse:
    """One intervention: the register entry and its latest evaluation with cautions."""
    intervention = _intervention(request, intervention_pk)
    scope = scope_of(request.user)
    visible = {a.pk: a for a in Academy.objects.restrict(request.user)}
    evaluations = Evaluation.objects.restrict(request.user).filter(intervention=intervention)
    latest = evaluations.filter(comparison=Comparison.TRUST).first()
    context = {
        "intervention": intervention,
        **_visible_academies(intervention, visible),
        "evaluation": latest,
        "programme_evaluation": evaluations.filter(comparison=Comparison.NON_USERS).first(),
        "history": list(evaluations.filter(comparison=Comparison.TRUST)[:10]),
        "can_manage": can(request.user, "manage_pupils", intervention),
        "pupil_level": scope.pupil_level,
        "n_participants_visible": (
            InterventionPupil.objects.restrict(request.user)
            .filter(intervention=intervention)
            .count()
            if scope.pupil_level
            else None
        ),
        "priorities": [p.strip() for p in intervention.linked_priorities.splitlines() if p.strip()],
        "staff": [s.strip() for s in intervention.staff.splitlines() if s.strip()],
    }
    return render(request, "interventions/detail.html", context)


def _add_pupils(request: HttpRequest, intervention: Intervention, academies: list[Academy]) -> bool:
    """Handle either pupil form; True when pupils were added (or the request was handled)."""
    if "pupil_ids" in request.POST:
        form = PupilListForm(request.POST)
        if not form.is_valid():
            return False
        pupils, unknown = services.pupils_by_ids(
            request.user, intervention, form.cleaned_data["pupil_ids"]
        )
        added = services.add_participants(request.user, intervention, pupils, PupilSource.LIST)
        if unknown:
            messages.warning(
                request, f"Not found in this intervention's academies: {', '.join(unknown[:20])}"
            )
    else:
        form = PupilFilterForm(request.POST, academies=academies)
        if not form.is_valid():
            return False
        pupils = services.pupils_by_filter(request.user, intervention, form.cleaned_data)
        added = services.add_participants(request.user, intervention, pupils, PupilSource.FILTER)
    messages.success(request, f"Added {added} pupil{'s' if added != 1 else ''}.")
    return True


def intervention_pupils(request: HttpRequest, intervention_pk: int) -> HttpResponse:
    """The participants (pupil-level): list, add by filter or by pupil ids, remove."""
    intervention = _intervention(request, intervention_pk)
    if not scope_of(request.user).pupil_level:
        raise PermissionDenied("Pupil-level data is not available to your role.")
    can_manage = can(request.user, "manage_pupils", intervention)
    academies = [
        a
        for a in academies_where(request.user, "manage_pupils")
        if a.pk in intervention.academy_ids
    ]
    if request.method == "POST":
        services.check_can_manage(request.user, intervention.academy_ids)
        if "remove" in request.POST:
            removed = services.remove_participants(
                request.user, intervention, request.POST.getlist("remove")
            )
            messages.success(request, f"Removed {removed} pupil{'s' if removed != 1 else ''}.")
            return redirect("interventions:pupils", intervention_pk=intervention.pk)
        if _add_pupils(request, intervention, academies):
            return redirect("interventions:pupils", intervention_pk=intervention.pk)
    participants = list(
        InterventionPupil.objects.restrict(request.user)
        .filter(intervention=intervention)
        .select_related("pupil", "academy")
        .order_by("pupil__surname", "pupil__forename")
    )
    for participant in participants:
        log_pupil_access(
            request.user,
            participant.pupil,
            participant.academy_id,
            f"participant of {intervention.intervention_id}",
        )
    context = {
        "intervention": intervention,
        "participants": participants,
        "can_manage": can_manage,
        "filter_form": PupilFilterForm(
            academies=academies, initial={"academy": academies[0].pk} if academies else None
        ),
        "list_form": PupilListForm(),
    }
    return render(request, "interventions/pupils.html", context)


@require_POST
def intervention_evaluate(request: HttpRequest, intervention_pk: int) -> HttpResponse:
    """Run the evaluation now and show the result."""
    intervention = _intervention(request, intervention_pk)
    evaluation = services.evaluate_intervention(intervention, request.user)
    messages.success(request, f"Evaluated: {evaluation.summary}")
    return redirect("interventions:detail", intervention_pk=intervention.pk)

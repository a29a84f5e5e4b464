"""QA calendar and activities: schedule, detail, who took part, evidence and findings.

Activities are resolved with ``services.reviewable_activity`` (``restrict(user)`` or assignment
as a participant, else 404); writes go through ``services``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from trustlens.core.access import allowed_ids, summary_only
from trustlens.core.audit import record_pupil_read
from trustlens.core.pages import crumbs, form_page, try_write
from trustlens.core.views import ScopedCreateView, ScopedDeleteView, ScopedUpdateView
from trustlens.organisations.models import Academy
from trustlens.organisations.services import academies_where
from trustlens.quality import frameworks, services
from trustlens.quality.choices import ActivityKind, ActivityStatus, FindingKind
from trustlens.quality.forms import (
    ActivityFilterForm,
    ActivityForm,
    EvidenceForm,
    FindingForm,
    ParticipantForm,
)
from trustlens.quality.models import Activity, Evidence, Finding, Participant


def _trail(activity: Activity | None = None, current: str | None = None) -> list[dict]:
    items = [("Quality", reverse("quality:index"))]
    if activity is not None:
        url = reverse("quality:activity_detail", args=[activity.pk]) if current else None
        items.append((activity.title, url))
    if current:
        items.append((current, None))
    return crumbs(*items)


def index(request: HttpRequest) -> HttpResponse:
    """The QA calendar: activities in scope (filterable), counts, and reviews I take part in."""
    academies = list(Academy.objects.restrict(request.user).order_by("name"))
    form = ActivityFilterForm(request.GET or None, academies=academies)
    filters = form.cleaned_data if form.is_valid() else {}
    activities = Activity.objects.restrict(request.user).select_related("academy")
    for field in ("academy", "kind", "status"):
        if filters.get(field):
            activities = activities.filter(**{field: filters[field]})
    activities = list(activities.order_by("scheduled_on", "pk"))
    upcoming = _upcoming(activities, dt.date.today())
    context = {
        "form": form,
        "upcoming": upcoming,
        "past": [a for a in reversed(activities) if a not in upcoming],
        "counts": _counts(activities),
        "assigned": services.assigned_activities(request.user),
        "can_schedule": bool(academies_where(request.user, "change")),
        "led_ids": allowed_ids(request.user, "change"),
        "summary_only": summary_only(request.user),
        "trail": crumbs(("Quality", None)),
    }
    return render(request, "quality/index.html", context)


def _upcoming(activities: list[Activity], today: dt.date) -> list[Activity]:
    return [a for a in activities if a.scheduled_on >= today and a.status == ActivityStatus.PLANNED]


def _counts(activities: list[Activity]) -> list[dict]:
    """Activities done and planned by kind: the summary trustees see."""
    rows = []
    for kind in ActivityKind:
        found = [a for a in activities if a.kind == kind]
        if found:
            rows.append(
                {
                    "kind": kind.label,
                    "done": sum(1 for a in found if a.status == ActivityStatus.DONE),
                    "planned": sum(1 for a in found if a.status == ActivityStatus.PLANNED),
                }
            )
    return rows


def _activity_form_kwargs(instance: Activity, academies: list[Academy]) -> dict:
    """Frameworks in use in the academies' trusts (and the activity's own), and its scale."""
    trust_ids = {a.trust_id for a in academies} or {instance.academy.trust_id}
    available = [f for t in sorted(trust_ids) for f in frameworks.active_frameworks(t)]
    if instance.framework_id and instance.framework not in available:
        available.append(instance.framework)
    scale = frameworks.rating_scale_for(instance.academy.trust_id) if instance.pk else []
    return {"academies": academies, "frameworks": available, "rating_scale": scale}


class ActivityCreate(ScopedCreateView):
    """Schedule a QA activity at an academy the user leads."""

    model, form_class = Activity, ActivityForm
    service = staticmethod(services.save_activity)
    detail_only, title, caption = False, "Schedule a QA activity", "Quality assurance"
    crumb, submit = "Schedule", "Schedule"
    done = "Scheduled: {obj.title}. Now add who takes part."
    intro = (
        "QA records are developmental: they say what was seen and what to do next, not a grade. "
        "Never record a pupil's name."
    )

    def respond(self) -> HttpResponse:
        if not academies_where(self.request.user, "change"):
            raise PermissionDenied("Only academy and trust leaders schedule QA activities.")
        return self.form_response(Activity())

    def get_form_kwargs(self, obj: Activity) -> dict:
        return _activity_form_kwargs(obj, academies_where(self.request.user, "change"))

    def get_initial(self, obj: Activity) -> dict:
        return {"academy": self.request.GET.get("academy"), "kind": self.request.GET.get("kind")}

    def get_back(self, obj: Activity) -> str:
        return reverse("quality:index")

    def get_trail(self, obj: Activity) -> list[dict]:
        return _trail(current=self.crumb)

    def next_url(self, saved: Activity) -> str:
        return reverse("quality:activity_detail", args=[saved.pk])


activity_create = ActivityCreate.as_view()


def activity_detail(request: HttpRequest, activity_id: int) -> HttpResponse:
    """One activity: what it is, who took part, evidence and findings (with the add forms)."""
    activity = services.reviewable_activity(request.user, activity_id)
    access = services.check_read(request.user, activity)
    return render(
        request, "quality/activity_detail.html", _detail_context(request, activity, access)
    )


def _detail_context(request: HttpRequest, activity: Activity, access, finding_form=None) -> dict:
    findings = services.findings_of(request.user, activity)
    prompts = []
    if activity.framework_id:
        prompts = frameworks.areas_with_prompts(activity.framework)
    actions = {}
    if access.lead:
        # Actions are the improvement app's records pointing at findings: reached through that
        # relation (improvement depends on quality, never the reverse).
        action_model = Finding.actions.rel.related_model
        linked = action_model.objects.restrict(request.user).filter(finding__in=findings)
        for action in linked:
            actions.setdefault(action.finding_id, []).append(action)
    return {
        "activity": activity,
        "access": access,
        "participants": services.participants_of(request.user, activity),
        "evidence": services.evidence_of(request.user, activity),
        "findings": [{"finding": f, "actions": actions.get(f.pk, [])} for f in findings],
        "finding_form": finding_form or FindingForm(framework=activity.framework),
        "areas": prompts,
        "kinds": FindingKind,
        "trail": _trail(activity),
    }


class ActivityPage:
    """Pages of an activity's records, reached by scope or assignment
    (``services.reviewable_*``); ``need`` is the access they take ("lead" or "review")."""

    detail_only, need, anchor = False, "lead", ""
    reach: Any = None

    def get_object(self) -> Any:
        return self.reach(self.request.user, self.kwargs[self.object_param])

    def get_parent(self) -> Activity:
        return services.reviewable_activity(self.request.user, self.kwargs["activity_id"])

    def activity_of(self, obj: Any) -> Activity:
        return obj if isinstance(obj, Activity) else obj.activity

    def check(self, obj: Any) -> None:
        if not getattr(services.access_to(self.request.user, self.activity_of(obj)), self.need):
            raise PermissionDenied(self.denied)

    def get_back(self, obj: Any) -> str:
        activity = self.activity_of(obj)
        return reverse("quality:activity_detail", args=[activity.pk]) + self.anchor

    def get_trail(self, obj: Any) -> list[dict]:
        return _trail(self.activity_of(obj), self.crumb)


class ActivityEdit(ActivityPage, ScopedUpdateView):
    model, form_class, service = Activity, ActivityForm, staticmethod(services.save_activity)
    object_param, reach = "activity_id", staticmethod(services.reviewable_activity)
    denied = "Only the academy's leaders can change this activity."
    title, caption, crumb = "Update {obj.title}", "{obj.academy.name}", "Update"

    def get_form_kwargs(self, obj: Activity) -> dict:
        return _activity_form_kwargs(obj, academies_where(self.request.user, "change"))


activity_edit = ActivityEdit.as_view()


# --- participants ---------------------------------------------------------------------------


class ParticipantAdd(ActivityPage, ScopedCreateView):
    model, form_class, parent_field = Participant, ParticipantForm, "activity"
    denied = "Only the academy's leaders choose who takes part."
    title = crumb = "Add who takes part"
    caption, submit, done, allow_another = (
        "{parent.title}",
        "Add",
        "Added {obj.display_name}.",
        True,
    )
    intro = (
        "Reviewers from other academies are listed with their role. Someone from another trust "
        "or organisation without a login: type their name and organisation."
    )

    def get_form_kwargs(self, obj: Participant) -> dict:
        return {"people": services.candidate_people(obj.activity)}

    def write(self, form: ParticipantForm, record: Participant) -> Participant:
        return services.add_participant(self.request.user, record.activity, record)


participant_add = ParticipantAdd.as_view()


class ParticipantRemove(ActivityPage, ScopedDeleteView):
    model, object_param = Participant, "participant_id"
    reach = staticmethod(services.reviewable_participant)
    service = staticmethod(services.remove_participant)
    denied = "Only the academy's leaders choose who takes part."
    title = crumb = "Remove a participant"
    done = "Removed {obj.display_name}."
    what_field = "display_name"


participant_remove = ParticipantRemove.as_view()


# --- evidence -------------------------------------------------------------------------------


class EvidenceAdd(ActivityPage, ScopedCreateView):
    model, form_class, parent_field = Evidence, EvidenceForm, "activity"
    need, anchor, multipart = "review", "#evidence", True
    denied = "Only leaders and reviewers of this activity add evidence."
    title = crumb = submit = "Add evidence"
    caption, done = "{parent.title}", "Evidence added."
    intro = "A file (redacted: no pupil names), a link to where it is kept, or a note."

    def write(self, form: EvidenceForm, record: Evidence) -> Evidence:
        return services.add_evidence(self.request.user, record.activity, record)


evidence_add = EvidenceAdd.as_view()


def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponse:
    evidence: Evidence = services.reviewable_evidence(request.user, evidence_id)
    if not evidence.file:
        raise Http404("This evidence has no file.")
    # Evidence files (work samples, visit notes) may name pupils: every download is audited.
    record_pupil_read(
        request.user,
        f"downloaded evidence {evidence.title!r} of activity {evidence.activity_id}",
        object_type="quality.evidence",
        academy_id=evidence.academy_id,
        action="export",
        evidence_id=evidence.pk,
    )
    return FileResponse(
        evidence.file.open("rb"), as_attachment=True, filename=evidence.file.name.rsplit("/", 1)[-1]
    )


class EvidenceDelete(ActivityPage, ScopedDeleteView):
    model, object_param = Evidence, "evidence_id"
    reach = staticmethod(services.reviewable_evidence)
    service = staticmethod(services.delete_evidence)
    need, anchor = "review", "#evidence"
    denied = "Only leaders and reviewers of this activity remove evidence."
    title = crumb = "Remove evidence"
    done = "Evidence removed."
    what_field = "title"


evidence_delete = EvidenceDelete.as_view()


# --- findings -------------------------------------------------------------------------------


def finding_create(request: HttpRequest, activity_id: int) -> HttpResponse:
    """Record a finding; with htmx the findings section is swapped in place."""
    activity = services.reviewable_activity(request.user, activity_id)
    access = services.access_to(request.user, activity)
    if not access.review:
        raise PermissionDenied("Only leaders and reviewers of this activity record findings.")
    form = FindingForm(request.POST or None, framework=activity.framework)
    if request.method == "POST" and form.is_valid():
        saved = try_write(
            form, lambda: services.record_finding(request.user, activity, form.save(commit=False))
        )
        if saved is not None:
            if request.htmx:
                context = _detail_context(request, activity, access)
                context["just_added"] = saved.pk
                return render(request, "quality/_findings.html", context)
            messages.success(request, "Finding recorded.")
            return redirect(reverse("quality:activity_detail", args=[activity.pk]) + "#findings")
    if request.htmx:
        return render(
            request,
            "quality/_findings.html",
            _detail_context(request, activity, access, finding_form=form),
            status=200,
        )
    return form_page(
        request,
        form,
        title="Record a finding",
        caption=activity.title,
        cancel=reverse("quality:activity_detail", args=[activity.pk]),
        trail=_trail(activity, "Record a finding"),
        submit="Record finding",
    )


class FindingPage(ActivityPage):
    model, form_class, object_param = Finding, FindingForm, "finding_id"
    reach = staticmethod(services.reviewable_finding)
    need, anchor, caption = "review", "#findings", "{obj.activity.title}"


class FindingEdit(FindingPage, ScopedUpdateView):
    denied = "Only leaders, or whoever recorded it, change a finding."
    title = crumb = "Change a finding"
    done = "Finding saved."

    def check(self, obj: Finding) -> None:
        access = services.access_to(self.request.user, obj.activity)
        if not (access.lead or (access.review and obj.recorded_by_id == self.request.user.pk)):
            raise PermissionDenied(self.denied)

    def get_form_kwargs(self, obj: Finding) -> dict:
        return {"framework": obj.activity.framework}

    def write(self, form: FindingForm, record: Finding) -> Finding:
        return services.record_finding(self.request.user, record.activity, record)


class FindingDelete(FindingPage, ScopedDeleteView):
    service = staticmethod(services.delete_finding)
    denied = "Only leaders and reviewers of this activity delete findings."
    title = crumb = "Delete a finding"
    done = "Finding deleted."


finding_edit = FindingEdit.as_view()
finding_delete = FindingDelete.as_view()

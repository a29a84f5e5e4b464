"""Forms for improvement: stages, plans and their parts, actions, follow-ups and support.
Choices are always limited to what the user may see or lead."""

from __future__ import annotations

from django import forms

from trustlens.improvement.choices import ActionStatus, SupportProvider
from trustlens.improvement.models import (
    Action,
    Milestone,
    Objective,
    Plan,
    PlanReview,
    Priority,
    Stage,
    Support,
)
from trustlens.improvement.services import StageOption
from trustlens.organisations.models import Academy

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _academies(academies: list[Academy]):
    return Academy.objects.unscoped().filter(pk__in=[a.pk for a in academies]).order_by("name")


def academic_year(value: str) -> str:
    value = (value or "").strip()
    ok = len(value) == 7 and value[4] == "/" and value[:4].isdigit() and value[5:].isdigit()
    if not ok or (int(value[:4]) + 1) % 100 != int(value[5:]):
        raise forms.ValidationError('Write the academic year like "2025/26".')
    return value


class AcademiesForm(forms.Form):
    """A form whose ``academy`` field offers the given academies (the user's reach)."""

    def __init__(self, *args, academies: list[Academy], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = _academies(academies)


class AcademyChoiceForm(AcademiesForm):
    """First step of creating a record for an academy: which academy."""

    academy = forms.ModelChoiceField(queryset=Academy.objects.none(), empty_label=None)


class StageForm(forms.ModelForm):
    class Meta:
        model = Stage
        fields = ["code", "label", "description", "order"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StageChangeForm(forms.Form):
    stage = forms.ChoiceField(label="New stage")
    changed_on = forms.DateField(label="From", widget=DATE)
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="The evidence for the move: QA findings, measures, plan reviews.",
    )

    def __init__(self, *args, options: list[StageOption], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = [(o.code, o.label) for o in options]


class PlanForm(forms.ModelForm):
    class Meta:
        model = Plan
        fields = ["title", "academic_year", "status", "summary"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 3})}

    def clean_academic_year(self) -> str:
        return academic_year(self.cleaned_data.get("academic_year", ""))


class PriorityForm(forms.ModelForm):
    class Meta:
        model = Priority
        fields = ["theme", "title", "rationale", "rag", "order"]
        widgets = {"rationale": forms.Textarea(attrs={"rows": 3})}


class ObjectiveForm(forms.ModelForm):
    class Meta:
        model = Objective
        fields = ["title", "success_criteria", "rag", "order"]
        widgets = {"success_criteria": forms.Textarea(attrs={"rows": 3})}


class MilestoneForm(forms.ModelForm):
    class Meta:
        model = Milestone
        fields = ["title", "due_on", "achieved_on"]
        widgets = {"due_on": DATE, "achieved_on": DATE}


class ReviewForm(forms.ModelForm):
    class Meta:
        model = PlanReview
        fields = ["due_on", "held_on", "overall_rag", "summary"]
        widgets = {"due_on": DATE, "held_on": DATE, "summary": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"held_on": "Leave blank for a review point still to come."}


def plan_link_choices(
    priorities: list[Priority], objectives: list[Objective]
) -> list[tuple[str, str]]:
    """ "Link to the plan" options: each priority, with its objectives indented beneath it."""
    choices = [("", "Not linked to the plan")]
    for priority in priorities:
        choices.append((f"p{priority.pk}", f"Priority: {priority.title}"))
        choices += [
            (f"o{o.pk}", f"  Objective: {o.title}")
            for o in objectives
            if o.priority_id == priority.pk
        ]
    return choices


class ActionForm(forms.ModelForm):
    plan_link = forms.ChoiceField(
        label="Link to the plan",
        required=False,
        help_text="Linked actions show under their priority or objective on the academy's plan.",
    )
    owner_id = forms.TypedChoiceField(label="Owner", coerce=int, empty_value=None, required=False)

    class Meta:
        model = Action
        fields = ["title", "detail", "owner_id", "due_on", "status", "plan_link"]
        widgets = {"due_on": DATE, "detail": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self,
        *args,
        people: list[tuple[int, str]],
        priorities: list[Priority],
        objectives: list[Objective],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["owner_id"].choices = [("", "No owner yet"), *people]
        self.fields["plan_link"].choices = plan_link_choices(priorities, objectives)
        instance = self.instance
        self.initial.setdefault("owner_id", instance.owner_id)
        if instance.objective_id:
            self.initial.setdefault("plan_link", f"o{instance.objective_id}")
        elif instance.priority_id:
            self.initial.setdefault("plan_link", f"p{instance.priority_id}")

    def save(self, commit: bool = False) -> Action:
        action = super().save(commit=False)
        action.owner_id = self.cleaned_data.get("owner_id")
        link = self.cleaned_data.get("plan_link") or ""
        action.priority_id = int(link[1:]) if link.startswith("p") else None
        action.objective_id = int(link[1:]) if link.startswith("o") else None
        return action


class FollowUpForm(forms.Form):
    note = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(label="Status after this follow-up", choices=ActionStatus.choices)


class ActionFilterForm(AcademiesForm):
    academy = forms.ModelChoiceField(
        queryset=Academy.objects.none(), required=False, empty_label="All academies"
    )
    status = forms.ChoiceField(choices=[("", "Any status"), *ActionStatus.choices], required=False)
    mine = forms.BooleanField(label="Only actions I own", required=False)


class SupportForm(forms.ModelForm):
    class Meta:
        model = Support
        fields = [
            "provider",
            "provider_academy",
            "provider_name",
            "description",
            "priority",
            "activity",
            "status",
            "requested_on",
            "starts_on",
            "ends_on",
            "days",
            "cost",
            "outcome",
        ]
        widgets = {
            "requested_on": DATE,
            "starts_on": DATE,
            "ends_on": DATE,
            "description": forms.Textarea(attrs={"rows": 3}),
            "outcome": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "outcome": "What followed: what changed, what the review or data showed afterwards.",
        }

    def __init__(
        self,
        *args,
        providers: list[Academy],
        priorities: list[Priority],
        activities: list,
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["provider_academy"].queryset = _academies(providers)
        self.fields[
            "provider_academy"
        ].help_text = "Academies you can see; otherwise name the provider in the details below."
        self.fields["priority"].queryset = Priority.objects.unscoped().filter(
            pk__in=[p.pk for p in priorities]
        )
        from trustlens.quality.models import Activity

        self.fields["activity"].queryset = Activity.objects.unscoped().filter(
            pk__in=[a.pk for a in activities]
        )
        self.fields["provider"].initial = SupportProvider.CENTRAL

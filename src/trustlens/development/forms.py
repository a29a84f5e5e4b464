"""Forms for people records. Every choice of a related record is limited to what the user
may see or lead: the view passes the querysets (``limits``), each from ``restrict(user)``."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet

from trustlens.development import models

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = forms.Textarea(attrs={"rows": 3})


class LimitedForm(forms.ModelForm):
    """A model form whose related-record fields offer only the given querysets."""

    def __init__(self, *args: Any, limits: dict[str, QuerySet] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        for name, queryset in (limits or {}).items():
            if name in self.fields:
                self.fields[name].queryset = queryset


class StaffForm(LimitedForm):
    class Meta:
        model = models.StaffMember
        fields = [
            "academy", "name", "job_title", "user", "is_leader", "days_available",
            "consent_to_deploy",
        ]  # fmt: skip
        labels = {"user": "Login"}


class ExpertiseForm(LimitedForm):
    class Meta:
        model = models.Expertise
        fields = ["area", "topic", "level", "accreditation", "evidence", "finding"]
        widgets = {"evidence": TEXT}


class NeedForm(LimitedForm):
    class Meta:
        model = models.Need
        fields = [
            "academy", "title", "area", "topic", "level_needed", "days_needed", "priority",
            "finding", "support", "detail", "raised_on", "status",
        ]  # fmt: skip
        widgets = {"detail": TEXT, "raised_on": DATE}
        labels = {
            "priority": "From plan priority", "finding": "From QA finding",
            "support": "From a support request",
        }  # fmt: skip


class DeploymentForm(LimitedForm):
    class Meta:
        model = models.Deployment
        fields = [
            "staff", "to_academy", "need", "purpose", "starts_on", "ends_on", "days", "cost",
            "backfill_by", "backfill_cost", "backfill_paid_by", "status", "outcome",
            "impact_review",
        ]  # fmt: skip
        widgets = {
            "purpose": TEXT, "outcome": TEXT, "impact_review": TEXT,
            "starts_on": DATE, "ends_on": DATE,
        }  # fmt: skip
        labels = {"staff": "Who", "to_academy": "To academy", "need": "The need it meets"}


class OutcomeForm(forms.ModelForm):
    """What the receiving academy records once a deployment is under way or done."""

    class Meta:
        model = models.Deployment
        fields = ["status", "outcome", "impact_review"]
        widgets = {"outcome": TEXT, "impact_review": TEXT}


class SettingsForm(forms.ModelForm):
    class Meta:
        model = models.PeopleSettings
        fields = ["max_give_percent", "leader_days_per_term", "stages_not_giving"]


class CoachingModelForm(forms.ModelForm):
    class Meta:
        model = models.CoachingModel
        fields = ["name", "description", "min_days_between", "max_days_between"]
        widgets = {"description": TEXT}


class PairForm(LimitedForm):
    class Meta:
        model = models.CoachingPair
        fields = ["coach", "coachee", "model", "started_on", "active"]
        widgets = {"started_on": DATE}
        labels = {"model": "Coaching model"}


class SessionForm(forms.ModelForm):
    class Meta:
        model = models.CoachingSession
        fields = ["held_on", "focus", "action_step", "follow_up", "notes"]
        widgets = {"held_on": DATE, "action_step": TEXT, "follow_up": TEXT, "notes": TEXT}


class CpdSessionForm(LimitedForm):
    class Meta:
        model = models.CpdSession
        fields = ["host_academy", "title", "programme", "priority", "held_on", "led_by", "cost"]
        widgets = {"held_on": DATE}


class AttendanceForm(LimitedForm):
    class Meta:
        model = models.CpdAttendance
        fields = ["staff"]
        labels = {"staff": "Who came"}


class EvaluationForm(forms.ModelForm):
    class Meta:
        model = models.CpdEvaluation
        fields = ["level", "evidence", "positive_percent", "respondents"]
        widgets = {"evidence": TEXT}
        labels = {"level": "Guskey level"}


class InquiryForm(LimitedForm):
    """The staff taking part are a separate field: their links are read without a scope
    (the project itself was found through ``restrict``)."""

    staff = forms.ModelMultipleChoiceField(
        queryset=models.StaffMember.objects.none(), required=False, label="Staff taking part"
    )

    class Meta:
        model = models.InquiryProject
        fields = [
            "lead_academy", "kind", "question", "priority", "partner_academies", "started_on",
            "findings", "for_library",
        ]  # fmt: skip
        widgets = {"started_on": DATE, "findings": TEXT}

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            links = models.InquiryProject.staff.through.objects.filter(
                inquiryproject_id=self.instance.pk
            )
            self.initial["staff"] = list(links.values_list("staffmember_id", flat=True))


class CycleForm(forms.ModelForm):
    class Meta:
        model = models.InquiryCycle
        fields = ["step", "held_on", "notes"]
        widgets = {"held_on": DATE, "notes": TEXT}


class ProgrammeForm(forms.ModelForm):
    class Meta:
        model = models.Programme
        fields = ["name", "kind", "provider"]


class PlaceForm(LimitedForm):
    class Meta:
        model = models.ProgrammePlace
        fields = ["programme", "staff", "started_on", "status", "deployment", "coaching"]
        widgets = {"started_on": DATE}


class KeyRoleForm(LimitedForm):
    class Meta:
        model = models.KeyRole
        fields = ["academy", "title", "holder"]


class SuccessorForm(LimitedForm):
    class Meta:
        model = models.Successor
        fields = ["staff", "readiness", "development"]
        widgets = {"development": TEXT}

"""Forms for QA: scheduling activities, who took part, findings, evidence, frameworks, settings
and moderation. Choices are always limited to what the user may see or lead."""

from __future__ import annotations

from django import forms

from trustlens.organisations.models import Academy, Trust
from trustlens.quality import models
from trustlens.quality.choices import COE_CAUTION, ActivityKind, ActivityStatus, ParticipantRole

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _academies(academies: list[Academy]):
    return Academy.objects.unscoped().filter(pk__in=[a.pk for a in academies]).order_by("name")


class ActivityForm(forms.ModelForm):
    """Schedule or update a QA activity. Fields that do not apply are removed."""

    class Meta:
        model = models.Activity
        fields = [
            "academy",
            "kind",
            "title",
            "scheduled_on",
            "status",
            "framework",
            "focus",
            "subject",
            "year_group",
            "review_stage",
            "self_review",
            "summary",
            "rating",
        ]
        widgets = {
            "scheduled_on": DATE,
            "focus": forms.Textarea(attrs={"rows": 3}),
            "self_review": forms.Textarea(attrs={"rows": 4}),
            "summary": forms.Textarea(attrs={"rows": 5}),
        }

    def __init__(
        self,
        *args,
        academies: list[Academy],
        frameworks: list[models.Framework],
        rating_scale: list[str],
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        editing = self.instance.pk is not None
        self.fields["framework"].queryset = models.Framework.objects.unscoped().filter(
            pk__in=[f.pk for f in frameworks]
        )
        self.fields["framework"].required = False
        if editing:
            del self.fields["academy"]
            self.fields["kind"].disabled = True
            if not self.instance.is_peer_review:
                del self.fields["review_stage"], self.fields["self_review"]
        else:
            self.fields["academy"].queryset = _academies(academies)
            self.fields["academy"].empty_label = None
            for name in ("status", "review_stage", "summary", "rating"):
                del self.fields[name]
        self._rating_field(rating_scale, editing)

    def _rating_field(self, scale: list[str], editing: bool) -> None:
        if "rating" not in self.fields:
            return
        if not scale or self.instance.kind != ActivityKind.LESSON_VISIT:
            del self.fields["rating"]
            return
        self.fields["rating"] = forms.ChoiceField(
            label="Developmental rating (optional)",
            choices=[("", "No rating"), *[(p, p) for p in scale]],
            required=False,
            help_text=COE_CAUTION,
        )


class ActivityFilterForm(forms.Form):
    academy = forms.ModelChoiceField(
        queryset=Academy.objects.none(), required=False, empty_label="All academies"
    )
    kind = forms.ChoiceField(
        label="Kind", choices=[("", "All kinds"), *ActivityKind.choices], required=False
    )
    status = forms.ChoiceField(
        choices=[("", "Any status"), *ActivityStatus.choices], required=False
    )

    def __init__(self, *args, academies: list[Academy], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = _academies(academies)


class ParticipantForm(forms.ModelForm):
    person = forms.TypedChoiceField(
        label="Person with a login",
        coerce=int,
        required=False,
        empty_value=None,
        help_text="Reviewers from other academies of the trust. They will see this activity and can record findings.",
    )

    class Meta:
        model = models.Participant
        fields = ["role", "person", "name", "organisation"]
        labels = {"name": "Or: name of someone without a login"}

    def __init__(self, *args, people: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "Choose a person"), *people]
        self.fields["role"].initial = ParticipantRole.REVIEWER

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("person") and not (data.get("name") or "").strip():
            raise forms.ValidationError("Choose a person with a login or type a name.")
        return data

    def save(self, commit: bool = False) -> models.Participant:
        participant = super().save(commit=False)
        participant.user_id = self.cleaned_data.get("person")
        return participant


class FindingForm(forms.ModelForm):
    class Meta:
        model = models.Finding
        fields = ["area", "kind", "text"]
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, framework: models.Framework | None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        areas = (
            models.FrameworkArea.objects.unscoped().filter(framework=framework)
            if framework
            else None
        )
        if areas is None:
            del self.fields["area"]
        else:
            self.fields["area"].queryset = areas
            self.fields["area"].empty_label = "Not in one area"


class EvidenceForm(forms.ModelForm):
    class Meta:
        model = models.Evidence
        fields = ["title", "file", "link", "note"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict:
        data = super().clean()
        if not (data.get("file") or data.get("link") or (data.get("note") or "").strip()):
            raise forms.ValidationError("Attach a file, give a link or write a note.")
        return data


class SettingsForm(forms.ModelForm):
    class Meta:
        model = models.QualitySettings
        fields = ["rating_enabled", "rating_scale"]
        widgets = {"rating_scale": forms.Textarea(attrs={"rows": 4})}


class FrameworkForm(forms.ModelForm):
    with_defaults = forms.BooleanField(
        label="Start from the default areas and prompts", required=False, initial=True
    )

    class Meta:
        model = models.Framework
        fields = ["trust", "name", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, trusts: list[Trust], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = Trust.objects.unscoped().filter(
            pk__in=[t.pk for t in trusts]
        )
        self.fields["trust"].empty_label = None
        if self.instance.pk:
            del self.fields["trust"], self.fields["with_defaults"]


class AreaForm(forms.ModelForm):
    class Meta:
        model = models.FrameworkArea
        fields = ["name", "theme", "order"]


class PromptForm(forms.ModelForm):
    class Meta:
        model = models.FrameworkPrompt
        fields = ["text", "order"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}


class SessionForm(forms.ModelForm):
    academies = forms.ModelMultipleChoiceField(
        queryset=Academy.objects.none(),
        help_text="Academies bringing samples. Hold Ctrl (Cmd on a Mac) to choose several.",
    )

    class Meta:
        model = models.ModerationSession
        fields = ["title", "subject", "year_group", "held_on", "judgements", "notes"]
        widgets = {"held_on": DATE, "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(
        self, *args, academies: list[Academy], initial_academies: list[int] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.fields["academies"].queryset = _academies(academies)
        if initial_academies:
            self.initial["academies"] = list(initial_academies)


class SampleForm(forms.ModelForm):
    class Meta:
        model = models.ModerationSample
        fields = ["academy", "reference", "submitted", "agreed", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, academies: list[Academy], scale: list[str], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = _academies(academies)
        self.fields["academy"].empty_label = None
        if scale:
            options = [(j, j) for j in scale]
            self.fields["submitted"] = forms.ChoiceField(
                label="Academy's judgement", choices=options
            )
            self.fields["agreed"] = forms.ChoiceField(
                label="Agreed judgement", choices=[("", "Not yet agreed"), *options], required=False
            )
        if self.instance.pk:
            self.fields["academy"].disabled = True

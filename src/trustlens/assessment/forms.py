"""Forms of the assessment calendar."""

from __future__ import annotations

from django import forms

from trustlens.assessment.models import AssessmentPoint, AssessmentWindow

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PointForm(forms.ModelForm):
    class Meta:
        model = AssessmentPoint
        fields = [
            "window",
            "title",
            "phase",
            "year_group",
            "subject",
            "opens_on",
            "due_on",
            "remind_days",
        ]
        widgets = {"opens_on": DATE, "due_on": DATE}

    def __init__(self, *args, trust_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["window"].queryset = AssessmentWindow.objects.unscoped().filter(
            trust_id=trust_id
        )
        self.fields["year_group"].widget.attrs.update(min=0, max=13)

"""Forms of the practice app: the survey (built from the instrument), the analysis filter and
the data-sharing record."""

from __future__ import annotations

from django import forms

from trustlens.practice.choices import Outcome
from trustlens.practice.instrument import SCALE, instrument
from trustlens.practice.models import DataSharingRecord


class SurveyForm(forms.Form):
    """One 1-5 choice per item the respondent's role answers, then free text."""

    def __init__(self, *args, role: str, version: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.instrument = instrument(version)
        for item in self.instrument.items_for(role):
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.text,
                choices=SCALE,
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": "Choose a point on the 1 to 5 scale."},
            )
            self.fields[item.code].area = self.instrument.area_title(item.area)
        self.fields["comments"] = forms.CharField(
            label="Anything else about how your academy and trust work (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea(attrs={"rows": 4}),
            help_text="Don't name pupils or colleagues. Comments are kept with the anonymous "
            "answers and never shown with fewer than 5 responses.",
        )

    def item_fields(self):
        return [self[name] for name in self.fields if name != "comments"]


class AnalysisForm(forms.Form):
    year = forms.CharField(label="Academic year", max_length=7)
    outcome = forms.ChoiceField(label="Pupil outcome", choices=Outcome.choices)


class SharingForm(forms.ModelForm):
    class Meta:
        model = DataSharingRecord
        fields = ["recipient", "organisation", "purpose", "academic_year", "expires_on"]
        widgets = {
            "expires_on": forms.DateInput(attrs={"type": "date"}),
            "purpose": forms.Textarea(attrs={"rows": 3}),
        }

    def clean_academic_year(self) -> str:
        value = self.cleaned_data["academic_year"].strip()
        parts = value.split("/")
        ok = len(parts) == 2 and all(p.isdigit() for p in parts) and len(parts[0]) == 4
        if not ok or (int(parts[0]) + 1) % 100 != int(parts[1]):
            raise forms.ValidationError('Write the year like "2024/25".')
        return value

"""Forms: registering an intervention, picking its pupils, filtering the what-works library."""

from __future__ import annotations

from django import forms

from trustlens.interventions.choices import PUPIL_GROUPS, Programme
from trustlens.interventions.models import Intervention
from trustlens.organisations.choices import Phase
from trustlens.organisations.models import Academy

YEAR_HINT = 'Academic year, e.g. "2024/25".'
YES_NO_ANY = (("", "Any"), ("yes", "Yes"), ("no", "No"))


def _academic_year(value: str) -> str:
    value = (value or "").strip()
    if not value:
        return value
    ok = len(value) == 7 and value[4] == "/" and value[:4].isdigit() and value[5:].isdigit()
    if not ok or (int(value[:4]) + 1) % 100 != int(value[5:]):
        raise forms.ValidationError('Write the academic year like "2024/25".')
    return value


class InterventionForm(forms.ModelForm):
    """The register: what it is, how it is measured, where, who and what it cost."""

    academies = forms.ModelMultipleChoiceField(
        queryset=Academy.objects.none(),
        help_text="Where it runs. Hold Ctrl (Cmd on a Mac) to choose several.",
    )

    field_order = ["name", "programme", "aim", "success_measures", "academies"]

    class Meta:
        model = Intervention
        fields = [
            "name",
            "programme",
            "aim",
            "success_measures",
            "subject",
            "scale",
            "pre_year",
            "pre_term",
            "post_year",
            "post_term",
            "start_date",
            "end_date",
            "staff",
            "cost_fixed",
            "cost_per_pupil",
            "linked_priorities",
        ]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}),
            "end_date": forms.DateInput(attrs={"type": "date"}),
            "aim": forms.Textarea(attrs={"rows": 3}),
            "success_measures": forms.Textarea(attrs={"rows": 3}),
            "staff": forms.Textarea(attrs={"rows": 2}),
            "linked_priorities": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "pre_year": YEAR_HINT + " Leave blank if there is no pre-test.",
            "post_year": YEAR_HINT,
        }

    def __init__(self, *args, academies: list[Academy], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academies"].queryset = Academy.objects.unscoped().filter(
            pk__in=[a.pk for a in academies]
        )
        if self.instance.pk:
            self.initial["academies"] = list(self.instance.academy_ids)

    def clean_pre_year(self) -> str:
        return _academic_year(self.cleaned_data.get("pre_year", ""))

    def clean_post_year(self) -> str:
        return _academic_year(self.cleaned_data.get("post_year", ""))

    def clean(self) -> dict:
        data = super().clean()
        if bool(data.get("pre_year")) != bool(data.get("pre_term")):
            self.add_error("pre_term", "Give both the pre-test year and term, or neither.")
        pre, post = (
            (data.get("pre_year"), data.get("pre_term")),
            (data.get("post_year"), data.get("post_term")),
        )
        if all(pre) and all(post) and _order(*pre) >= _order(*post):
            self.add_error("post_term", "The post-test must come after the pre-test.")
        academies = data.get("academies") or []
        if len({a.trust_id for a in academies}) > 1:
            self.add_error("academies", "Choose academies of one trust.")
        return data


def _order(year: str, term: str) -> int:
    return int(year[:4]) * 10 + ["autumn", "spring", "summer"].index(term)


class PupilFilterForm(forms.Form):
    """Pick participants by filter: academy, year group, characteristics, prior attainment."""

    academy = forms.ModelChoiceField(queryset=Academy.objects.none(), empty_label=None)
    year_group = forms.IntegerField(
        required=False, min_value=-2, max_value=14, help_text="Leave blank for every year group."
    )
    disadvantaged = forms.ChoiceField(choices=YES_NO_ANY, required=False)
    sen = forms.ChoiceField(label="SEN support or EHC plan", choices=YES_NO_ANY, required=False)
    eal = forms.ChoiceField(label="EAL", choices=YES_NO_ANY, required=False)
    prior_below = forms.FloatField(
        label="KS2 scaled score below",
        required=False,
        min_value=80,
        max_value=121,
        help_text="Optional: only pupils whose KS2 score in the outcome's subject is below this (e.g. 100).",
    )

    def __init__(self, *args, academies: list[Academy], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["academy"].queryset = Academy.objects.unscoped().filter(
            pk__in=[a.pk for a in academies]
        )


class PupilListForm(forms.Form):
    """Add participants by pasting their pupil ids."""

    pupil_ids = forms.CharField(
        label="Pupil ids",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="The trust's surrogate pupil ids, one per line (or separated by commas).",
    )

    def clean_pupil_ids(self) -> list[str]:
        text = self.cleaned_data["pupil_ids"].replace(",", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class LibraryFilterForm(forms.Form):
    """Filters of the what-works library."""

    programme = forms.ChoiceField(
        label="Programme type", choices=[("", "All programmes"), *Programme.choices], required=False
    )
    phase = forms.ChoiceField(choices=[("", "All phases"), *Phase.choices], required=False)
    group = forms.ChoiceField(label="Pupil group", choices=PUPIL_GROUPS, required=False)

"""Forms of how the trust works: domains, proposals, comments, decisions, deviations, rules,
framework upload and a round's scores."""

from __future__ import annotations

from django import forms

from trustlens.governance import models as m
from trustlens.governance.choices import DeviationStatus, Score

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ROWS3 = forms.Textarea(attrs={"rows": 3})


def _domains(trust_id: int):
    return m.Domain.objects.unscoped().filter(trust_id=trust_id)


class DomainForm(forms.ModelForm):
    class Meta:
        model = m.Domain
        fields = ["name", "code", "order"]


class ProposalForm(forms.ModelForm):
    """Propose a stance for one domain and phase (started from the version in force)."""

    class Meta:
        model = m.Proposal
        fields = [
            "domain",
            "phase",
            "stance",
            "fixed",
            "rationale",
            "evidence",
            "impact",
            "effective_from",
        ]
        widgets = {
            "effective_from": DATE,
            "fixed": ROWS3,
            "rationale": ROWS3,
            "evidence": ROWS3,
            "impact": ROWS3,
        }
        help_texts = {
            "fixed": "What every academy of the phase does the same way.",
            "evidence": "Research, data or what was found in QA.",
        }

    def __init__(self, *args, trust_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(trust_id)


class CommentForm(forms.ModelForm):
    class Meta:
        model = m.Comment
        fields = ["body"]
        widgets = {"body": ROWS3}
        labels = {"body": "Your comment"}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("adopt", "Adopt this proposal"), ("reject", "Do not adopt")],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Decision note", required=False, widget=ROWS3)


class DeviationForm(forms.ModelForm):
    class Meta:
        model = m.Deviation
        fields = ["domain", "reason", "conditions", "review_on"]
        widgets = {"review_on": DATE, "reason": ROWS3, "conditions": ROWS3}
        help_texts = {
            "conditions": "What the academy will do or report while it deviates.",
            "review_on": "When the trust looks at it again.",
        }

    def __init__(self, *args, trust_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(trust_id)


class DeviationDecisionForm(forms.ModelForm):
    status = forms.ChoiceField(
        label="Decision",
        choices=[(DeviationStatus.APPROVED, "Approve"), (DeviationStatus.REFUSED, "Refuse")],
        widget=forms.RadioSelect,
    )

    class Meta:
        model = m.Deviation
        fields = ["status", "review_on", "conditions", "decision_note"]
        widgets = {"review_on": DATE, "conditions": ROWS3, "decision_note": ROWS3}


class RuleForm(forms.ModelForm):
    class Meta:
        model = m.AutonomyRule
        fields = ["domain", "phase", "min_stage", "stance", "note"]

    def __init__(self, *args, trust_id: int, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = _domains(trust_id)


class FrameworkUploadForm(forms.Form):
    file = forms.FileField(label="Framework file (YAML or CSV)")
    code = forms.SlugField(label="Code (CSV only)", required=False)
    name = forms.CharField(label="Name (CSV only)", required=False, max_length=160)


class RoundForm(forms.ModelForm):
    class Meta:
        model = m.Round
        fields = ["title", "held_on"]
        widgets = {"held_on": DATE}


class ScoreForm(forms.Form):
    """One item's row on the round page (prefix ``item-<id>``)."""

    score = forms.TypedChoiceField(
        choices=[("", "Not scored")] + list(Score.choices), coerce=int, required=False
    )
    evidence = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))
    links = forms.CharField(
        label="Evidence links", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    actions = forms.CharField(
        label="Actions arising", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

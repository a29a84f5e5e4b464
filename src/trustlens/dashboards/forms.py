"""Forms of the dashboards app: a trust's RAG threshold."""

from __future__ import annotations

from django import forms

from trustlens.dashboards.models import RagThreshold


class ThresholdForm(forms.ModelForm):
    class Meta:
        model = RagThreshold
        fields = ["measure", "material", "note"]

"""Forms of the networks app: a trust's membership (what it shares, its contact)."""

from __future__ import annotations

from django import forms

from trustlens.networks.choices import SHAREABLE


class MembershipForm(forms.Form):
    shares = forms.MultipleChoiceField(
        label="What your trust shares",
        choices=list(SHAREABLE.items()),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="Only aggregates leave the trust; figures for fewer than 6 pupils are withheld.",
    )
    contact_name = forms.CharField(label="Named contact", max_length=200)
    contact_email = forms.EmailField(label="Contact email", required=False)

"""Forms of the networks app: a trust's membership (what it shares, its contact)."""

from __future__ import annotations

from django import forms

from trustlens.networks.choices import SHAREABLE, ServiceKind, ServiceUnit


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


class ReviewerOfferForm(forms.Form):
    reviewer_name = forms.CharField(label="Reviewer", max_length=200)
    expertise = forms.CharField(label="Expertise", max_length=200, required=False)
    days_offered = forms.IntegerField(label="Days offered", min_value=1, max_value=100)


class ServiceOfferForm(forms.Form):
    kind = forms.ChoiceField(label="Kind of service", choices=ServiceKind.choices)
    title = forms.CharField(label="Title", max_length=200)
    unit = forms.ChoiceField(label="Counted in", choices=ServiceUnit.choices)
    cost_per_unit = forms.DecimalField(
        label="Cost per day or place (£)", min_value=0, max_digits=9, decimal_places=2
    )
    units_available = forms.IntegerField(label="Days or places available", min_value=1)


class ServiceRequestForm(forms.Form):
    service = forms.ChoiceField(label="Service")
    units = forms.IntegerField(label="Days or places wanted", min_value=1)

    def __init__(self, *args, services=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [
            (s.pk, f"{s.title} ({s.provider.name})") for s in services
        ]


class AllocationForm(forms.Form):
    units_allocated = forms.IntegerField(
        label="Days or places allocated", min_value=0, help_text="0 declines the request."
    )


class ExchangeReviewForm(forms.Form):
    activity = forms.ChoiceField(label="Peer review (your academy's QA record)")
    reviewer_trust = forms.ChoiceField(label="Reviewing trust")
    days = forms.IntegerField(label="Reviewer days", min_value=1, max_value=30)

    def __init__(self, *args, activities=(), trusts=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["activity"].choices = [
            (a.pk, f"{a.title} ({a.academy.name}, {a.scheduled_on:%d %b %Y})") for a in activities
        ]
        self.fields["reviewer_trust"].choices = [(t.pk, t.name) for t in trusts]

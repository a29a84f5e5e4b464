"""The sign-in form (username, password and, for users who turned it on, a two-factor code),
and the data protection officer's audit filters and subject access form."""

from __future__ import annotations

from django import forms
from django.contrib.auth import user_login_failed
from django.contrib.auth.forms import AuthenticationForm

from trustlens.accounts.services import confirmed_device, verify_code
from trustlens.core.models import AuditEvent
from trustlens.pupils.models import Pupil


class SignInForm(AuthenticationForm):
    """Django's form plus an authenticator code, required once two-factor is on."""

    otp_token = forms.CharField(
        label="Authenticator code",
        required=False,
        max_length=12,
        help_text="Only if you have turned on two-factor sign-in: the 6-digit code from your app.",
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "token_required": "Enter the 6-digit code from your authenticator app.",
        "token_invalid": "That authenticator code is not right, or has expired. Try the next one.",
    }

    def clean(self) -> dict:
        cleaned = super().clean()
        user = self.get_user()
        if user is not None and confirmed_device(user) is not None:
            self.device = verify_code(user, cleaned.get("otp_token", ""))
            if self.device is None:
                self._count_failure()
                code = "token_invalid" if cleaned.get("otp_token") else "token_required"
                raise forms.ValidationError(self.error_messages[code], code=code)
        return cleaned

    def _count_failure(self) -> None:
        """A wrong code counts as a failed sign-in (towards the lockout)."""
        user_login_failed.send(
            sender=__name__,
            credentials={"username": self.cleaned_data.get("username")},
            request=self.request,
        )


class AuditFilterForm(forms.Form):
    """The DPO's filters over their trust's audit log (every field optional)."""

    user = forms.ModelChoiceField(queryset=None, required=False, label="Who", empty_label="Anyone")
    pupil = forms.CharField(
        required=False,
        max_length=40,
        label="Pupil id",
        help_text="As in pupils.csv (finds erased pupils too).",
    )
    academy = forms.ModelChoiceField(
        queryset=None, required=False, label="Academy", empty_label="Any academy"
    )
    date_from = forms.DateField(
        required=False, label="From", widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        required=False, label="To", widget=forms.DateInput(attrs={"type": "date"})
    )
    action = forms.ChoiceField(required=False, label="What")

    def __init__(self, *args, users, academies, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = users
        self.fields["user"].label_from_instance = _user_label
        self.fields["academy"].queryset = academies
        self.fields["academy"].label_from_instance = lambda a: f"{a.name} ({a.urn})"
        self.fields["action"].choices = [("", "Anything"), *AuditEvent.Action.choices]

    def clean(self) -> dict:
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned


def _user_label(user) -> str:
    name = user.get_full_name()
    return f"{name} ({user.get_username()})" if name else user.get_username()


class SubjectAccessForm(forms.Form):
    """One pupil of the DPO's trust, for the subject access download (prefixed: it shares the
    audit page with the filters, whose pupil field would otherwise have the same id)."""

    prefix = "sar"

    pupil = forms.CharField(max_length=40, label="Pupil id", help_text="As in pupils.csv.")
    trust = forms.ModelChoiceField(queryset=None, label="Trust", empty_label=None)

    def __init__(self, *args, trusts, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["trust"].queryset = trusts
        if trusts.count() == 1:
            self.fields["trust"].widget = forms.HiddenInput()
            self.fields["trust"].initial = trusts.first().pk

    def clean(self) -> dict:
        cleaned = super().clean()
        pupil_id, trust = cleaned.get("pupil", "").strip(), cleaned.get("trust")
        held = Pupil.objects.unscoped().filter(trust=trust, pupil_id=pupil_id)
        if pupil_id and trust is not None and not held.exists():
            self.add_error("pupil", f"No pupil with id {pupil_id!r} in {trust.name}.")
        cleaned["pupil"] = pupil_id
        return cleaned

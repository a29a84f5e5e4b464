"""The sign-in form: username, password and, for users who turned it on, a two-factor code."""

from __future__ import annotations

from django import forms
from django.contrib.auth import user_login_failed
from django.contrib.auth.forms import AuthenticationForm

from trustlens.accounts.services import confirmed_device, verify_code


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

"""Sign-in (with the two-factor code), the lockout page and two-factor set-up."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django_otp import login as otp_login

from trustlens.accounts import services
from trustlens.accounts.forms import SignInForm


class SignInView(auth.LoginView):
    form_class = SignInForm
    template_name = "accounts/login.html"

    def form_valid(self, form: SignInForm) -> HttpResponse:
        response = super().form_valid(form)
        device = getattr(form, "device", None)
        if device is not None:
            otp_login(self.request, device)
        return response


def locked_out(
    request: HttpRequest, credentials: dict | None = None, *args, **kwargs
) -> HttpResponse:
    """What axes shows a locked account or address (AXES_LOCKOUT_CALLABLE)."""
    from django.conf import settings

    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn two-factor sign-in on (scan or type the secret, then confirm a code) or off."""
    if not services.may_use_two_factor(request.user):
        raise PermissionDenied("Two-factor sign-in is for trust executives and data managers.")
    if request.method == "POST" and request.POST.get("action") == "off":
        services.turn_off(request.user)
        messages.success(request, "Two-factor sign-in is off.")
        return redirect("two_factor")
    error = None
    if request.method == "POST":
        if services.confirm_device(request.user, request.POST.get("otp_token", "")):
            messages.success(request, "Two-factor sign-in is on: you will be asked for a code.")
            return redirect("two_factor")
        error = "That code is not right, or has expired. Enter the code your app shows now."
    return render(request, "accounts/two_factor.html", _context(request.user, error))


def _context(user, error: str | None) -> dict:
    device = services.confirmed_device(user)
    if device is not None:
        return {"enabled": True}
    pending = services.pending_device(user)
    return {
        "enabled": False,
        "secret": services.secret_of(pending),
        "config_url": pending.config_url,
        "error": error,
    }

"""Page helpers every app shares: breadcrumbs, the generic form and "are you sure?" pages, and
turning a service's ValidationError into form errors. The class-based generic views in
``trustlens.core.views`` are built on these."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

T = TypeVar("T")


def crumbs(*items: tuple[str, str | None]) -> list[dict]:
    """Breadcrumbs after "Home": (label, url or None for the current page)."""
    return [{"label": "Home", "url": reverse("home")}] + [
        {"label": label, "url": url} for label, url in items
    ]


def attach_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a service's ValidationError on the form (on its field when the form has it)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def try_write(form: forms.Form, write: Callable[[], T]) -> T | None:
    """Run a service write; on ValidationError put the errors on the form and return None."""
    try:
        return write()
    except ValidationError as error:
        attach_errors(form, error)
        return None


def form_page(
    request: HttpRequest,
    form: forms.Form,
    *,
    title: str,
    caption: str,
    cancel: str,
    trail: list[dict],
    submit: str = "Save",
    intro: str = "",
    multipart: bool = False,
    extra: dict[str, Any] | None = None,
    template: str = "core/form.html",
    error_status: int = 400,
) -> HttpResponse:
    """The generic form page (``template``, by default core/form.html): error summary, fields,
    save and cancel."""
    context = {
        "form": form,
        "title": title,
        "caption": caption,
        "cancel": cancel,
        "trail": trail,
        "submit": submit,
        "intro": intro,
        "multipart": multipart,
        **(extra or {}),
    }
    return render(request, template, context, status=error_status if form.errors else 200)


def confirm_page(
    request: HttpRequest, *, title: str, what: str, cancel: str, trail: list[dict]
) -> HttpResponse:
    """The generic "are you sure?" page that a delete URL shows on GET."""
    context = {"title": title, "what": what, "cancel": cancel, "trail": trail}
    return render(request, "core/confirm_delete.html", context)


def edit_page(
    request: HttpRequest,
    form: forms.Form,
    save: Callable[[Any], Any],
    *,
    back: str,
    done: str | Callable[[Any], str] | None = "Saved.",
    next_url: Callable[[Any], str] | None = None,
    **page: Any,
) -> HttpResponse:
    """Show ``form`` (``page``: the ``form_page`` arguments); on a valid POST save through the
    service ``save`` (its ValidationError shown on the form), say ``done`` (unless None) and go
    to ``next_url(saved)`` or ``back``."""
    if request.method == "POST" and form.is_valid():
        saved = try_write(form, lambda: save(form.save(commit=False)))
        if saved is not None:
            if done:
                messages.success(request, done(saved) if callable(done) else done)
            return redirect(next_url(saved) if next_url else back)
    return form_page(request, form, cancel=back, **page)


def delete_page(
    request: HttpRequest,
    obj: Any,
    delete: Callable[[Any, Any], None],
    *,
    title: str,
    back: str,
    trail: list[dict],
    what: str | None = None,
    done: str | None = None,
) -> HttpResponse:
    """GET: "are you sure?"; POST: delete through the service ``delete(user, obj)``, say ``done``
    (default "Removed: <obj>.") and go back (a service's ValidationError is shown instead)."""
    if request.method == "POST":
        try:
            delete(request.user, obj)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, done or f"Removed: {obj}.")
        return redirect(back)
    return confirm_page(request, title=title, what=what or str(obj), cancel=back, trail=trail)

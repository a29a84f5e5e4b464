"""Sign-in (with the two-factor code), the lockout page, two-factor set-up, and the data
protection officer's pages: the trust's audit log (filtered, paginated, CSV) and the subject
access download."""

from __future__ import annotations

import csv
import json

from django.contrib import messages
from django.contrib.auth import views as auth
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django_otp import login as otp_login

from trustlens.accounts import audit, services
from trustlens.accounts.forms import AuditFilterForm, SignInForm, SubjectAccessForm
from trustlens.core.exports import safe_text
from trustlens.core.scoping import scope_of
from trustlens.organisations.models import Trust
from trustlens.pupils.services import subject_access_export


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
        raise PermissionDenied(
            "Two-factor sign-in is for trust executives, data managers and data protection officers."
        )
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


# --- the data protection officer's audit log -------------------------------------------------

AUDIT_PAGE_SIZE = 50
CSV_COLUMNS = ("at", "who", "action", "what", "academy", "pupil", "record", "record_id", "detail")


def _dpo_scope(request: HttpRequest):
    """The DPO's scope; every other role is refused (403), whatever it may otherwise see."""
    scope = scope_of(request.user)
    if not scope.can_read_audit:
        raise PermissionDenied("The audit log is for the trust's data protection officer.")
    return scope


def _filter_form(request: HttpRequest, scope) -> tuple[AuditFilterForm, audit.AuditFilter]:
    form = AuditFilterForm(
        request.GET or None,
        users=audit.trust_users(scope),
        academies=audit.trust_academies(scope),
    )
    if not form.is_bound or not form.is_valid():
        return form, audit.AuditFilter()
    data = form.cleaned_data
    wanted = audit.AuditFilter(
        user_id=data["user"].pk if data["user"] else None,
        pupil_id=data["pupil"].strip(),
        academy_id=data["academy"].pk if data["academy"] else None,
        date_from=data["date_from"],
        date_to=data["date_to"],
        action=data["action"],
    )
    return form, wanted


def audit_log(request: HttpRequest) -> HttpResponse:
    """The trust's audit log, filtered and paginated; reading it is itself audited."""
    scope = _dpo_scope(request)
    form, wanted = _filter_form(request, scope)
    rows = audit.filtered_rows(scope, wanted) if form.is_valid() or not form.is_bound else None
    page = Paginator(rows if rows is not None else [], AUDIT_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    events = list(page.object_list)
    labels = audit.labels_for(events)
    audit.record_audit_read(
        request.user, scope, f"viewed the audit log, page {page.number}", wanted, len(events)
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "rows": [_row(e, labels) for e in events],
        "query": query.urlencode(),
        "subject_form": SubjectAccessForm(trusts=_trusts(scope)),
    }
    return render(request, "accounts/audit.html", context)


def _row(event, labels: audit.Labels) -> dict:
    return {
        "at": event.at,
        "who": audit.who(event),
        "action": event.get_action_display(),
        "what": event.summary,
        "academy": labels.academy(event),
        "pupil": labels.pupil(event),
        "record": event.object_type,
        "record_id": "" if labels.pupil(event) else event.object_id,
        "detail": event.changes,
    }


def audit_export(request: HttpRequest) -> HttpResponse:
    """The filtered log as CSV (every row, text cells neutralised); the export is audited."""
    scope = _dpo_scope(request)
    form, wanted = _filter_form(request, scope)
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse('accounts:audit')}?{request.GET.urlencode()}")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="audit-log.csv"'
    written = _write_csv(response, audit.filtered_rows(scope, wanted))
    audit.record_audit_read(request.user, scope, "exported the audit log", wanted, written, True)
    return response


def _write_csv(out, rows) -> int:
    """The rows as CSV into ``out``, every text cell through ``safe_text``; how many."""
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    written = 0
    for chunk in _chunks(rows):
        labels = audit.labels_for(chunk)
        for event in chunk:
            row = _row(event, labels)
            row["at"] = event.at.isoformat(timespec="seconds")
            row["detail"] = json.dumps(event.changes, sort_keys=True, default=str)
            writer.writerow([safe_text(row[c]) for c in CSV_COLUMNS])
        written += len(chunk)
    return written


def _chunks(rows, size: int = 2000):
    """The rows in lists of ``size`` (one label lookup per list, not per row)."""
    chunk = []
    for event in rows.iterator(chunk_size=size):
        chunk.append(event)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _trusts(scope):
    return Trust.objects.unscoped().filter(pk__in=scope.audit_trust_ids).order_by("name")


def subject_access(request: HttpRequest) -> HttpResponse:
    """Download everything held on one pupil as JSON (``trustlens pupil export``), audited."""
    scope = _dpo_scope(request)
    form = SubjectAccessForm(request.POST or None, trusts=_trusts(scope))
    if request.method == "POST" and form.is_valid():
        trust, pupil_id = form.cleaned_data["trust"], form.cleaned_data["pupil"]
        held = subject_access_export(trust.slug, pupil_id, request.user)
        body = json.dumps(held, indent=1, default=str, sort_keys=True)
        response = HttpResponse(body, content_type="application/json")
        filename = f"subject-access-{trust.slug}-{slugify(pupil_id)}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
    return render(request, "accounts/subject_access.html", {"form": form}, status=200)

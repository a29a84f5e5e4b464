"""The assessment calendar pages: month view, term timeline, adding and editing points, the
user's feed key, and the iCal feed itself (reached by key, see ``feeds``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from trustlens.assessment import calendar
from trustlens.assessment.forms import PointForm
from trustlens.assessment.models import AssessmentPoint, AssessmentWindow, FeedToken
from trustlens.core.pages import crumbs, delete_page, form_page, try_write
from trustlens.organisations.models import Trust
from trustlens.organisations.services import visible_trusts


def _trail(*items: tuple[str, str | None]) -> list[dict]:
    return crumbs(("Assessment calendar", reverse("assessment:calendar")), *items)


def _trust(request: HttpRequest) -> Trust:
    trusts = visible_trusts(request.user)
    wanted = request.GET.get("trust")
    chosen = next((t for t in trusts if t.slug == wanted), trusts[0] if trusts else None)
    if chosen is None:
        raise Http404("You are not part of a trust.")
    return chosen


def month(request: HttpRequest) -> HttpResponse:
    """One month (``?month=YYYY-MM``): windows, assessments opening and results due."""
    trust = _trust(request)
    first = calendar.parse_month(request.GET.get("month"), timezone.localdate())
    points = list(
        AssessmentPoint.objects.restrict(request.user).filter(trust=trust).select_related("window")
    )
    windows = list(AssessmentWindow.objects.restrict(request.user).filter(trust=trust))
    context = {
        "trust": trust,
        "trusts": visible_trusts(request.user),
        "first": first,
        "weeks": calendar.month_weeks(first.year, first.month, points, windows),
        "previous": calendar.shift_month(first, -1),
        "next": calendar.shift_month(first, 1),
        "in_month": [
            p for p in points if (p.due_on.year, p.due_on.month) == (first.year, first.month)
        ],
        "today": timezone.localdate(),
        "can_edit": calendar.can_edit(request.user, trust.pk),
        "trail": crumbs(("Assessment calendar", None)),
    }
    return render(request, "assessment/calendar_month.html", context)


def timeline(request: HttpRequest) -> HttpResponse:
    """Every window of the trust in order with its assessment points."""
    trust = _trust(request)
    windows = list(AssessmentWindow.objects.restrict(request.user).filter(trust=trust))
    points = list(AssessmentPoint.objects.restrict(request.user).filter(trust=trust))
    context = {
        "trust": trust,
        "terms": [(w, [p for p in points if p.window_id == w.pk]) for w in windows],
        "can_edit": calendar.can_edit(request.user, trust.pk),
        "trail": _trail(("Term timeline", None)),
    }
    return render(request, "assessment/calendar_timeline.html", context)


def _point_page(request: HttpRequest, point: AssessmentPoint, title: str) -> HttpResponse:
    if not calendar.can_edit(request.user, point.trust_id):
        raise PermissionDenied("Only the trust's executives and data managers edit the calendar.")
    form = PointForm(request.POST or None, instance=point, trust_id=point.trust_id)
    back = (
        reverse("assessment:calendar") + f"?month={point.due_on:%Y-%m}"
        if point.pk
        else reverse("assessment:calendar")
    )
    if request.method == "POST" and form.is_valid():
        saved = try_write(form, lambda: calendar.save_point(request.user, form.save(False)))
        if saved is not None:
            messages.success(
                request, f"Saved: {saved.title}, results due {saved.due_on:%-d %B %Y}."
            )
            return redirect(
                reverse("assessment:calendar")
                + f"?trust={saved.trust.slug}&month={saved.due_on:%Y-%m}"
            )
    return form_page(
        request,
        form,
        title=title,
        caption="Assessment calendar",
        cancel=back,
        trail=_trail((title, None)),
        submit="Save",
        intro="Each assessment point sits inside one of the trust's windows.",
    )


def point_create(request: HttpRequest) -> HttpResponse:
    return _point_page(request, AssessmentPoint(trust=_trust(request)), "Add an assessment point")


def _point(request: HttpRequest, assessment_point_id: int) -> AssessmentPoint:
    return get_object_or_404(
        AssessmentPoint.objects.restrict(request.user).select_related("window", "trust"),
        pk=assessment_point_id,
    )


def point_edit(request: HttpRequest, assessment_point_id: int) -> HttpResponse:
    point = _point(request, assessment_point_id)
    return _point_page(request, point, f"Assessment point: {point.title}")


def point_delete(request: HttpRequest, assessment_point_id: int) -> HttpResponse:
    point = _point(request, assessment_point_id)
    if not calendar.can_edit(request.user, point.trust_id):
        raise PermissionDenied("Only the trust's executives and data managers edit the calendar.")
    return delete_page(
        request,
        point,
        calendar.delete_point,
        title=f"Remove {point.title}",
        back=reverse("assessment:calendar"),
        trail=_trail(("Remove", None)),
    )


def feed_settings(request: HttpRequest) -> HttpResponse:
    """The user's feed: make a new secret address (revoking the old) or switch it off."""
    key: str | None = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            calendar.revoke_feed(request.user)
            messages.success(
                request, "Calendar feed switched off: the old address no longer works."
            )
            return redirect("assessment:feed_settings")
        key = calendar.new_feed_key(request.user)
    context: dict[str, Any] = {
        "active": FeedToken.objects.filter(user=request.user).first(),
        "feed_url": request.build_absolute_uri(reverse("assessment:ical")) + f"?key={key}"
        if key
        else None,
        "trail": _trail(("Calendar feed", None)),
    }
    return render(request, "assessment/calendar_feed.html", context)


def ical(request: HttpRequest) -> HttpResponse:
    """The iCal feed of what the user (by key or session) can see."""
    response = HttpResponse(
        calendar.ical(request.user), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = 'inline; filename="assessment-calendar.ics"'
    return response

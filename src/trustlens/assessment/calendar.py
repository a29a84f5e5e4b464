"""The editable assessment calendar: assessment points inside the trust's windows, the month
view and term timeline, each user's iCal feed, completeness against the roll, and the reminders
and late-data alerts sent by e-mail (once each, recorded as ``Notice`` rows).

Completeness against the roll: an academy is expected to submit, for each point of a window
that applies to its phase, one result per pupil on its roll on the window's closing date in the
point's year group (every year group when blank) and subject; a result row of that pupil and
subject in the window counts it as received. Expected and missing are counts of pupil ×
subject pairs, read from the roll (pupils.Enrolment) and the analytical store.
"""

from __future__ import annotations

import calendar as cal
import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

import polars as pl
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from trustlens.assessment.models import AssessmentPoint, AssessmentWindow, FeedToken, Notice
from trustlens.core.access import can
from trustlens.core.audit import delete_audited, save_audited
from trustlens.core.fragments import cached_per_store
from trustlens.core.scoping import scope_of
from trustlens.ingest.store import AnalyticalStore
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.models import Enrolment

#: Roles (people.choices.Role values; people is a sibling app) told about an academy's data.
NOTIFIED_ROLES = ("data_manager", "headteacher")


# ---- editing ----------------------------------------------------------------------------------


def can_edit(user, trust_id: int) -> bool:
    """The trust's executives, and data managers of every one of its academies (trust-wide)."""
    if can(user, "configure", trust_id):
        return True
    academies = set(
        Academy.objects.unscoped().filter(trust_id=trust_id).values_list("pk", flat=True)
    )
    return bool(academies) and academies <= scope_of(user).can_import_academy_ids


def _require_edit(user, trust_id: int) -> None:
    if not can_edit(user, trust_id):
        raise PermissionDenied("Only the trust's executives and data managers edit the calendar.")


def save_point(user, point: AssessmentPoint) -> AssessmentPoint:
    _require_edit(user, point.trust_id)
    window = point.window
    if window.trust_id != point.trust_id:
        raise ValidationError({"window": "Choose one of the trust's windows."})
    errors = {}
    if not window.opens <= point.opens_on <= window.closes:
        errors["opens_on"] = (
            f"Must be inside the window ({window.opens:%-d %b} – {window.closes:%-d %b %Y})."
        )
    if not window.opens <= point.due_on <= window.closes:
        errors["due_on"] = (
            f"Must be inside the window ({window.opens:%-d %b} – {window.closes:%-d %b %Y})."
        )
    elif point.due_on < point.opens_on:
        errors["due_on"] = "Results cannot be due before the assessment opens."
    if errors:
        raise ValidationError(errors)
    return save_audited(user, point)


def delete_point(user, point: AssessmentPoint) -> None:
    _require_edit(user, point.trust_id)
    delete_audited(user, point)


# ---- month view and timeline ------------------------------------------------------------------


@dataclass
class Day:
    date: dt.date
    in_month: bool
    opening: list[AssessmentPoint] = field(default_factory=list)
    due: list[AssessmentPoint] = field(default_factory=list)
    windows: list[AssessmentWindow] = field(default_factory=list)


def month_weeks(
    year: int, month: int, points: list[AssessmentPoint], windows: list[AssessmentWindow]
) -> list[list[Day]]:
    """Monday-first weeks of the month (with the days around it), each day's events."""
    weeks = []
    for week in cal.Calendar(firstweekday=0).monthdatescalendar(year, month):
        row = []
        for day in week:
            row.append(
                Day(
                    day,
                    day.month == month,
                    [p for p in points if p.opens_on == day],
                    [p for p in points if p.due_on == day],
                    [w for w in windows if w.opens <= day <= w.closes],
                )
            )
        weeks.append(row)
    return weeks


def parse_month(text: str | None, today: dt.date) -> dt.date:
    """``"2025-03"`` -> 1 March 2025; anything else the current month."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return dt.date(year, month, 1)
    except ValueError:
        return today.replace(day=1)


def shift_month(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


# ---- the iCal feed ----------------------------------------------------------------------------


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def new_feed_key(user) -> str:
    """A new secret key for the user's feed (256 bits from ``secrets``); the old one stops
    working. Only its digest is stored: show the key now, it cannot be shown again."""
    key = secrets.token_urlsafe(32)
    FeedToken.objects.update_or_create(user=user, defaults={"digest": _digest(key)})
    return key


def revoke_feed(user) -> None:
    FeedToken.objects.filter(user=user).delete()


def user_for_key(key: str | None):
    """The active user whose feed key this is, or None (unknown, revoked, inactive)."""
    if not key or len(key) > 100:
        return None
    token = FeedToken.objects.filter(digest=_digest(key)).select_related("user").first()
    return token.user if token and token.user.is_active else None


def ical(user) -> bytes:
    """RFC 5545 calendar of every point and window the user's scope sees (icalendar)."""
    from icalendar import Calendar, Event

    feed = Calendar()
    feed.add("prodid", "-//trustlens//assessment calendar//EN")
    feed.add("version", "2.0")
    feed.add("x-wr-calname", "Assessment calendar")
    stamp = timezone.now()
    for point in AssessmentPoint.objects.restrict(user).select_related("trust", "window"):
        event = Event()
        event.add("uid", f"point-{point.pk}@trustlens")
        event.add("dtstamp", stamp)
        event.add("summary", f"{point.title}: results due")
        event.add("dtstart", point.due_on)
        event.add("dtend", point.due_on + dt.timedelta(days=1))
        event.add(
            "description", f"{point.who}. Opens {point.opens_on:%-d %B %Y}; {point.trust.name}."
        )
        feed.add_component(event)
    for window in AssessmentWindow.objects.restrict(user).select_related("trust"):
        event = Event()
        event.add("uid", f"window-{window.pk}@trustlens")
        event.add("dtstamp", stamp)
        event.add("summary", f"Assessment window: {window}")
        event.add("dtstart", window.opens)
        event.add("dtend", window.closes + dt.timedelta(days=1))
        feed.add_component(event)
    return feed.to_ical()


# ---- completeness against the roll ------------------------------------------------------------


@dataclass
class RollCell:
    window: AssessmentWindow
    expected: int
    received: int
    points: int

    @property
    def missing(self) -> int:
        return self.expected - self.received

    @property
    def percent(self) -> float | None:
        return 100 * self.received / self.expected if self.expected else None


def _applies(point: AssessmentPoint, academy: Academy) -> bool:
    return not point.phase or point.phase == academy.phase


def expected_pairs(
    academy: Academy, window: AssessmentWindow, points: list[AssessmentPoint]
) -> set[tuple[str, str]]:
    """(pupil id, subject) the academy owes for the window: its roll on the closing date."""
    on_roll = (
        Enrolment.objects.unscoped()
        .filter(academy=academy, start_date__lte=window.closes)
        .exclude(end_date__lt=window.closes)
    )
    roll = list(on_roll.values_list("pupil__pupil_id", "year_group"))
    pairs = set()
    for point in points:
        if point.window_id == window.pk and _applies(point, academy):
            pairs |= {
                (pupil, point.subject)
                for pupil, year in roll
                if point.year_group is None or year == point.year_group
            }
    return pairs


def received_pairs(store: AnalyticalStore, trust: Trust, window: AssessmentWindow) -> pl.DataFrame:
    """urn, pupil_id, subject of every result of the window held in the store."""
    results = store.polars(trust.slug, "assessment_results")
    return (
        results.filter(
            (pl.col("academic_year") == window.academic_year) & (pl.col("term") == window.term)
        )
        .select("urn", "pupil_id", "subject")
        .unique()
    )


def _received(
    store: AnalyticalStore | None, trust: Trust, windows: list[AssessmentWindow]
) -> dict[int, pl.DataFrame]:
    """Each window's received pairs; from the live store, read once per store manifest."""
    if store is not None:
        return {w.pk: received_pairs(store, trust, w) for w in windows}
    live = AnalyticalStore(settings.STORE_DIR)
    parts = [f"{w.pk}:{w.academic_year}:{w.term}" for w in windows]
    return cached_per_store(
        trust.slug,
        "received-pairs",
        parts,
        lambda: {w.pk: received_pairs(live, trust, w) for w in windows},
    )


def roll_completeness(
    user, trust: Trust, windows: list[AssessmentWindow], store: AnalyticalStore | None = None
) -> list[tuple[Academy, list[RollCell]]]:
    """Academies the user sees × windows: pupil × subject results expected and received."""
    academies = list(Academy.objects.restrict(user).filter(trust=trust).order_by("name"))
    points = list(AssessmentPoint.objects.unscoped().filter(window__in=windows))
    received = _received(store, trust, windows)
    rows = []
    for academy in academies:
        cells = []
        for window in windows:
            expected = expected_pairs(academy, window, points)
            got = received[window.pk].filter(pl.col("urn") == academy.urn)
            have = set(zip(got["pupil_id"].to_list(), got["subject"].to_list(), strict=True))
            count = sum(
                1
                for w_point in points
                if w_point.window_id == window.pk and _applies(w_point, academy)
            )
            cells.append(RollCell(window, len(expected), len(expected & have), count))
        rows.append((academy, cells))
    return rows


# ---- reminders and late-data alerts -----------------------------------------------------------


def recipients(academy: Academy) -> list[str]:
    """E-mail addresses of the academy's data managers and headteacher(s)."""
    users = get_user_model().objects.filter(
        grants__academy=academy, grants__role__in=NOTIFIED_ROLES, is_active=True
    )
    return sorted({u.email for u in users if u.email})


def due_notice(point: AssessmentPoint, today: dt.date) -> str | None:
    """Which notice a point calls for today: a reminder in the days before it is due, a
    late-data alert once the due date has passed."""
    if today > point.due_on:
        return Notice.Kind.LATE
    if point.due_on - dt.timedelta(days=point.remind_days) <= today:
        return Notice.Kind.REMINDER
    return None


def send_notices(trust: Trust, today: dt.date | None = None, store=None) -> dict[str, int]:
    """Send every reminder and late-data alert due today that has not been sent (system work:
    the ``trustlens calendar remind`` command). Counts of e-mails sent by kind."""
    today = today or timezone.localdate()
    store = store or AnalyticalStore(settings.STORE_DIR)
    sent = {Notice.Kind.REMINDER: 0, Notice.Kind.LATE: 0}
    points = AssessmentPoint.objects.unscoped().filter(trust=trust).select_related("window")
    academies = list(Academy.objects.unscoped().filter(trust=trust))
    for point in points:
        kind = due_notice(point, today)
        if kind is None:
            continue
        received = received_pairs(store, trust, point.window)
        for academy in (a for a in academies if _applies(point, a)):
            missing = _missing(academy, point, received)
            if missing:
                for address in recipients(academy):
                    sent[kind] += _send_once(point, academy, kind, address, missing)
    return sent


def _missing(academy: Academy, point: AssessmentPoint, received: pl.DataFrame) -> int:
    expected = expected_pairs(academy, point.window, [point])
    got = received.filter(pl.col("urn") == academy.urn)
    have = set(zip(got["pupil_id"].to_list(), got["subject"].to_list(), strict=True))
    return len(expected - have)


def _send_once(point, academy, kind: str, address: str, missing: int) -> int:
    """Record the notice, then send it; a notice already recorded is not sent again."""
    try:
        with transaction.atomic():
            Notice.objects.create(
                point=point, academy=academy, kind=kind, recipient=address, missing=missing
            )
            send_mail(*_message(point, academy, kind, missing), None, [address])
    except IntegrityError:
        return 0
    return 1


def _message(point, academy, kind: str, missing: int) -> tuple[str, str]:
    when = f"{point.due_on:%-d %B %Y}"
    if kind == Notice.Kind.LATE:
        subject = f"Late data: {point.title} at {academy.name}"
        lead = f"Results for {point.title} were due on {when}."
    else:
        subject = f"Reminder: {point.title} due {when}"
        lead = f"Results for {point.title} are due on {when}."
    body = (
        f"{lead}\n\n{academy.name}: {missing} result(s) still missing for pupils on roll "
        f"({point.who}).\n\nSee the assessment calendar and completeness pages in trustlens."
    )
    return subject, body

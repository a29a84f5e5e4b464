"""The editable assessment calendar: points inside windows, month view, the iCal feed by
secret key (parsed with icalendar), completeness against the roll, reminders and late-data
alerts sent once (Django's locmem e-mail backend)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from tests.ingest import builders as b
from trustlens.assessment import calendar
from trustlens.assessment.models import AssessmentPoint, AssessmentWindow, FeedToken, Notice
from trustlens.imports.services import import_path

pytestmark = pytest.mark.django_db


@pytest.fixture
def windows(world, tmp_path):
    """Riverside's 2024/25 windows, and A's autumn Maths results for all but its last pupil."""
    pupils = world.pupils["A"][:-1]
    rows = b.results([{"pupil_id": p.pupil_id} for p in pupils], world.academy_a.urn)
    folder = b.write_folder(
        tmp_path / "in", {"assessment_windows": b.windows(), "assessment_results": rows}
    )
    assert import_path(folder, "riverside").report.loaded
    return {w.term: w for w in AssessmentWindow.objects.unscoped().filter(trust=world.trust)}


def _point(world, window, **kw) -> AssessmentPoint:
    fields = dict(title="Year 9 maths", subject="Maths", year_group=9, phase="secondary")
    fields |= kw
    return AssessmentPoint.objects.create(
        trust=world.trust, window=window, opens_on=window.opens, due_on=window.closes, **fields
    )


def test_points_must_sit_inside_their_window(world, windows, exec_user, head_a):
    autumn = windows["autumn"]
    point = AssessmentPoint(
        trust=world.trust,
        window=autumn,
        title="Maths",
        subject="Maths",
        opens_on=autumn.opens,
        due_on=autumn.closes + dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        calendar.save_point(exec_user, point)
    assert list(error.value.error_dict) == ["due_on"]
    with pytest.raises(PermissionDenied):
        calendar.save_point(head_a, point)
    point.due_on = autumn.closes
    assert calendar.save_point(exec_user, point).pk
    assert AssessmentPoint.objects.unscoped().count() == 1


def test_reimporting_windows_keeps_their_points(world, windows, tmp_path):
    point = _point(world, windows["autumn"])
    folder = b.write_folder(tmp_path / "again", {"assessment_windows": b.windows()})
    assert import_path(folder, "riverside").report.loaded
    assert AssessmentPoint.objects.unscoped().filter(pk=point.pk).exists()


def test_month_view_shows_due_dates(world, windows, exec_user, head_a, client_for):
    _point(world, windows["autumn"], title="Autumn maths check")
    url = reverse("assessment:calendar") + "?month=2024-12"
    page = client_for(exec_user).get(url).content.decode()
    assert "December 2024" in page and "Autumn maths check" in page and "Due" in page
    assert "Add an assessment point" in page
    page = client_for(head_a).get(url).content.decode()
    assert "Autumn maths check" in page and "Add an assessment point" not in page


def test_add_a_point_through_the_page(world, windows, exec_user, client_for):
    autumn = windows["autumn"]
    data = {
        "window": autumn.pk,
        "title": "Reading",
        "phase": "",
        "subject": "Reading",
        "opens_on": "2024-11-20",
        "due_on": "2025-01-20",
        "remind_days": 7,
    }
    response = client_for(exec_user).post(reverse("assessment:point_create"), data)
    assert response.status_code == 400 and "inside the window" in response.content.decode()
    data["due_on"] = "2024-12-06"
    assert client_for(exec_user).post(reverse("assessment:point_create"), data).status_code == 302
    assert AssessmentPoint.objects.unscoped().get().subject == "Reading"


def test_ical_feed_by_secret_key_parses(world, windows, exec_user):
    _point(world, windows["autumn"], title="Autumn maths check")
    key = calendar.new_feed_key(exec_user)
    assert len(key) >= 43 and FeedToken.objects.get().digest != key  # only the digest is kept
    anonymous = Client()
    response = anonymous.get(reverse("assessment:ical"), {"key": key})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
    parsed = Calendar.from_ical(response.content)
    events = {str(e["summary"]): e for e in parsed.walk("VEVENT")}
    due = events["Autumn maths check: results due"]
    assert due.decoded("dtstart") == dt.date(2024, 12, 13)
    assert "Assessment window: 2024/25 Autumn" in events
    assert not response.cookies  # no session (nor CSRF cookie) made for the feed


def test_feed_key_is_revocable_and_other_pages_still_need_login(world, windows, exec_user):
    old = calendar.new_feed_key(exec_user)
    new = calendar.new_feed_key(exec_user)
    anonymous = Client()
    assert anonymous.get(reverse("assessment:ical"), {"key": old}).status_code == 404
    assert anonymous.get(reverse("assessment:ical"), {"key": new}).status_code == 200
    assert anonymous.get(reverse("assessment:ical")).status_code == 404
    assert anonymous.get(reverse("assessment:ical"), {"key": "guess"}).status_code == 404
    # The key opens the feed only, never another page.
    other = anonymous.get(reverse("assessment:calendar"), {"key": new})
    assert other.status_code == 302 and "/accounts/login" in other["Location"]
    calendar.revoke_feed(exec_user)
    assert anonymous.get(reverse("assessment:ical"), {"key": new}).status_code == 404


def test_feed_shows_only_the_users_trust(world, windows, exec_x):
    _point(world, windows["autumn"], title="Riverside maths")
    key = calendar.new_feed_key(exec_x)
    body = Client().get(reverse("assessment:ical"), {"key": key}).content.decode()
    assert "Riverside maths" not in body and "BEGIN:VCALENDAR" in body


def test_feed_settings_page_shows_the_address_once(exec_user, client_for):
    client = client_for(exec_user)
    page = client.post(reverse("assessment:feed_settings"), {"action": "new"}).content.decode()
    assert "calendar.ics?key=" in page
    assert (
        "calendar.ics?key=" not in client.get(reverse("assessment:feed_settings")).content.decode()
    )
    client.post(reverse("assessment:feed_settings"), {"action": "revoke"})
    assert not FeedToken.objects.exists()


def test_completeness_against_the_roll(world, windows, exec_user, client_for):
    _point(world, windows["autumn"])  # Year 9 maths: A has 3 of its 4 pupils' results
    _point(world, windows["autumn"], title="Year 9 reading", subject="Reading")
    rows = dict(
        (a.urn, cells)
        for a, cells in calendar.roll_completeness(exec_user, world.trust, list(windows.values()))
    )
    roll_a = len(world.pupils["A"])
    autumn_a = next(c for c in rows[world.academy_a.urn] if c.window.term == "autumn")
    assert (autumn_a.expected, autumn_a.received) == (2 * roll_a, roll_a - 1)
    assert autumn_a.missing == roll_a + 1
    autumn_b = next(c for c in rows[world.academy_b.urn] if c.window.term == "autumn")
    assert (autumn_b.expected, autumn_b.received) == (2 * len(world.pupils["B"]), 0)
    spring_a = next(c for c in rows[world.academy_a.urn] if c.window.term == "spring")
    assert (spring_a.points, spring_a.expected) == (0, 0)
    page = client_for(exec_user).get(reverse("assessment:completeness")).content.decode()
    assert f"{roll_a - 1} of {2 * roll_a} expected" in page and f"{roll_a + 1} missing" in page


def test_a_leaver_before_the_window_closes_is_not_expected(world, windows, exec_user):
    _point(world, windows["autumn"])
    from trustlens.pupils.models import Enrolment

    leaver = world.pupils["A"][-1]
    Enrolment.objects.unscoped().filter(pupil=leaver).update(end_date=dt.date(2024, 10, 1))
    [(_, cells)] = [
        r
        for r in calendar.roll_completeness(exec_user, world.trust, [windows["autumn"]])
        if r[0] == world.academy_a
    ]
    assert cells[0].expected == cells[0].received == len(world.pupils["A"]) - 1


@pytest.fixture
def recipients(world, head_a, datamanager_a):
    head_a.email, datamanager_a.email = "head@alderbrook.test", "data@alderbrook.test"
    head_a.save()
    datamanager_a.save()
    return head_a, datamanager_a


def test_late_data_alert_is_sent_once(world, windows, recipients, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    point = _point(world, windows["autumn"])
    after = windows["autumn"].closes + dt.timedelta(days=2)
    sent = calendar.send_notices(world.trust, today=after)
    assert sent == {"reminder": 0, "late": 2}
    assert sorted(m.to[0] for m in mail.outbox) == ["data@alderbrook.test", "head@alderbrook.test"]
    message = mail.outbox[0]
    assert message.subject == "Late data: Year 9 maths at Alderbrook Academy"
    assert "1 result(s) still missing" in message.body
    assert calendar.send_notices(world.trust, today=after + dt.timedelta(days=1)) == {
        "reminder": 0,
        "late": 0,
    }
    assert len(mail.outbox) == 2
    notices = Notice.objects.unscoped().filter(point=point, kind="late")
    assert notices.count() == 2 and {n.missing for n in notices} == {1}


def test_reminder_before_the_deadline_then_nothing_when_complete(world, windows, recipients):
    point = _point(world, windows["autumn"], remind_days=5)
    closes = windows["autumn"].closes
    assert calendar.send_notices(world.trust, today=closes - dt.timedelta(days=6))["reminder"] == 0
    assert calendar.send_notices(world.trust, today=closes - dt.timedelta(days=5))["reminder"] == 2
    assert mail.outbox[0].subject == "Reminder: Year 9 maths due 13 December 2024"
    # B has no recipients with an address; a point only for primaries concerns nobody here.
    point.phase = "primary"
    point.save()
    assert calendar.send_notices(world.trust, today=closes + dt.timedelta(days=1))["late"] == 0


def test_cli_remind_sends_once(world, windows, recipients):
    from typer.testing import CliRunner

    from trustlens.cli import build_app

    _point(world, windows["autumn"])
    args = ["calendar", "remind", "--trust", "riverside", "--today", "2024-12-20"]
    first = CliRunner().invoke(build_app(), args)
    assert first.exit_code == 0, first.output
    assert "Sent 0 reminder(s) and 2 late-data alert(s)." in first.output
    again = CliRunner().invoke(build_app(), args)
    assert "Sent 0 reminder(s) and 0 late-data alert(s)." in again.output
    assert len(mail.outbox) == 2


def test_pages_for_every_role_with_demo_points(
    world, windows, client_for, trustee_user, teacher_a, head_a, datamanager_a
):
    from trustlens.assessment.demo import seed

    assert seed("riverside", 1, dt.date(2024, 12, 1))["assessment points"] == 18
    assert seed("riverside", 1, dt.date(2024, 12, 1)) == {}
    for user in (trustee_user, teacher_a, head_a, datamanager_a):
        client = client_for(user)
        for name in ("calendar", "timeline", "completeness", "feed_settings"):
            response = client.get(reverse(f"assessment:{name}"), {"month": "2024-12"})
            assert response.status_code == 200, (user, name)
            assert "None" not in response.content.decode().replace("NoneType", "")

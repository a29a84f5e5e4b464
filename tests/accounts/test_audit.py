"""Audit everywhere pupil data is shown or leaves, and the data protection officer's audit page.

Each place that shows or hands out pupil-level data writes one audit row (never one per pupil for
a list) under the right trust; sign-ins, failed sign-ins and sign-outs are rows too; the DPO of a
trust reads, filters, pages and exports (CSV, formulas neutralised) only their own trust's rows,
and their reading is itself audited; every other role is refused.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trustlens.core.audit import log_pupil_access, record_pupil_read
from trustlens.core.models import AuditEvent
from trustlens.imports.choices import ImportStatus
from trustlens.imports.models import ImportRun
from trustlens.people.factories import UserFactory
from trustlens.pupils.models import TeachingGroup
from trustlens.pupils.services import erase_pupil
from trustlens.quality.factories import ActivityFactory, EvidenceFactory

pytestmark = pytest.mark.django_db
Action = AuditEvent.Action
PASSWORD = "correct horse battery staple"


def newest(**where) -> AuditEvent:
    return AuditEvent.objects.filter(**where).latest("pk")


# --- audit calls where pupil data is shown or leaves -----------------------------------------


def test_pupil_list_writes_one_row_per_page_with_count_not_one_per_pupil(
    world, client_for, exec_user
):
    before = AuditEvent.objects.count()
    url = reverse("pupils:list") + f"?academy={world.academy_a.urn}"
    assert client_for(exec_user).get(url).status_code == 200
    rows = AuditEvent.objects.filter(pk__gt=0).order_by("pk")[before:]
    lists = [r for r in rows if r.object_type == "pupils.list"]
    assert len(lists) == 1 and not [r for r in rows if r.object_type == "pupils.pupil"]
    row = lists[0]
    assert row.action == Action.VIEW_PUPIL and row.user == exec_user
    assert row.academy_id == world.academy_a.pk and row.trust_id == world.trust.pk
    assert row.changes["count"] == 2 and row.changes["filters"] == {"academy": "141001"}
    assert "Alderbrook Academy" in row.summary


def test_pupil_page_and_class_page_rows_carry_academy_and_trust(world, client_for, exec_user):
    client = client_for(exec_user)
    pupil = world.pupils["B"][0]
    assert client.get(reverse("pupils:detail", args=[pupil.pupil_id])).status_code == 200
    row = newest(object_type="pupils.pupil")
    assert (row.object_id, row.trust_id, row.academy_id) == (
        str(pupil.pk),
        world.trust.pk,
        world.academy_b.pk,
    )
    group = TeachingGroup.objects.unscoped().get(academy=world.academy_b)
    url = reverse("dashboards:class", args=[world.academy_b.urn, group.pk])
    assert client.get(url).status_code == 200
    row = newest(object_type="pupils.teachinggroup")
    assert row.academy_id == world.academy_b.pk and row.trust_id == world.trust.pk


def test_import_report_view_and_download_are_audited(world, client_for, exec_user):
    run = ImportRun.objects.unscoped().create(
        trust=world.trust, status=ImportStatus.FAILED, created_by=exec_user, report={}
    )
    client = client_for(exec_user)
    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 200
    viewed = newest(object_type="imports.importrun")
    assert viewed.action == Action.VIEW_PUPIL and viewed.changes["import_id"] == run.pk
    assert client.get(reverse("imports:report", args=[run.pk])).status_code == 200
    downloaded = newest(object_type="imports.importrun")
    assert downloaded.pk > viewed.pk and downloaded.action == Action.EXPORT
    assert downloaded.trust_id == world.trust.pk


def test_evidence_download_is_audited(world, client_for, head_a, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    activity = ActivityFactory(academy=world.academy_a)
    evidence = EvidenceFactory(activity=activity, title="Book look")
    evidence.file.save("book-look.txt", ContentFile(b"work samples"), save=True)
    response = client_for(head_a).get(reverse("quality:evidence_download", args=[evidence.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == b"work samples"
    row = newest(object_type="quality.evidence")
    assert row.action == Action.EXPORT and row.changes["evidence_id"] == evidence.pk
    assert (row.academy_id, row.trust_id, row.user) == (world.academy_a.pk, world.trust.pk, head_a)


def test_record_pupil_read_is_one_insert_with_the_given_detail(
    world, exec_user, django_assert_num_queries
):
    """The helper the API calls: one row; trust from the pupil without any lookup."""
    pupil = world.pupils["A"][0]
    with django_assert_num_queries(1):
        row = record_pupil_read(
            exec_user, "API: pupil results", pupil=pupil, academy_id=world.academy_a.pk, via="api"
        )
    assert (row.object_type, row.object_id, row.trust_id) == (
        "pupils.pupil",
        str(pupil.pk),
        world.trust.pk,
    )
    assert row.changes == {"via": "api"} and row.action == Action.VIEW_PUPIL
    listed = record_pupil_read(
        exec_user, "API: results list", count=40, academy_id=world.academy_b.pk
    )
    assert listed.changes == {"count": 40} and listed.trust_id == world.trust.pk
    assert listed.object_id == ""


# --- sign-ins --------------------------------------------------------------------------------


def test_sign_in_failed_sign_in_and_sign_out_are_rows_under_the_users_trust(world, exec_user):
    exec_user.set_password(PASSWORD)
    exec_user.save()
    client = Client()
    client.post(reverse("login"), {"username": exec_user.username, "password": "wrong one"})
    failed = newest(action=Action.LOGIN_FAILED)
    assert failed.user == exec_user and failed.trust_id == world.trust.pk
    assert failed.changes["address"] == "127.0.0.1"
    client.post(reverse("login"), {"username": exec_user.username, "password": PASSWORD})
    assert newest(action=Action.LOGIN).trust_id == world.trust.pk
    client.post(reverse("logout"))
    assert newest(action=Action.LOGOUT).user == exec_user


def test_sign_ins_refused_by_the_lockout_are_audited_too(world, exec_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    client = Client()
    for _ in range(3):
        client.post(reverse("login"), {"username": exec_user.username, "password": "wrong one"})
    refused = client.post(reverse("login"), {"username": exec_user.username, "password": PASSWORD})
    assert refused.status_code == 429
    failed = AuditEvent.objects.filter(action=Action.LOGIN_FAILED, user=exec_user)
    assert failed.count() == 4 and not AuditEvent.objects.filter(action=Action.LOGIN).exists()


def test_failed_sign_in_of_an_unknown_name_belongs_to_no_trust(world):
    Client().post(reverse("login"), {"username": "=nobody", "password": "x" * 12})
    row = newest(action=Action.LOGIN_FAILED)
    assert row.user is None and row.trust_id is None and row.changes["username"] == "=nobody"


# --- the DPO's audit page --------------------------------------------------------------------


@pytest.fixture
def trail(world, exec_user, head_a, exec_x):
    """Audit rows in both trusts: pupil pages, a list, an export."""
    a, b, x = world.pupils["A"][0], world.pupils["B"][0], world.pupils["X"][0]
    log_pupil_access(head_a, a, world.academy_a.pk, f"viewed the pupil page of {a.pupil_id}")
    log_pupil_access(exec_user, b, world.academy_b.pk, f"viewed the pupil page of {b.pupil_id}")
    record_pupil_read(exec_user, '=HYPERLINK("http://x")', academy_id=world.academy_b.pk, count=2)
    log_pupil_access(exec_x, x, world.academy_x.pk, f"viewed the pupil page of {x.pupil_id}")
    return {"a": a, "b": b, "x": x}


def page_text(client, **params) -> str:
    response = client.get(reverse("accounts:audit"), params)
    assert response.status_code == 200
    return response.content.decode()


def test_only_the_dpo_opens_the_audit_pages(
    world, client_for, exec_user, head_a, trustee_user, dpo_user
):
    for user in (exec_user, head_a, trustee_user):
        client = client_for(user)
        for name in ("accounts:audit", "accounts:audit_export", "accounts:subject_access"):
            assert client.get(reverse(name)).status_code == 403, (user, name)
    assert client_for(dpo_user).get(reverse("accounts:audit")).status_code == 200


def test_dpo_sees_own_trust_rows_only(world, trail, client_for, dpo_user, dpo_x):
    mine = page_text(client_for(dpo_user))
    assert trail["a"].pupil_id in mine and trail["b"].pupil_id in mine
    assert trail["x"].pupil_id not in mine and "Xenon Ridge" not in mine
    theirs = page_text(client_for(dpo_x))
    assert trail["x"].pupil_id in theirs
    assert trail["a"].pupil_id not in theirs and "Alderbrook" not in theirs
    assert "Bramblewood" not in theirs


def test_filters_by_user_pupil_academy_and_date(world, trail, client_for, dpo_user, head_a):
    client = client_for(dpo_user)
    by_user = page_text(client, user=head_a.pk)
    assert trail["a"].pupil_id in by_user and trail["b"].pupil_id not in by_user
    by_pupil = page_text(client, pupil=trail["b"].pupil_id)
    assert "1 audit row," in by_pupil and trail["a"].pupil_id not in by_pupil
    by_academy = page_text(client, academy=world.academy_b.pk)
    assert "2 audit rows" in by_academy and trail["a"].pupil_id not in by_academy
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    assert "No audit rows match" in page_text(client, date_from=tomorrow.isoformat())
    bad = page_text(client, date_from=tomorrow.isoformat(), date_to="2020-01-01")
    assert "The end date is before the start date." in bad


def test_pupil_filter_finds_an_erased_pupils_rows_by_hash(
    world, trail, client_for, dpo_user, settings, tmp_path
):
    settings.STORE_DIR = tmp_path / "store"
    settings.DATA_DIR = tmp_path
    pupil_id = trail["a"].pupil_id
    erase_pupil("riverside", pupil_id, "parent's request")
    text = page_text(client_for(dpo_user), pupil=pupil_id)
    assert "erased pupil" in text and "2 audit rows" in text  # the page view and the erasure
    table = text[text.index("<tbody>") : text.index("</tbody>")]
    assert pupil_id not in table and trail["a"].surname not in table


def test_pages_and_viewing_is_itself_audited(world, client_for, dpo_user, exec_user):
    pupil = world.pupils["A"][0]
    for n in range(55):
        log_pupil_access(exec_user, pupil, world.academy_a.pk, f"view {n}")
    client = client_for(dpo_user)
    first = page_text(client, academy=world.academy_a.pk)
    assert "page 1 of 2" in first and "Next page" in first
    seen = newest(action=Action.VIEW_AUDIT)
    assert seen.user == dpo_user and seen.trust_id == world.trust.pk
    assert seen.changes["count"] == 50 and seen.changes["filters"] == {
        "academy": str(world.academy_a.pk)
    }
    second = page_text(client, academy=world.academy_a.pk, page=2)
    assert "page 2 of 2" in second and "view 0" in second and "view 54" not in second


def test_csv_export_neutralises_formulas_and_is_audited(world, trail, client_for, dpo_user):
    response = client_for(dpo_user).get(reverse("accounts:audit_export"))
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    whats = [r["what"] for r in rows]
    assert '\'=HYPERLINK("http://x")' in whats and '=HYPERLINK("http://x")' not in whats
    assert {r["pupil"] for r in rows} >= {trail["a"].pupil_id, trail["b"].pupil_id}
    assert trail["x"].pupil_id not in response.content.decode()
    exported = newest(action=Action.EXPORT, object_type="core.auditevent")
    assert exported.user == dpo_user and exported.changes["count"] == len(rows)


def test_subject_access_download_holds_the_pupil_and_is_audited(
    world, client_for, dpo_user, settings, tmp_path
):
    settings.STORE_DIR = tmp_path / "store"
    pupil = world.pupils["A"][1]
    client = client_for(dpo_user)
    response = client.post(
        reverse("accounts:subject_access"),
        {"sar-pupil": pupil.pupil_id, "sar-trust": world.trust.pk},
    )
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    held = json.loads(response.content)
    assert held["pupil_id"] == pupil.pupil_id
    assert held["records"]["pupils.pupil"][0]["fields"]["surname"] == pupil.surname
    row = newest(action=Action.EXPORT, object_type="pupils.pupil")
    assert (row.object_id, row.trust_id, row.user) == (str(pupil.pk), world.trust.pk, dpo_user)


def test_subject_access_refuses_another_trusts_pupil_naming_the_field(world, client_for, dpo_user):
    other = world.pupils["X"][0]
    response = client_for(dpo_user).post(
        reverse("accounts:subject_access"),
        {"sar-pupil": other.pupil_id, "sar-trust": world.trust.pk},
    )
    text = response.content.decode()
    assert response.status_code == 200 and "Pupil id" in text and "No pupil with id" in text
    assert other.surname not in text
    assert not AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(other.pk)).exists()


def test_dpo_of_another_trust_cannot_pick_trust_one_for_subject_access(world, client_for, dpo_x):
    pupil = world.pupils["A"][0]
    response = client_for(dpo_x).post(
        reverse("accounts:subject_access"),
        {"sar-pupil": pupil.pupil_id, "sar-trust": world.trust.pk},
    )
    assert response.status_code == 200 and b"Select a valid choice" in response.content
    assert pupil.surname.encode() not in response.content


def test_the_dpo_may_turn_on_two_factor(client_for, dpo_user):
    assert client_for(dpo_user).get(reverse("two_factor")).status_code == 200


def test_demo_users_include_a_dpo(world):
    from trustlens.people.services import create_demo_users

    rows = create_demo_users("riverside", "a demo password")
    assert ("dpo", "Data protection officer (audit log)", world.trust.name) in rows
    dpo = UserFactory._meta.model.objects.get(username="dpo")
    client = Client()
    client.force_login(dpo)
    assert client.get(reverse("accounts:audit")).status_code == 200
    assert client.get(reverse("pupils:list")).status_code == 403

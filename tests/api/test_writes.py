"""Writes through the API go through the owning apps' services: actions (create, change),
findings (change) and imports (upload -> validation report -> confirm). Each is scoped and
audited as the pages are; bad input is 400 naming the field, and nothing is written."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.api.conftest import token_client
from tests.ingest import builders as b
from trustlens.assessment.models import AssessmentWindow
from trustlens.core.models import AuditEvent
from trustlens.imports.choices import ImportStatus
from trustlens.improvement.factories import ActionFactory
from trustlens.improvement.models import Action
from trustlens.quality.factories import ActivityFactory, FindingFactory
from trustlens.quality.models import Finding

pytestmark = pytest.mark.django_db
DUE = (dt.date.today() + dt.timedelta(days=30)).isoformat()


def new_action(world, key="A", **extra) -> dict:
    academy = {"A": world.academy_a, "B": world.academy_b}[key]
    return {"urn": academy.urn, "title": "Tighten Y9 attendance follow-up", "due_on": DUE, **extra}


def test_a_head_creates_an_action_for_their_academy_audited(world, head_a):
    response = token_client(head_a).post("/api/v1/actions/", new_action(world), format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["urn"] == world.academy_a.urn and body["status"] == "open"
    action = Action.objects.unscoped().get(pk=body["id"])
    assert action.created_by == head_a
    assert AuditEvent.objects.filter(
        user=head_a, action="create", object_type="improvement.action", object_id=str(action.pk)
    ).exists()


def test_nobody_creates_an_action_for_another_academy(world, head_a):
    response = token_client(head_a).post("/api/v1/actions/", new_action(world, "B"), format="json")
    assert response.status_code == 404
    assert not Action.objects.unscoped().exists()


def test_a_teacher_may_not_create_actions(world, teacher_a):
    response = token_client(teacher_a).post("/api/v1/actions/", new_action(world), format="json")
    assert response.status_code == 403
    assert not Action.objects.unscoped().exists()


def test_bad_input_names_the_field_and_writes_nothing(world, head_a):
    client = token_client(head_a)
    response = client.post("/api/v1/actions/", new_action(world, due_on="soon"), format="json")
    assert response.status_code == 400 and "due_on" in response.json()
    response = client.post("/api/v1/actions/", new_action(world, status="maybe"), format="json")
    assert response.status_code == 400 and "status" in response.json()
    assert not Action.objects.unscoped().exists()


def test_changing_an_action_uses_the_service(world, head_a):
    action = ActionFactory(academy=world.academy_a, title="Old title")
    client = token_client(head_a)
    response = client.patch(f"/api/v1/actions/{action.pk}/", {"status": "done"}, format="json")
    assert response.status_code == 200, response.json()
    action.refresh_from_db()
    assert action.status == "done" and action.completed_on == dt.date.today()  # the service's stamp
    event = AuditEvent.objects.get(user=head_a, action="update", object_id=str(action.pk))
    assert event.changes["status"] == ["open", "done"]


def test_another_academys_action_cannot_be_changed(world, head_a):
    theirs = ActionFactory(academy=world.academy_b, title="Theirs")
    response = token_client(head_a).patch(
        f"/api/v1/actions/{theirs.pk}/", {"title": "Mine now"}, format="json"
    )
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.title == "Theirs"


def test_trustees_get_403_for_staff_records(world, trustee_user):
    ActionFactory(academy=world.academy_a)
    client = token_client(trustee_user)
    for path in ("actions", "plans", "support", "qa/activities", "qa/findings"):
        assert client.get(f"/api/v1/{path}/").status_code == 403, path


def test_a_head_changes_a_finding_of_their_academy(world, head_a):
    finding = FindingFactory(activity=ActivityFactory(academy=world.academy_a))
    response = token_client(head_a).patch(
        f"/api/v1/qa/findings/{finding.pk}/", {"kind": "strength", "text": "Calm"}, format="json"
    )
    assert response.status_code == 200, response.json()
    finding.refresh_from_db()
    assert (finding.kind, finding.text) == ("strength", "Calm")
    assert AuditEvent.objects.filter(user=head_a, object_type="quality.finding").exists()


def test_a_finding_elsewhere_is_404_and_unchanged(world, head_a):
    finding = FindingFactory(activity=ActivityFactory(academy=world.academy_b), text="Theirs")
    response = token_client(head_a).patch(
        f"/api/v1/qa/findings/{finding.pk}/", {"text": "Changed"}, format="json"
    )
    assert response.status_code == 404
    assert Finding.objects.unscoped().get(pk=finding.pk).text == "Theirs"


@pytest.fixture
def private_store(settings, tmp_path):
    from trustlens.ingest.store import AnalyticalStore

    settings.STORE_DIR = tmp_path / "store"
    settings.MEDIA_ROOT = tmp_path / "media"
    return AnalyticalStore(settings.STORE_DIR)


def results_file(world, key="A") -> SimpleUploadedFile:
    academy = {"A": world.academy_a, "B": world.academy_b}[key]
    rows = b.results([{"pupil_id": p.pupil_id} for p in world.pupils[key]], academy.urn)
    return SimpleUploadedFile("assessment_results.csv", b.csv_text(rows).encode())


def test_upload_gives_a_report_then_confirm_loads(world, datamanager_a, private_store):
    for row in b.windows():
        AssessmentWindow.objects.create(trust=world.trust, **row)
    client = token_client(datamanager_a)
    made = client.post(
        "/api/v1/imports/",
        {"trust": "riverside", "files": [results_file(world)]},
        format="multipart",
    )
    assert made.status_code == 201, made.json()
    run = made.json()
    assert run["status"] == ImportStatus.READY and run["urns"] == [world.academy_a.urn]
    assert private_store.datasets("riverside") == []  # nothing loaded before confirming
    confirmed = client.post(f"/api/v1/imports/{run['id']}/confirm/")
    assert confirmed.status_code == 200 and confirmed.json()["status"] == ImportStatus.COMMITTED
    assert private_store.polars("riverside", "assessment_results").height == 4
    again = client.post(f"/api/v1/imports/{run['id']}/confirm/")
    assert again.status_code == 400 and "status" in again.json()


def test_rows_of_another_academy_are_reported_and_nothing_loads(
    world, datamanager_a, private_store
):
    made = token_client(datamanager_a).post(
        "/api/v1/imports/",
        {"trust": "riverside", "files": [results_file(world, "B")]},
        format="multipart",
    )
    run = made.json()
    assert made.status_code == 201 and run["status"] == ImportStatus.INVALID
    errors = run["report"]["errors"]
    assert errors and all({"file", "row", "column", "reason"} <= set(e) for e in errors)
    assert any(e["column"] == "urn" for e in errors)
    confirm = token_client(datamanager_a).post(f"/api/v1/imports/{run['id']}/confirm/")
    assert confirm.status_code in (400, 404)
    assert private_store.datasets("riverside") == []


def test_upload_refusals_name_the_field(world, datamanager_a, head_a, private_store):
    client = token_client(datamanager_a)
    pdf = SimpleUploadedFile("results.pdf", b"%PDF")
    wrong = client.post("/api/v1/imports/", {"trust": "riverside", "files": [pdf]})
    assert wrong.status_code == 400 and "files" in wrong.json()
    none = client.post("/api/v1/imports/", {"trust": "riverside"})
    assert none.status_code == 400 and "files" in none.json()
    other = client.post("/api/v1/imports/", {"trust": "hillcrest", "files": [results_file(world)]})
    assert other.status_code == 400 and "trust" in other.json()
    assert token_client(head_a).get("/api/v1/imports/").status_code == 403

"""The web import for data managers: upload, errors or preview, confirm; scoped to their academies."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.ingest import builders as b
from tests.ingest.test_refusals import zip_bytes
from trustlens.assessment.models import AssessmentWindow
from trustlens.imports.choices import ImportStatus
from trustlens.imports.models import ImportRun

pytestmark = pytest.mark.django_db


@pytest.fixture
def calendar(world):
    for row in b.windows():
        AssessmentWindow.objects.create(trust=world.trust, **row)


def results_file(world, keys=("A",), name="assessment_results.csv") -> SimpleUploadedFile:
    rows = []
    for key in keys:
        academy = {"A": world.academy_a, "B": world.academy_b}[key]
        rows += b.results([{"pupil_id": p.pupil_id} for p in world.pupils[key]], academy.urn)
    return SimpleUploadedFile(name, b.csv_text(rows).encode(), content_type="text/csv")


def upload(client, *files):
    return client.post(reverse("imports:upload"), {"files": list(files)})


def test_only_importers_see_the_upload_page(world, client_for, datamanager_a, head_a, trustee_user):
    assert client_for(head_a).get(reverse("imports:upload")).status_code == 403
    assert client_for(trustee_user).get(reverse("imports:upload")).status_code == 403
    page = client_for(datamanager_a).get(reverse("imports:upload"))
    assert (
        page.status_code == 200 and b'type="file"' in page.content and b"multiple" in page.content
    )


def test_good_upload_previews_then_confirm_loads(
    world, calendar, client_for, datamanager_a, private_store
):
    client = client_for(datamanager_a)
    response = upload(client, results_file(world))
    run = ImportRun.objects.unscoped().latest("pk")
    assert response.status_code == 302 and response["Location"] == reverse(
        "imports:run", kwargs={"import_id": run.pk}
    )
    assert run.status == ImportStatus.READY and run.created_by == datamanager_a
    page = client.get(response["Location"]).content.decode()
    assert "Check and confirm" in page and "Confirm and import" in page and "A00001" in page
    assert private_store.datasets("riverside") == []  # nothing loaded before confirming
    confirmed = client.post(reverse("imports:confirm", kwargs={"import_id": run.pk}), follow=True)
    assert "Imported" in confirmed.content.decode()
    run.refresh_from_db()
    assert run.status == ImportStatus.COMMITTED and not run.can_confirm
    assert private_store.polars("riverside", "assessment_results").height == 4
    again = client.post(reverse("imports:confirm", kwargs={"import_id": run.pk}), follow=True)
    assert "already been dealt with" in again.content.decode()


def test_rows_for_another_academy_are_errors_and_nothing_loads(
    world, calendar, client_for, datamanager_a, private_store
):
    client = client_for(datamanager_a)
    response = upload(client, results_file(world, ("A", "B")))
    run = ImportRun.objects.unscoped().latest("pk")
    assert run.status == ImportStatus.INVALID
    page = client.get(response["Location"]).content.decode()
    assert "nothing was loaded" in page and "academy outside your scope" in page
    assert "Confirm and import" not in page
    report = json.loads(client.get(reverse("imports:report", kwargs={"import_id": run.pk})).content)
    assert report["total_errors"] == 4 and {e["value"] for e in report["errors"]} == {
        str(world.academy_b.urn)
    }
    assert all(
        e["file"] == "assessment_results.csv" and e["column"] == "urn" for e in report["errors"]
    )
    first_b_row = 2 + 2 * len(world.pupils["A"])  # header is row 1; A's two results per pupil first
    assert [e["row"] for e in report["errors"]] == list(range(first_b_row, first_b_row + 4))
    assert f'<td class="num">{first_b_row}</td>' in page
    assert client.post(reverse("imports:confirm", kwargs={"import_id": run.pk})).status_code == 302
    assert private_store.datasets("riverside") == []


def test_a_data_manager_cannot_see_a_run_touching_another_academy(
    world, calendar, client_for, exec_user, datamanager_a
):
    upload(client_for(exec_user), results_file(world, ("A", "B")))
    run = ImportRun.objects.unscoped().latest("pk")
    assert run.status == ImportStatus.READY
    client = client_for(datamanager_a)
    for name in ("imports:run", "imports:report"):
        assert client.get(reverse(name, kwargs={"import_id": run.pk})).status_code == 404
    assert client.post(reverse("imports:confirm", kwargs={"import_id": run.pk})).status_code == 404
    assert f"Import {run.pk}<" not in client.get(reverse("imports:upload")).content.decode()


def test_only_csv_and_xlsx(world, client_for, datamanager_a):
    response = upload(client_for(datamanager_a), SimpleUploadedFile("results.pdf", b"%PDF"))
    assert (
        response.status_code == 200 and "Only CSV, XLSX and zip files" in response.content.decode()
    )


def test_several_files_in_one_upload(world, client_for, exec_user, private_store):
    windows = SimpleUploadedFile("assessment_windows.csv", b.csv_text(b.windows()).encode())
    response = upload(client_for(exec_user), windows, results_file(world, ("A", "B")))
    run = ImportRun.objects.unscoped().latest("pk")
    assert run.status == ImportStatus.READY, run.report["errors"]
    assert run.datasets == ["assessment_windows", "assessment_results"]
    client_for(exec_user).post(reverse("imports:confirm", kwargs={"import_id": run.pk}))
    assert AssessmentWindow.objects.unscoped().count() == 3
    assert private_store.polars("riverside", "assessment_results").height == 8
    assert response.status_code == 302


# --- bad input that must be refused (issue 12, items 11, 12 and 14) ------------------------


@pytest.mark.parametrize("data", [{}, {"files": []}, {"note": "only a field"}])
def test_a_post_with_no_files_is_a_form_error_and_creates_no_run(
    world, client_for, datamanager_a, data
):
    response = client_for(datamanager_a).post(reverse("imports:upload"), data)
    assert response.status_code == 200
    assert "Choose at least one file to import." in response.content.decode()
    assert not ImportRun.objects.unscoped().exists()


def test_an_empty_file_error_names_the_file(world, client_for, datamanager_a):
    empty = SimpleUploadedFile("pupils.csv", b"", content_type="text/csv")
    response = upload(client_for(datamanager_a), empty)
    page = response.content.decode()
    assert response.status_code == 200 and "pupils.csv: The submitted file is empty." in page
    assert not ImportRun.objects.unscoped().exists()


def test_a_file_named_after_no_dataset_is_refused_naming_its_closest(
    world, client_for, datamanager_a
):
    response = upload(client_for(datamanager_a), results_file(world, name="results.csv"))
    page = response.content.decode()
    assert response.status_code == 200 and "results.csv: the file name matches no dataset" in page
    assert "assessment_results.csv" in page and "Confirm" not in page
    assert not ImportRun.objects.unscoped().exists()


def test_a_header_only_file_is_refused_not_ready_to_confirm(
    world, calendar, client_for, datamanager_a
):
    header = b.csv_text(
        b.results([], world.academy_a.urn), list(b.results([{"pupil_id": "x"}], 1)[0])
    )
    client = client_for(datamanager_a)
    upload(client, SimpleUploadedFile("assessment_results.csv", header.encode()))
    run = ImportRun.objects.unscoped().latest("pk")
    assert run.status == ImportStatus.INVALID and not run.can_confirm
    page = client.get(reverse("imports:run", kwargs={"import_id": run.pk})).content.decode()
    assert "no data rows" in page and "assessment_results.csv" in page
    assert "Every row is valid" not in page and "Confirm and import" not in page


def test_a_zip_of_dataset_files_can_be_uploaded(world, calendar, client_for, datamanager_a):
    rows = b.results([{"pupil_id": p.pupil_id} for p in world.pupils["A"]], world.academy_a.urn)
    data = zip_bytes({"assessment_results.csv": b.csv_text(rows)})
    upload(client_for(datamanager_a), SimpleUploadedFile("export.zip", data))
    run = ImportRun.objects.unscoped().latest("pk")
    assert run.status == ImportStatus.READY and run.datasets == ["assessment_results"]

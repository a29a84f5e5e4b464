"""Hypothesis through the web upload (``imports:upload`` then ``imports:confirm``): a fuzzed CSV or
XLSX never gives a server error, never loads part of itself, and a refused upload says why."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.ingest.fuzz_counts import count, write_counts
from tests.ingest.test_fuzz_importers import bomb, damaged_workbook, table_bytes
from trustlens.imports.choices import ImportStatus
from trustlens.imports.models import ImportRun
from trustlens.ingest import registry

pytestmark = pytest.mark.django_db
DATASETS = ("assessment_results", "attendance", "pupils")


@pytest.fixture(scope="module", autouse=True)
def record_counts():
    yield
    write_counts()


@st.composite
def upload_file(draw) -> SimpleUploadedFile:
    dataset = draw(st.sampled_from(DATASETS))
    if draw(st.booleans()):
        data, _ = draw(table_bytes(registry.spec(dataset).column_names))
        return SimpleUploadedFile(f"{dataset}.csv", data, content_type="text/csv")
    return SimpleUploadedFile(f"{dataset}.xlsx", draw(damaged_workbook(dataset)))


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)
@given(file=upload_file())
def test_a_fuzzed_upload_never_errors_and_never_loads_partially(
    world, client_for, datamanager_a, private_store, file
):
    count("web:upload")
    client = client_for(datamanager_a)
    before = private_store.manifest("riverside")
    last = ImportRun.objects.unscoped().order_by("pk").last()  # earlier examples' runs stay
    response = client.post(reverse("imports:upload"), {"files": [file]})
    assert response.status_code in {200, 302}
    run = ImportRun.objects.unscoped().filter(pk__gt=last.pk if last else 0).order_by("pk").last()
    if run is None or run.status != ImportStatus.READY:
        assert private_store.manifest("riverside") == before
        if run is not None:
            page = client.get(reverse("imports:run", kwargs={"import_id": run.pk}))
            assert page.status_code == 200 and file.name in page.content.decode()
        return
    confirmed = client.post(reverse("imports:confirm", kwargs={"import_id": run.pk}))
    assert confirmed.status_code in {200, 302}
    run.refresh_from_db()
    if run.status != ImportStatus.COMMITTED:
        assert private_store.manifest("riverside") == before


def test_a_zip_bomb_workbook_upload_is_refused_and_loads_nothing(
    world, client_for, datamanager_a, private_store, tmp_path
):
    path = bomb(tmp_path / "assessment_results.xlsx", 2 * 1024**3 + 1024**2)
    client = client_for(datamanager_a)
    upload = SimpleUploadedFile(path.name, path.read_bytes())
    response = client.post(reverse("imports:upload"), {"files": [upload]}, follow=True)
    assert response.status_code == 200 and "would unpack to" in response.content.decode()
    assert ImportRun.objects.unscoped().get().status != ImportStatus.READY
    assert private_store.datasets("riverside") == []

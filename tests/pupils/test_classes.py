"""A class carries its subject and teacher's name from classes.csv to its pages (issue 12, item 10)."""

from __future__ import annotations

import pytest

from tests.ingest import builders as b
from trustlens.imports.services import run_import
from trustlens.ingest.readers import read_bytes
from trustlens.pupils.models import TeachingGroup

pytestmark = pytest.mark.django_db

HEADER = ["class_id", "urn", "academic_year", "name", "subject", "year_group"]


@pytest.fixture(autouse=True)
def private_store(settings, tmp_path):
    settings.STORE_DIR = tmp_path / "store"
    settings.MEDIA_ROOT = tmp_path / "media"


def import_classes(world, rows: list[dict]) -> None:
    text = b.csv_text(rows, list(rows[0]))
    outcome = run_import(read_bytes(text.encode(), "classes.csv"), world.trust.slug)
    assert outcome.report.ok and outcome.report.loaded, outcome.report.as_dict()["errors"]


def class_row(world, **extra) -> dict:
    return {
        "class_id": "A-9Ma1",
        "urn": world.academy_a.urn,
        "academic_year": "2026/27",
        "name": "9Ma1",
        "subject": "maths",
        "year_group": 9,
        **extra,
    }


def test_the_import_carries_the_teachers_name(world):
    import_classes(world, [class_row(world, teacher="Ms A Patel")])
    group = TeachingGroup.objects.unscoped().get(class_id="A-9Ma1")
    assert group.teacher_name == "Ms A Patel" and group.teacher_label == "Ms A Patel"
    assert group.subject_label == "Maths"


def test_a_file_without_the_teacher_column_keeps_the_names_held(world):
    import_classes(world, [class_row(world, teacher="Ms A Patel")])
    import_classes(world, [class_row(world, name="9Ma1", subject="maths")])
    assert TeachingGroup.objects.unscoped().get(class_id="A-9Ma1").teacher_name == "Ms A Patel"


def test_an_assigned_login_is_named_before_the_imported_name(world, teacher_a):
    group = TeachingGroup(name="9F", subject="", teacher=teacher_a, teacher_name="Mr B Imported")
    assert group.teacher_label == teacher_a.get_full_name()
    assert TeachingGroup(name="9F", subject="").subject_label == "All (form class)"


def test_the_class_page_and_academy_table_show_subject_and_teacher(world, client_for, head_a):
    import_classes(world, [class_row(world, teacher="Ms A Patel")])
    group = TeachingGroup.objects.unscoped().get(class_id="A-9Ma1")
    client = client_for(head_a)
    page = client.get(f"/schools/academy/{world.academy_a.urn}/class/{group.pk}/")
    assert page.status_code == 200
    assert "Maths" in page.content.decode() and "Ms A Patel" in page.content.decode()
    academy = client.get(f"/schools/academy/{world.academy_a.urn}/").content.decode()
    assert "<td>Maths</td><td>Ms A Patel</td>" in academy

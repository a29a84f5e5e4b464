"""The pupil page (issue 12 items 1 and 7): results as the store holds them (a missing band or
value reads as NaN) print as numbers or bands, never "nan" or a blank, and the page links
only to pages the user can open."""

from __future__ import annotations

import re

import pyarrow as pa
import pytest

from trustlens.pupils.models import GroupMembership, TeachingGroup
from trustlens.pupils.views import _record_tables, result_text

pytestmark = pytest.mark.django_db


def store_results() -> dict:
    """Rows as ``services.pupil_record`` reads them from parquet (nulls come back as NaN)."""
    table = pa.table(
        {
            "academic_year": ["2023/24"] * 3,
            "term": ["summer", "summer", "spring"],
            "subject": ["Maths", "Writing", "Reading"],
            "year_group": [6, 6, 6],
            "scale": ["scaled", "band", "scaled"],
            "value": pa.array([104.0, None, None], pa.float64()),
            "band": pa.array([None, "EXS", None], pa.string()),
        }
    )
    return {"assessment_results": table.to_pandas()}


def test_results_print_numbers_and_bands():
    rows = _record_tables(store_results())["results"]
    assert [(r["subject"], r["value"]) for r in rows] == [
        ("Maths", "104"),
        ("Writing", "EXS"),
        ("Reading", "–"),
    ]


@pytest.mark.parametrize(
    ("band", "value", "text"),
    [
        (float("nan"), 97.5, "97.5"),
        ("GDS", float("nan"), "GDS"),
        (None, None, "–"),
        ("", -0.01, "0"),
    ],
)
def test_result_text(band, value, text):
    assert result_text(band, value) == text


def _links(body: str) -> list[str]:
    return re.findall(r'href="(/schools/[^"]+)"', body)


def test_head_sees_results_and_only_links_that_open(dash):
    pupil = GroupMembership.objects.unscoped().filter(group=dash.teacher_class).first().pupil
    client = dash.client("head")
    body = client.get(f"/pupils/{pupil.pupil_id}/").content.decode()
    assert "Assessment results" in body and ">nan<" not in body.replace(" ", "")
    assert re.search(r'<td class="num">1[0-9]{2}(\.[0-9])?</td>', body)  # a scaled score
    for url in _links(body):
        assert client.get(url).status_code == 200, url


def test_teacher_sees_no_link_to_another_class(dash):
    """A pupil of the teacher's class who is also in another class: that class is named, not
    linked (its page answers 403 to the teacher)."""
    member = GroupMembership.objects.unscoped().filter(group=dash.teacher_class).first()
    other = TeachingGroup.objects.unscoped().create(
        academy=dash.teacher_class.academy, name="7Y9", academic_year="2023/24", year_group=7
    )
    GroupMembership.objects.unscoped().create(group=other, pupil=member.pupil)
    client = dash.client("teacher")
    body = client.get(f"/pupils/{member.pupil.pupil_id}/").content.decode()
    assert client.get(f"/schools/academy/{other.academy.urn}/class/{other.pk}/").status_code == 403
    assert f"/class/{other.pk}/" not in body
    assert f"/class/{dash.teacher_class.pk}/" in body  # the teacher's own class stays a link
    for url in _links(body):
        assert client.get(url).status_code == 200, url

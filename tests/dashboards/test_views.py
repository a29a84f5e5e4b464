"""Dashboard pages for every role: who gets 200, 403 or 404, what each sees, suppression,
safeguarding for trust roles only, and no pupil name for trustees anywhere."""

from __future__ import annotations

import re

import pytest

from trustlens.core.models import AuditEvent

pytestmark = pytest.mark.django_db

HARBOUR, MILLBROOK, OAKRIDGE, TINY = 190001, 190002, 190003, 190005


def get(dash, role: str, url: str):
    return dash.client(role).get(url)


def test_executive_overview_shows_every_academy_with_n_and_intervals(dash):
    body = get(dash, "exec", "/schools/").content.decode()
    for academy in dash.academies.values():
        assert academy.name in body
    assert "n=" in body and "tl-ci" in body and "Safeguarding referrals" in body
    assert "Red —" in body or "Amber —" in body  # the planted weak academy stands out


def test_headteacher_sees_only_their_academy_and_no_safeguarding(dash):
    body = get(dash, "head", "/schools/").content.decode()
    assert "Harbour Point Academy" in body and "Millbrook Academy" not in body
    assert "Safeguarding referrals" not in body


def test_trustee_overview_is_aggregate_and_suppressed(dash):
    body = get(dash, "trustee", "/schools/").content.decode()
    assert "Aggregates only" in body and dash.surname not in body
    row = re.search(r"Tiny Fen Primary.*?</tr>", body, re.S).group(0)
    assert ">c</abbr>" in row  # its KS2 cohort has 4 pupils
    exec_row = re.search(
        r"Tiny Fen Primary.*?</tr>", get(dash, "exec", "/schools/").content.decode(), re.S
    ).group(0)
    assert ">c</abbr>" not in exec_row


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("exec", 200),
        ("trustee", 200),
        ("regional", 200),
        ("cluster", 404),
        ("head", 404),
        ("teacher", 404),
    ],
)
def test_region_page_only_for_those_who_see_the_whole_region(dash, role, expected):
    region_id = dash.academies[HARBOUR].cluster.region_id
    assert get(dash, role, f"/schools/region/{region_id}/").status_code == expected


@pytest.mark.parametrize(
    ("role", "expected"), [("exec", 200), ("cluster", 200), ("regional", 200), ("head", 404)]
)
def test_cluster_page(dash, role, expected):
    response = get(dash, role, f"/schools/cluster/{dash.academies[HARBOUR].cluster_id}/")
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert (
            "Harbour Point Academy" in body
            and "Millbrook Academy" in body
            and "Oakridge Academy" not in body
        )


def test_other_cluster_is_not_found_for_a_cluster_lead(dash):
    assert (
        get(dash, "cluster", f"/schools/cluster/{dash.academies[OAKRIDGE].cluster_id}/").status_code
        == 404
    )


@pytest.mark.parametrize(
    ("role", "urn", "expected"),
    [
        ("head", HARBOUR, 200),
        ("head", MILLBROOK, 404),
        ("teacher", HARBOUR, 200),
        ("trustee", TINY, 200),
        ("exec", MILLBROOK, 200),
        ("cluster", OAKRIDGE, 404),
    ],
)
def test_academy_page(dash, role, urn, expected):
    response = get(dash, role, f"/schools/academy/{urn}/")
    assert response.status_code == expected
    if expected == 200:
        body = response.content.decode()
        assert "Year groups" in body and "Subjects" in body and "Pupil groups" in body
        assert dash.surname not in body


def test_trustee_academy_page_has_no_class_drilldown(dash):
    body = get(dash, "trustee", f"/schools/academy/{HARBOUR}/").content.decode()
    assert 'id="classes"' not in body and "/class/" not in body


def test_class_page_for_the_teacher_names_pupils_and_is_audited(dash):
    group = dash.teacher_class
    response = get(dash, "teacher", f"/schools/academy/{HARBOUR}/class/{group.pk}/")
    assert response.status_code == 200
    assert dash.surname in response.content.decode()
    assert AuditEvent.objects.filter(
        user=dash.users["teacher"], object_type="pupils.teachinggroup", changes__class_id=group.pk
    ).exists()


def test_class_pages_refuse_everyone_else(dash):
    from trustlens.pupils.models import TeachingGroup

    other = (
        TeachingGroup.objects.unscoped()
        .filter(academy=dash.academies[HARBOUR])
        .exclude(pk=dash.teacher_class.pk)
        .first()
    )
    elsewhere = TeachingGroup.objects.unscoped().filter(academy=dash.academies[MILLBROOK]).first()
    assert get(dash, "teacher", f"/schools/academy/{HARBOUR}/class/{other.pk}/").status_code == 403
    assert (
        get(
            dash, "trustee", f"/schools/academy/{HARBOUR}/class/{dash.teacher_class.pk}/"
        ).status_code
        == 403
    )
    assert get(dash, "head", f"/schools/academy/{HARBOUR}/class/{other.pk}/").status_code == 200
    assert (
        get(dash, "head", f"/schools/academy/{MILLBROOK}/class/{elsewhere.pk}/").status_code == 404
    )
    assert get(dash, "head", f"/schools/academy/{HARBOUR}/class/{elsewhere.pk}/").status_code == 404


def test_funnel_partial_swaps_in_another_measure(dash):
    response = get(dash, "exec", "/schools/funnel/?measure=p8")
    assert response.status_code == 200 and "<svg" in response.content.decode()
    assert "Table of this chart" in response.content.decode()
    assert get(dash, "exec", "/schools/funnel/?measure=nonsense").status_code == 404


def test_every_chart_has_a_table_and_a_summary(dash):
    body = get(dash, "exec", f"/schools/academy/{MILLBROOK}/").content.decode()
    figures = body.count('class="tl-dash-figure"')
    assert figures >= 3
    assert (
        body.count("Table of this chart") == figures
        and body.count('class="tl-dash-summary"') == figures
    )
    assert body.count('role="img"') >= figures


def test_suppression_is_for_pupils_not_for_staff_lessons_or_money(dash):
    from trustlens.dashboards import services

    rows = {
        r["academy"].urn: r["cells"]
        for r in services.overview_context(dash.users["trustee"])["rows"]
    }
    tiny = rows[TINY]
    assert tiny["attainment"][0].symbol == "c"  # a KS2 cohort of 4 pupils
    for column in ("finance_balance", "staff_absence", "cover_share"):
        cell = tiny[column][0]
        assert cell.symbol != "c" and cell.available, column

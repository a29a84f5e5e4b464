"""Inclusion pages and the list of leavers: who sees what (200/403/404), names only for
pupil-level roles of that academy, trustees aggregates only with small groups ``c``, every view
of the list audited, the planted off-rolling academy rated on the funnel with its reason."""

from __future__ import annotations

import re

import pytest

from tests.dashboards.trust_fixture import LEAVER_SURNAME, LEAVERS
from trustlens.core.models import AuditEvent
from trustlens.dashboards.contexts import inclusion
from trustlens.dashboards.inclusion_views import leaver_rows

pytestmark = pytest.mark.django_db

HARBOUR, MILLBROOK, OAKRIDGE, TINY = 190001, 190002, 190003, 190005


def page(dash, role: str, url: str):
    return dash.client(role).get(url)


def _leavers_of(urn: int) -> int:
    return sum(n for u, _y, _d, reason, n in LEAVERS if u == urn and reason != "end_of_phase")


def test_exec_sees_the_trust_page_with_funnel_trend_groups_and_timing(dash):
    body = page(dash, "exec", "/schools/inclusion/").content.decode()
    assert "Inclusion: Seaward Learning Trust" in body
    for text in ("funnel plot", "Table of this chart", "by year", "SEN support", "EHC plan"):
        assert text in body, text
    assert "Looked after" in body and "Low prior attainment" in body
    assert "Year 11, left before the January census" in body
    assert "n=" in body and "tl-ci" in body
    assert LEAVER_SURNAME not in body  # the page itself never names a pupil


def test_the_planted_off_rolling_academy_is_flagged_with_its_reason(dash):
    body = page(dash, "exec", "/schools/inclusion/").content.decode()
    row = re.search(r"Millbrook Academy</a></th>.*?</tr>", body, re.S).group(0)
    assert re.search(r"(Red|Amber) — high", row), row
    assert "above the trust&#x27;s rate beyond the" in row
    harbour = re.search(r"Harbour Point Academy</a></th>.*?</tr>", body, re.S).group(0)
    assert "Green — ok" in harbour


def test_overview_has_an_inclusion_column_rated_with_its_reason(dash):
    body = page(dash, "exec", "/schools/").content.decode()
    assert "Inclusion (unexplained exits)" in body
    assert 'href="/schools/inclusion/"' in body
    row = re.search(r"Millbrook Academy</a>.*?</tr>", body.split('id="academies-context"')[1], re.S)
    assert re.search(r"(Red|Amber) — high", row.group(0))


def test_exec_opens_the_leavers_list_with_names_reasons_and_an_audit_row(dash):
    pupil_rows = AuditEvent.objects.filter(
        user=dash.users["exec"], action="view_pupil", object_type="pupils.pupil"
    )
    before = pupil_rows.count()
    response = page(dash, "exec", f"/schools/academy/{MILLBROOK}/inclusion/leavers/")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.count(LEAVER_SURNAME) == _leavers_of(MILLBROOK)
    assert "Unknown / not recorded" in body and "Elective home education" in body
    assert "15 Nov 2023" in body and "Unexplained exit" in body
    assert pupil_rows.count() - before == _leavers_of(MILLBROOK)
    assert set(pupil_rows.values_list("academy_id", flat=True)) == {dash.academies[MILLBROOK].pk}
    listed = AuditEvent.objects.filter(user=dash.users["exec"], object_type="pupils.enrolment")
    assert listed.filter(summary__contains=f"{MILLBROOK} 2023/24").exists()


def test_an_empty_leavers_list_is_audited_too(dash):
    larkspur = 190004  # no leavers
    response = dash.client("exec").get(f"/schools/academy/{larkspur}/inclusion/leavers/")
    assert response.status_code == 200 and "No pupil left the roll" in response.content.decode()
    found = AuditEvent.objects.filter(user=dash.users["exec"], object_type="pupils.enrolment")
    assert found.filter(summary__contains=f"{larkspur}", summary__endswith="(0 pupils)").exists()


def test_academy_page_links_to_the_leavers_for_pupil_level_roles_only(dash):
    url = f"/schools/academy/{HARBOUR}/inclusion/"
    assert "inclusion/leavers/" in page(dash, "head", url).content.decode()
    assert "inclusion/leavers/" not in page(dash, "trustee", url).content.decode()
    assert (
        f"/schools/academy/{HARBOUR}/inclusion/"
        in page(dash, "head", f"/schools/academy/{HARBOUR}/").content.decode()
    )


@pytest.mark.parametrize(
    ("role", "urn", "expected"),
    [
        ("exec", HARBOUR, 200),
        ("head", HARBOUR, 200),
        ("head", MILLBROOK, 404),
        ("trustee", HARBOUR, 403),
        ("teacher", HARBOUR, 403),
        ("datamanager", MILLBROOK, 404),
    ],
)
def test_leavers_list_answers_by_role(dash, role, urn, expected):
    url = f"/schools/academy/{urn}/inclusion/leavers/"
    assert page(dash, role, url).status_code == expected


@pytest.mark.parametrize(
    ("role", "urn", "expected"),
    [
        ("exec", MILLBROOK, 200),
        ("head", HARBOUR, 200),
        ("head", MILLBROOK, 404),
        ("trustee", TINY, 200),
    ],
)
def test_academy_inclusion_page_answers_by_scope(dash, role, urn, expected):
    assert page(dash, role, f"/schools/academy/{urn}/inclusion/").status_code == expected


def test_head_sees_own_leavers_only(dash):
    body = page(dash, "head", f"/schools/academy/{HARBOUR}/inclusion/leavers/").content.decode()
    assert body.count(LEAVER_SURNAME) == _leavers_of(HARBOUR)
    assert "Moved to another state-funded school" in body and "Left England" in body


def test_trustee_sees_aggregates_only_and_small_groups_withheld(dash):
    body = page(dash, "trustee", f"/schools/academy/{TINY}/inclusion/").content.decode()
    assert "Aggregates only" in body and dash.surname not in body and LEAVER_SURNAME not in body
    assert ">c</abbr>" in body  # Tiny Fen has 20 pupils: its groups fall under the threshold
    exec_body = page(dash, "exec", f"/schools/academy/{TINY}/inclusion/").content.decode()
    groups = exec_body.split('id="inclusion-groups"')[1].split('id="inclusion-charts"')[0]
    assert ">c</abbr>" not in groups


def test_group_cells_under_the_threshold_are_withheld_for_trustees(dash):
    unit = inclusion.Unit("academy", str(TINY), "Tiny Fen Primary")
    academy = dash.academies[TINY]
    shown = inclusion.inclusion_context(dash.users["exec"], unit, dash.trust, [academy])
    hidden = inclusion.inclusion_context(dash.users["trustee"], unit, dash.trust, [academy])
    small = [r for r in shown["groups"] if r["cell"].pupils is not None and r["cell"].pupils < 6]
    assert small and all(not r["cell"].symbol for r in small)
    by_label = {r["label"]: r for r in hidden["groups"]}
    for row in small:
        withheld = by_label[row["label"]]
        assert withheld["cell"].symbol == "c" and withheld["counts"] == ""


@pytest.mark.parametrize(
    ("role", "level", "expected"),
    [
        ("exec", "region", 200),
        ("regional", "region", 200),
        ("head", "region", 404),
        ("cluster", "cluster", 200),
        ("head", "cluster", 404),
        ("trustee", "cluster", 200),
    ],
)
def test_region_and_cluster_inclusion_pages_need_the_whole_unit(dash, role, level, expected):
    cluster = dash.academies[HARBOUR].cluster
    unit_id = cluster.region_id if level == "region" else cluster.pk
    assert page(dash, role, f"/schools/{level}/{unit_id}/inclusion/").status_code == expected


def test_leaver_rows_skip_end_of_phase_and_put_unexplained_first(dash, rf):
    request = rf.get("/")
    request.user = dash.users["exec"]
    rows = leaver_rows(request, dash.academies[MILLBROOK], "2023/24")
    kinds = [r["kind"] for r in rows]
    assert kinds == sorted(kinds, key=lambda k: k != "Unexplained exit")
    assert kinds.count("Unexplained exit") == _leavers_of(MILLBROOK) - 1
    assert leaver_rows(request, dash.academies[MILLBROOK], "2022/23") == []


def test_board_pack_xlsx_has_an_inclusion_sheet_with_numbers_as_numbers(dash):
    import io

    from openpyxl import load_workbook

    response = dash.client("exec").get("/schools/board-pack/?format=xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["inclusion"]
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    value = header.index("Unexplained exits (%)")
    assert header[value + 3] == "Unexplained exits: n (pupils)"
    millbrook = next(r for r in rows if r[0] == "Millbrook Academy")
    expected = inclusion.inclusion_context(
        dash.users["exec"],
        inclusion.Unit("trust", "trust", dash.trust.name),
        dash.trust,
        list(dash.academies.values()),
    )
    cell = next(r for r in expected["rows"] if r["academy"].urn == MILLBROOK)["cells"][0]
    assert isinstance(millbrook[value], float)
    assert millbrook[value] == pytest.approx(round(cell.score, 1))
    assert millbrook[value + 3] == int(cell.pupils)
    assert re.match(r"(Red|Amber) — high", millbrook[3])
    groups = {r[2]: r for r in rows if r[0] == dash.trust.name}
    assert "Year 11, left before the January census" in groups and "SEN support" in groups


def test_board_pack_pdf_has_an_inclusion_page_suppressed(dash):
    from tests.dashboards.pdf_text import pdf_text

    response = dash.client("exec").get("/schools/board-pack/?format=pdf")
    text = pdf_text(response.content)
    assert "Inclusion: Seaward Learning Trust" in text
    assert "Unexplained exits by pupil group and timing" in text
    assert LEAVER_SURNAME not in text and dash.surname not in text


@pytest.mark.parametrize(
    ("flag", "rag", "words"),
    [
        ("high 99.8%", "red", "above the trust's rate beyond the 99.8% funnel limit"),
        ("high 95%", "amber", "above the trust's rate beyond the 95% funnel limit"),
        ("within", "green", "within the funnel limits"),
        ("low 95%", "green", "below the trust's rate beyond the 95% funnel limit"),
    ],
)
def test_exit_rates_are_rated_by_their_funnel_position_in_words(flag, rag, words):
    from trustlens.dashboards.formatting import Cell
    from trustlens.dashboards.rag import rate

    cell = rate(Cell("exits", "2023/24", 6.0, 4.0, 9.0, pupils=300, flag=flag))
    assert cell.rag == rag and words in cell.reason and "n=300 pupils" in cell.reason


def test_no_exit_rating_under_the_suppression_threshold():
    from trustlens.dashboards.formatting import Cell
    from trustlens.dashboards.rag import rate

    cell = rate(Cell("exits", "2023/24", 40.0, 10.0, 80.0, pupils=5, flag="high 99.8%"))
    assert cell.rag == "grey" and cell.flag is None and "too few pupils to rate" in cell.reason


def test_the_trust_page_stays_inside_the_users_trusts(dash):
    body = page(dash, "exec", "/schools/inclusion/?trust=some-other-trust").content.decode()
    assert "Inclusion: Seaward Learning Trust" in body
    assert page(dash, "exec", f"/schools/inclusion/?trust={dash.trust.slug}").status_code == 200

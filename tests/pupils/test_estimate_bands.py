"""KS4 estimate bands (issue 21 item 3) on the pupil and class pages: labelled estimates, never
targets; a teacher sees them for their own class, a trustee never reaches the page, and the
numbers are what ``analytics.measures.targets.ks4_estimates`` computes."""

from __future__ import annotations

import re

import ibis
import pytest

from trustlens.analytics.measures.targets import ks4_estimates
from trustlens.analytics.pupil_estimates import NATIONAL_YEAR
from trustlens.pupils.models import GroupMembership, TeachingGroup

pytestmark = pytest.mark.django_db


def _prior(dash, pupil_ids):
    prior = dash.data.tables["prior_attainment"]
    return prior[prior.pupil_id.isin(pupil_ids)]


def _expected(dash, pupil_ids) -> dict[str, dict]:
    """targets.ks4_estimates itself, on a KS4-shaped table of the pupils' KS2 prior."""
    frame = _prior(dash, pupil_ids)[["pupil_id", "ks2_reading_scaled", "ks2_maths_scaled"]].copy()
    frame["urn"], frame["academic_year"] = 190001, "current"
    for column in ("attainment8", "a8_english", "a8_maths", "a8_ebacc", "a8_open"):
        frame[column] = 0.0
    out = ks4_estimates(ibis.memtable(frame), NATIONAL_YEAR).to_pandas()
    return {r["pupil_id"]: r for r in out.to_dict("records")}


def _rows(body: str) -> list[list[str]]:
    table = body.split("Attainment 8 estimates per pupil", 1)[1].split("</table>", 1)[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)
    ][1:]


def test_teacher_sees_bands_for_their_class_equal_to_targets(dash):
    group = dash.teacher_class
    members = list(GroupMembership.objects.unscoped().filter(group=group).select_related("pupil"))
    response = dash.client("teacher").get(f"/pupils/class/{group.pk}/estimates/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Estimates, never targets." in body
    expected = _expected(dash, [m.pupil.pupil_id for m in members])
    names = {f"{m.pupil.forename} {m.pupil.surname}": m.pupil.pupil_id for m in members}
    rows = _rows(body)
    assert len(rows) == len(members) and len(expected) == len(members)
    for name, group_text, p50, p20, p5 in rows:
        want = expected[names[name]]
        assert int(group_text) == want["pa_group"]
        assert (p50, p20, p5) == tuple(
            f"{want[c]:.1f}" for c in ("estimate_p50", "estimate_p20", "estimate_p5")
        )
        assert float(p50) <= float(p20) <= float(p5)
    mean_p50 = sum(r["estimate_p50"] for r in expected.values()) / len(expected)
    assert f"<dd>{mean_p50:.1f}</dd>" in body


def test_trustee_and_other_teachers_cannot_reach_it(dash):
    group = dash.teacher_class
    assert dash.client("trustee").get(f"/pupils/class/{group.pk}/estimates/").status_code == 403
    other = TeachingGroup.objects.unscoped().create(
        academy=group.academy, name="9Z9", academic_year="2023/24", year_group=9
    )
    assert dash.client("teacher").get(f"/pupils/class/{other.pk}/estimates/").status_code == 403
    elsewhere = TeachingGroup.objects.unscoped().filter(academy=dash.academies[190002]).first()
    assert dash.client("head").get(f"/pupils/class/{elsewhere.pk}/estimates/").status_code == 404


def test_pupil_page_shows_the_pupils_bands(dash):
    member = GroupMembership.objects.unscoped().filter(group=dash.teacher_class).first()
    pupil_id = member.pupil.pupil_id
    body = dash.client("head").get(f"/pupils/{pupil_id}/").content.decode()
    want = _expected(dash, [pupil_id])[pupil_id]
    assert "KS4 estimate bands (estimates, never targets)" in body
    for column in ("estimate_p50", "estimate_p20", "estimate_p5"):
        assert f"<dd>{want[column]:.1f}</dd>" in body


def test_class_page_links_to_the_bands(dash):
    group = dash.teacher_class
    body = (
        dash.client("teacher")
        .get(f"/schools/academy/{group.academy.urn}/class/{group.pk}/")
        .content.decode()
    )
    assert f'href="/pupils/class/{group.pk}/estimates/"' in body

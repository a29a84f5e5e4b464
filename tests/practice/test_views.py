"""Practice pages: scoped (404 for another academy, 403 for roles that may not act), the
survey form's errors, the hidden profile, the analysis refusal and the audited extract."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.practice.conftest import YEAR, doubled_trust, planted_profile, write_store
from trustlens.analytics.practice import AREA_CODES
from trustlens.core.models import AuditEvent
from trustlens.practice.choices import academic_year
from trustlens.practice.factories import DataSharingRecordFactory, PracticeProfileFactory
from trustlens.practice.instrument import CURRENT, instrument
from trustlens.practice.models import PracticeProfile, SurveyResponse

pytestmark = pytest.mark.django_db


def _form(role="teacher", value="4"):
    data = {item.code: value for item in instrument(CURRENT).items_for(role)}
    return data | {"comments": "Good CPD this year"}


def test_index_lists_own_academies_with_survey_links(world, teacher_a, client_for):
    page = client_for(teacher_a).get("/practice/")
    text = page.content.decode()
    assert page.status_code == 200 and world.academy_a.name in text
    assert world.academy_x.name not in text
    assert f"/practice/academies/{world.academy_a.urn}/survey/" in text


def test_survey_post_saves_and_errors_name_the_item(world, teacher_a, client_for):
    client = client_for(teacher_a)
    url = f"/practice/academies/{world.academy_a.urn}/survey/"
    assert client.get(url).status_code == 200
    bad = _form()
    del bad["behaviour_5"]
    page = client.post(url, bad)
    assert page.status_code == 400 and "Choose a point on the 1 to 5 scale" in page.content.decode()
    assert not SurveyResponse.objects.unscoped().exists()
    assert client.post(url, _form()).status_code == 302
    assert SurveyResponse.objects.unscoped().get().comments == "Good CPD this year"
    assert client.get(url).status_code == 302  # already completed


def test_survey_of_another_academy_is_404_and_trustees_403(
    world, teacher_a, trustee_user, client_for
):
    assert (
        client_for(teacher_a).get(f"/practice/academies/{world.academy_b.urn}/survey/").status_code
        == 404
    )
    page = client_for(trustee_user).get(f"/practice/academies/{world.academy_a.urn}/survey/")
    assert page.status_code == 403


def test_profile_hidden_below_five_then_shown(world, head_a, client_for):
    year = academic_year(dt.date.today())
    url = f"/practice/academies/{world.academy_a.urn}/profile/"
    for area in AREA_CODES:
        PracticeProfileFactory(academy=world.academy_a, academic_year=year, area=area,
                               score=3.25, respondents=4)  # fmt: skip
    text = client_for(head_a).get(url).content.decode()
    assert "Not shown yet" in text and "3.25" not in text
    PracticeProfile.objects.unscoped().filter(academy=world.academy_a).update(respondents=5)
    text = client_for(head_a).get(url).content.decode()
    assert "3.25" in text and "Behaviour systems" in text


def test_analysis_refuses_with_few_academies(world, exec_user, client_for, settings, tmp_path):
    settings.STORE_DIR = tmp_path
    tables, effects = doubled_trust(copies=1)
    write_store(tmp_path, world.trust.slug, tables)
    page = client_for(exec_user).get("/practice/analysis/", {"year": YEAR, "outcome": "va"})
    text = page.content.decode()
    assert page.status_code == 200 and "Not enough academies to analyse" in text
    assert "at least 10" in text


def test_analysis_shows_the_forest_plot(world, exec_user, client_for, settings, tmp_path):
    """12 academies of the trust with profiles and store outcomes: the chart and the rows."""
    from trustlens.organisations.factories import AcademyFactory

    settings.STORE_DIR = tmp_path
    tables, effects = doubled_trust(copies=2)
    write_store(tmp_path, world.trust.slug, tables)
    profile = planted_profile(effects)
    for urn in effects:
        academy = AcademyFactory(trust=world.trust, cluster=world.cluster_a, urn=urn)
        for r in profile[profile.urn == urn].to_dict("records"):
            PracticeProfileFactory(academy=academy, academic_year=YEAR, area=r["area"],
                                   score=r["score"], respondents=8)  # fmt: skip
    page = client_for(exec_user).get("/practice/analysis/", {"year": YEAR, "outcome": "va"})
    text = page.content.decode()
    assert page.status_code == 200 and "<svg" in text and "Behaviour systems" in text
    assert "not a cause" in text and "p adjusted" in text


def test_extracts_for_executives_only_and_downloads_audited(
    world, exec_user, head_a, client_for, settings, tmp_path
):
    settings.STORE_DIR = tmp_path
    record = DataSharingRecordFactory(trust=world.trust, academic_year=YEAR)
    PracticeProfileFactory(academy=world.academy_a, academic_year=YEAR, respondents=9)
    assert client_for(head_a).get("/practice/extracts/").status_code == 403
    assert client_for(head_a).get(f"/practice/extracts/{record.pk}/download/").status_code == 403
    client = client_for(exec_user)
    assert record.recipient in client.get("/practice/extracts/").content.decode()
    csv = client.get(f"/practice/extracts/{record.pk}/download/")
    assert csv.status_code == 200 and world.academy_a.name not in csv.content.decode()
    event = AuditEvent.objects.get(action="export", object_type="practice.datasharingrecord")
    assert event.changes["sharing_id"] == record.pk


def test_expired_record_cannot_be_downloaded(world, exec_user, client_for):
    record = DataSharingRecordFactory(trust=world.trust, expires_on=dt.date(2020, 1, 1))
    page = client_for(exec_user).get(f"/practice/extracts/{record.pk}/download/")
    assert page.status_code == 403


def test_sharing_form_names_the_bad_field(world, exec_user, client_for):
    page = client_for(exec_user).post(
        "/practice/extracts/new/",
        {"recipient": "Dr R", "organisation": "Uni", "purpose": "Why",
         "academic_year": "2024-25", "expires_on": "2030-01-01"},
    )  # fmt: skip
    assert page.status_code == 400 and "like &quot;2024/25&quot;" in page.content.decode()
    page = client_for(exec_user).post(
        "/practice/extracts/new/",
        {"recipient": "Dr R", "organisation": "Uni", "purpose": "Why",
         "academic_year": "2024/25", "expires_on": "2030-01-01"},
    )  # fmt: skip
    assert page.status_code == 302

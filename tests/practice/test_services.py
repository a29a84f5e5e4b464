"""Survey, profile, import and data-sharing services: anonymity, one answer each, the
threshold of five, the audit trail, and errors that name the field."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from trustlens.analytics.practice import AREA_CODES
from trustlens.core.models import AuditEvent
from trustlens.ingest.registry import LoadTarget, registrations
from trustlens.ingest.standard import PRACTICE_AREAS, PRACTICE_PROFILE
from trustlens.practice import reports, services
from trustlens.practice.instrument import CURRENT, instrument
from trustlens.practice.models import (
    DataSharingRecord,
    PracticeProfile,
    SurveyCompletion,
    SurveyResponse,
)

YEAR = "2025/26"
pytestmark = pytest.mark.django_db


def answers(role: str = "teacher", value: int = 4) -> dict[str, int]:
    return {item.code: value for item in instrument(CURRENT).items_for(role)}


def test_instrument_covers_the_ten_areas_and_the_data_standard_agrees():
    assert {i.area for i in instrument(CURRENT).items} == set(AREA_CODES)
    assert PRACTICE_AREAS == AREA_CODES
    assert "practice_profile" in {r.spec.name for r in registrations()}


def test_a_response_is_stored_without_the_person(world, teacher_a):
    response = services.submit_response(teacher_a, world.academy_a, answers(), "ok", YEAR)
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not fields & {"user", "created_at", "submitted_at"}
    assert response.role == "teacher" and response.comments == "ok"
    completion = SurveyCompletion.objects.unscoped().get(user=teacher_a)
    audit = AuditEvent.objects.filter(object_type="practice.surveycompletion")
    assert audit.get().object_id == str(completion.pk)
    assert not AuditEvent.objects.filter(object_type="practice.surveyresponse").exists()


def test_nobody_answers_twice(world, teacher_a):
    services.submit_response(teacher_a, world.academy_a, answers(), "", YEAR)
    with pytest.raises(ValidationError, match="already completed"):
        services.submit_response(teacher_a, world.academy_a, answers(), "", YEAR)
    assert SurveyResponse.objects.unscoped().count() == 1


def test_a_missing_or_out_of_range_answer_names_the_item_and_writes_nothing(world, teacher_a):
    given = answers()
    first = next(iter(given))
    given[first] = 7
    missing = list(given)[1]
    del given[missing]
    with pytest.raises(ValidationError) as error:
        services.submit_response(teacher_a, world.academy_a, given, "", YEAR)
    assert "not on the 1 to 5 scale" in str(error.value.message_dict[first])
    assert missing in error.value.message_dict
    assert not SurveyCompletion.objects.unscoped().exists()


def test_trustees_and_staff_of_other_academies_cannot_answer(world, trustee_user, teacher_a):
    with pytest.raises(PermissionDenied):
        services.submit_response(trustee_user, world.academy_a, answers(), "", YEAR)
    with pytest.raises(PermissionDenied):
        services.submit_response(teacher_a, world.academy_b, answers(), "", YEAR)


def test_leaders_answer_the_leader_items(world, head_a):
    assert services.respondent_role(head_a, world.academy_a) == "leader"
    with pytest.raises(ValidationError):
        services.submit_response(head_a, world.academy_a, answers("teacher"), "", YEAR)
    services.submit_response(head_a, world.academy_a, answers("leader"), "", YEAR)


def test_profile_is_the_mean_and_shown_only_from_five(world, staff_a):
    for i, user in enumerate(staff_a[:4]):
        services.submit_response(user, world.academy_a, answers(value=2 + i % 2), "", YEAR)
    profiles = list(PracticeProfile.objects.unscoped().filter(academy=world.academy_a))
    assert len(profiles) == 10 and {p.respondents for p in profiles} == {4}
    assert profiles[0].score == pytest.approx(2.5)
    assert reports.shown_profiles(profiles) == []
    services.submit_response(staff_a[4], world.academy_a, answers(value=5), "", YEAR)
    profiles = list(PracticeProfile.objects.unscoped().filter(academy=world.academy_a))
    assert len(reports.shown_profiles(profiles)) == 10
    assert profiles[0].score == pytest.approx((2 + 3 + 2 + 3 + 5) / 5)


def test_imported_profiles_replace_the_academys_year(world):
    services.rebuild_profile(world.academy_a, YEAR)
    frame = pl.DataFrame(
        {
            "academic_year": [YEAR, YEAR],
            "urn": [world.academy_a.urn, world.academy_b.urn],
            "area": ["behaviour", "pedagogy"],
            "score": [4.2, 2.9],
            "respondents": [12, 3],
        },
        schema=PRACTICE_PROFILE.store_schema(),
    )
    assert services.load_profiles(LoadTarget(world.trust), frame) == 2
    assert services.load_profiles(LoadTarget(world.trust), frame) == 2
    rows = PracticeProfile.objects.unscoped().order_by("area")
    assert [(p.area, p.score, p.source) for p in rows] == [
        ("behaviour", 4.2, "import"),
        ("pedagogy", 2.9, "import"),
    ]
    snapshot = services.profile_frame(world.trust)
    assert snapshot.height == 2 and snapshot.columns == list(PRACTICE_PROFILE.store_schema())


def test_sharing_record_is_audited_and_refused_when_expired(world, exec_user, head_a):
    record = DataSharingRecord(
        trust=world.trust, recipient="Dr R", organisation="Uni", purpose="p",
        academic_year=YEAR, expires_on=dt.date.today() + dt.timedelta(days=30),
    )  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.save_sharing(head_a, record)
    services.save_sharing(exec_user, record)
    assert len(record.salt) == 32 and record.created_by == exec_user
    assert AuditEvent.objects.filter(object_type="practice.datasharingrecord").count() == 1
    old = DataSharingRecord(
        trust=world.trust, recipient="Dr R", organisation="Uni", purpose="p",
        academic_year=YEAR, expires_on=dt.date.today(),
    )  # fmt: skip
    with pytest.raises(ValidationError) as error:
        services.save_sharing(exec_user, old)
    assert "expires_on" in error.value.message_dict


def test_extract_is_pseudonymised_and_suppressed(world, exec_user, settings, tmp_path):
    settings.STORE_DIR = tmp_path
    for urn_academy, n in ((world.academy_a, 6), (world.academy_b, 3)):
        for area in AREA_CODES:
            PracticeProfile.objects.create(
                academy=urn_academy, academic_year=YEAR, area=area, score=3.5,
                respondents=n, source="import",
            )  # fmt: skip
    record = services.save_sharing(
        exec_user,
        DataSharingRecord(
            trust=world.trust, recipient="Dr R", organisation="Uni", purpose="p",
            academic_year=YEAR, expires_on=dt.date.today() + dt.timedelta(days=3),
        ),
    )  # fmt: skip
    frame = reports.extract_rows(record)
    text = frame.to_csv(index=False)
    assert len(frame) == 2
    assert str(world.academy_a.urn) not in text and world.academy_a.name not in text
    by_code = frame.set_index("academy")
    assert by_code.loc[reports.pseudonym(record, world.academy_a.urn), "behaviour_score"] == 3.5
    assert by_code.loc[reports.pseudonym(record, world.academy_b.urn), "behaviour_score"] == "c"


def test_the_data_standard_documents_practice_profile():
    from pathlib import Path

    from trustlens.ingest.docs import render_dataset

    doc = (Path(__file__).parents[2] / "docs" / "data-standard.md").read_text()
    assert render_dataset(PRACTICE_PROFILE) in doc


def test_demo_seeder_is_idempotent_and_deterministic(world, settings, tmp_path):
    from trustlens.practice.demo import seed_demo

    settings.STORE_DIR = tmp_path
    today = dt.date(2025, 11, 1)
    first = seed_demo(world.trust.slug, 3, today)
    answers_seen = sorted(str(r.answers) for r in SurveyResponse.objects.unscoped())
    assert first["survey responses"] >= 2 * 6
    assert seed_demo(world.trust.slug, 3, today) == {"survey responses": 0}
    profiles = PracticeProfile.objects.unscoped().filter(academy__trust=world.trust)
    assert profiles.count() == 20 and min(p.respondents for p in profiles) >= 5
    SurveyResponse.objects.unscoped().all().delete()
    seed_demo(world.trust.slug, 3, today)
    assert sorted(str(r.answers) for r in SurveyResponse.objects.unscoped()) == answers_seen

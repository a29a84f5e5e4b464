"""QA activities (issue 6, build 2): scheduling, who took part (reviewers from other academies),
evidence, findings; the reviewer-access exception; scoping and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.quality import services
from trustlens.quality.choices import ActivityKind, FindingKind, ParticipantRole, ReviewStage
from trustlens.quality.factories import ActivityFactory, FindingFactory, ParticipantFactory
from trustlens.quality.models import Activity, Finding, Participant

pytestmark = pytest.mark.django_db


def test_head_schedules_a_peer_review_of_own_academy(world, head_a):
    activity = services.save_activity(
        head_a,
        Activity(
            academy=world.academy_a,
            kind=ActivityKind.PEER_REVIEW,
            title="Autumn peer review",
            scheduled_on=dt.date.today(),
        ),
    )
    assert activity.review_stage == ReviewStage.SELF_REVIEW
    assert activity.created_by == head_a
    event = AuditEvent.objects.get(object_type="quality.activity", object_id=str(activity.pk))
    assert event.action == AuditEvent.Action.CREATE and event.user == head_a
    assert event.academy_id == world.academy_a.pk


@pytest.mark.parametrize("user_fixture", ["teacher_a", "datamanager_a", "trustee_user", "exec_x"])
def test_only_leaders_schedule(request, world, user_fixture):
    user = request.getfixturevalue(user_fixture)
    with pytest.raises(PermissionDenied):
        services.save_activity(
            user,
            Activity(
                academy=world.academy_a,
                kind=ActivityKind.LEARNING_WALK,
                title="Walk",
                scheduled_on=dt.date.today(),
            ),
        )


def test_head_of_a_cannot_schedule_at_b(world, head_a):
    with pytest.raises(PermissionDenied):
        services.save_activity(
            head_a,
            Activity(
                academy=world.academy_b,
                kind=ActivityKind.LEARNING_WALK,
                title="Walk",
                scheduled_on=dt.date.today(),
            ),
        )


def test_update_is_audited_with_changed_fields(world, head_a, review_a):
    review_a.review_stage = ReviewStage.REVIEW
    services.save_activity(head_a, review_a)
    event = AuditEvent.objects.filter(
        object_type="quality.activity", action=AuditEvent.Action.UPDATE
    ).get()
    assert event.changes["review_stage"] == ["self_review", "review"]


def test_lesson_visits_are_ungraded_unless_the_trust_enables_a_scale(world, head_a):
    visit = Activity(
        academy=world.academy_a,
        kind=ActivityKind.LESSON_VISIT,
        title="Visit",
        scheduled_on=dt.date.today(),
        rating="Strong",
    )
    with pytest.raises(ValidationError):
        services.save_activity(head_a, visit)


def test_lesson_visit_rating_from_the_trusts_scale_once_enabled(world, head_a, exec_user):
    from trustlens.quality import frameworks

    settings = frameworks.settings_for(world.trust.pk)
    settings.rating_enabled = True
    frameworks.save_settings(exec_user, settings)
    visit = services.save_activity(
        head_a,
        Activity(
            academy=world.academy_a,
            kind=ActivityKind.LESSON_VISIT,
            title="Visit",
            scheduled_on=dt.date.today(),
            rating="Secure",
        ),
    )
    assert visit.rating == "Secure"
    walk = Activity(
        academy=world.academy_a,
        kind=ActivityKind.LEARNING_WALK,
        title="Walk",
        scheduled_on=dt.date.today(),
        rating="Secure",
    )
    with pytest.raises(ValidationError):
        services.save_activity(head_a, walk)


def test_reviewers_from_other_academies_take_part_and_record_findings(
    world, head_a, head_b, review_a
):
    added = services.add_participant(
        head_a, review_a, Participant(role=ParticipantRole.LEAD_REVIEWER, user=head_b)
    )
    assert added.home_academy == world.academy_b
    # head of B is outside A's scope, yet reaches the review through the assignment
    assert services.reviewable_activity(head_b, review_a.pk) == review_a
    access = services.access_to(head_b, review_a)
    assert access.review and access.assigned and not access.lead
    finding = services.record_finding(
        head_b, review_a, Finding(kind=FindingKind.STRENGTH, text="Calm corridors.")
    )
    assert finding.recorded_by == head_b
    assert review_a in services.assigned_activities(head_b)


def test_unassigned_head_of_b_gets_404(world, head_b, review_a):
    with pytest.raises(Http404):
        services.reviewable_activity(head_b, review_a.pk)


def test_external_reviewer_without_login_by_name(world, head_a, review_a):
    p = services.add_participant(
        head_a,
        review_a,
        Participant(role=ParticipantRole.REVIEWER, name="Dr Okafor", organisation="Oakfield Trust"),
    )
    assert p.display_name == "Dr Okafor"
    with pytest.raises(ValidationError):
        services.add_participant(head_a, review_a, Participant(role=ParticipantRole.REVIEWER))


def test_a_person_takes_part_once(world, head_a, head_b, review_a):
    services.add_participant(
        head_a, review_a, Participant(role=ParticipantRole.REVIEWER, user=head_b)
    )
    with pytest.raises(ValidationError):
        services.add_participant(
            head_a, review_a, Participant(role=ParticipantRole.REVIEWER, user=head_b)
        )


def test_observer_cannot_record_findings(world, head_a, head_b, review_a):
    services.add_participant(
        head_a, review_a, Participant(role=ParticipantRole.OBSERVER, user=head_b)
    )
    with pytest.raises(PermissionDenied):
        services.record_finding(head_b, review_a, Finding(kind=FindingKind.CONCERN, text="x"))


def test_teacher_sees_calendar_but_not_the_record(world, teacher_a, review_a, client_for):
    client = client_for(teacher_a)
    assert "Peer review of Alderbrook" in client.get(reverse("quality:index")).content.decode()
    assert client.get(reverse("quality:activity_detail", args=[review_a.pk])).status_code == 403


def test_trustee_sees_counts_not_narrative(world, trustee_user, review_a, client_for):
    FindingFactory(activity=review_a, text="Secret narrative finding")
    client = client_for(trustee_user)
    page = client.get(reverse("quality:index")).content.decode()
    assert "Peer review" in page and "Secret narrative finding" not in page
    assert client.get(reverse("quality:activity_detail", args=[review_a.pk])).status_code == 403


def test_academy_b_users_never_see_a_review(world, head_b, review_a, client_for):
    client = client_for(head_b)
    assert "Peer review of Alderbrook" not in client.get(reverse("quality:index")).content.decode()
    assert client.get(reverse("quality:activity_detail", args=[review_a.pk])).status_code == 404


def test_schedule_view_then_detail(world, head_a, client_for):
    client = client_for(head_a)
    assert client.get(reverse("quality:activity_create")).status_code == 200
    response = client.post(
        reverse("quality:activity_create"),
        {
            "academy": world.academy_a.pk,
            "kind": "work_scrutiny",
            "title": "Year 8 books",
            "scheduled_on": dt.date.today().isoformat(),
            "focus": "Feedback",
        },
    )
    activity = Activity.objects.unscoped().get(title="Year 8 books")
    assert response.status_code == 302
    detail = client.get(reverse("quality:activity_detail", args=[activity.pk])).content.decode()
    assert "Year 8 books" in detail and "Record a finding" in detail


def test_schedule_view_refuses_non_leaders(world, teacher_a, client_for):
    assert client_for(teacher_a).get(reverse("quality:activity_create")).status_code == 403


def test_finding_recorded_with_htmx_swaps_the_section(world, head_a, review_a, client_for):
    response = client_for(head_a).post(
        reverse("quality:finding_create", args=[review_a.pk]),
        {"kind": "development", "text": "Maths retrieval is patchy."},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert response.status_code == 200 and "Maths retrieval is patchy." in body
    assert "<html" not in body


def test_participant_and_evidence_views(world, head_a, head_b, review_a, client_for):
    client = client_for(head_a)
    response = client.post(
        reverse("quality:participant_add", args=[review_a.pk]),
        {"role": "reviewer", "person": head_b.pk},
    )
    assert response.status_code == 302
    assert Participant.objects.unscoped().filter(activity=review_a, user=head_b).exists()
    response = client.post(
        reverse("quality:evidence_add", args=[review_a.pk]),
        {"title": "Notes", "note": "Summary of pupil voice"},
    )
    assert response.status_code == 302
    page = client.get(reverse("quality:activity_detail", args=[review_a.pk])).content.decode()
    assert "Notes" in page and "Headb Tester" in page


def test_participant_remove_is_audited(world, head_a, review_a):
    p = ParticipantFactory(activity=review_a)
    services.remove_participant(head_a, p)
    assert AuditEvent.objects.filter(object_type="quality.participant", action="delete").exists()


def test_other_trust_activity_is_404(world, head_a, client_for):
    other = ActivityFactory(academy=world.academy_x, title="Xenon walk")
    assert (
        client_for(head_a).get(reverse("quality:activity_detail", args=[other.pk])).status_code
        == 404
    )

"""Demo workflow seed (trustlens demo-workflow): records for every academy, idempotent,
consistent stage history, written through the services, and scoped in the normal views."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement.demo import PLAN_TITLE, seed_demo
from trustlens.improvement.models import Action, Plan, Priority, StageChange, Support
from trustlens.organisations.models import Academy
from trustlens.quality.models import (
    Activity,
    Finding,
    ModerationSample,
    ModerationSession,
    Participant,
)

pytestmark = pytest.mark.django_db

MODELS = (Activity, Finding, Plan, Priority, Action, Support, StageChange, ModerationSample)


def _counts():
    return {m.__name__: m.objects.unscoped().count() for m in (*MODELS, ModerationSession)}


@pytest.fixture
def staged(world):
    Academy.objects.unscoped().filter(pk=world.academy_a.pk).update(improvement_stage="improve")
    Academy.objects.unscoped().filter(pk=world.academy_b.pk).update(improvement_stage="sustain")
    world.academy_a.refresh_from_db()
    world.academy_b.refresh_from_db()
    return world


def test_seed_creates_records_for_each_academy(staged, exec_user):
    report = seed_demo(staged.trust.slug, seed=1)
    assert report.author == exec_user.username
    for academy in (staged.academy_a, staged.academy_b):
        assert Activity.objects.unscoped().filter(academy=academy, kind="peer_review").exists()
        assert Finding.objects.unscoped().filter(activity__academy=academy).count() >= 3
        assert Plan.objects.unscoped().filter(academy=academy, title=PLAN_TITLE).count() == 1
        assert Priority.objects.unscoped().filter(plan__academy=academy).exclude(rag="").exists()
        actions = Action.objects.unscoped().filter(academy=academy)
        assert actions.filter(status="done").exists()
        assert any(a.is_overdue for a in actions)
        assert actions.filter(finding__isnull=False).exists()
        assert Support.objects.unscoped().filter(academy=academy).exists()
        assert ModerationSample.objects.unscoped().filter(academy=academy).exists()
    # peer reviewers come from the other academy
    review = Activity.objects.unscoped().get(academy=staged.academy_a, kind="peer_review")
    assert set(
        Participant.objects.unscoped()
        .filter(activity=review)
        .values_list("home_academy_id", flat=True)
    ) == {staged.academy_b.pk}
    # nothing for the other trust
    assert not Activity.objects.unscoped().filter(academy=staged.academy_x).exists()
    # written through the services: audit rows by the executive
    assert AuditEvent.objects.filter(user=exec_user, object_type="improvement.action").exists()


def test_stage_history_ends_at_the_academys_stage(staged, exec_user):
    seed_demo(staged.trust.slug, seed=1)
    for academy, path in (
        (staged.academy_a, ["stabilise", "improve"]),
        (staged.academy_b, ["stabilise", "improve", "sustain"]),
    ):
        academy.refresh_from_db()
        changes = list(
            StageChange.objects.unscoped().filter(academy=academy).order_by("changed_on", "pk")
        )
        assert [c.stage for c in changes] == path
        assert [c.previous_stage for c in changes] == ["", *path[:-1]]
        assert academy.improvement_stage == path[-1]


def test_seed_is_idempotent_and_deterministic(staged, exec_user):
    seed_demo(staged.trust.slug, seed=1)
    first = _counts()
    titles = sorted(Action.objects.unscoped().values_list("title", flat=True))
    again = seed_demo(staged.trust.slug, seed=1)
    assert again.created == {}
    assert _counts() == first
    assert sorted(Action.objects.unscoped().values_list("title", flat=True)) == titles


def test_seed_without_users_uses_the_system_actor(staged):
    report = seed_demo(staged.trust.slug, seed=1)
    assert report.author == "system"
    assert Plan.objects.unscoped().filter(academy=staged.academy_a).exists()
    assert AuditEvent.objects.filter(user=None, object_type="improvement.plan").count() == 2
    assert seed_demo(staged.trust.slug, seed=1).created == {}


def test_head_of_a_sees_only_as_records(staged, exec_user, head_a, client_for):
    seed_demo(staged.trust.slug, seed=1)
    client = client_for(head_a)
    name_b = staged.academy_b.name
    own_plan = Plan.objects.unscoped().get(academy=staged.academy_a)
    other_plan = Plan.objects.unscoped().get(academy=staged.academy_b)
    own_action = Action.objects.unscoped().filter(academy=staged.academy_a).first()
    other_action = Action.objects.unscoped().filter(academy=staged.academy_b).first()
    own_review = Activity.objects.unscoped().get(academy=staged.academy_a, kind="peer_review")
    other_review = Activity.objects.unscoped().get(academy=staged.academy_b, kind="peer_review")

    for url in ("quality:index", "improvement:actions", "improvement:ledger", "improvement:index"):
        page = client.get(reverse(url))
        assert page.status_code == 200, url
        text = page.content.decode()
        assert staged.academy_a.name in text or own_action.title in text, url
        # academy B only appears as a provider or reviewer home, never with its own records
        assert f"Peer review: {name_b}" not in text, url
    actions_page = client.get(reverse("improvement:actions")).content.decode()
    assert own_action.title in actions_page
    quality_page = client.get(reverse("quality:index")).content.decode()
    assert own_review.title in quality_page and other_review.title not in quality_page

    assert client.get(reverse("improvement:plan_detail", args=[own_plan.pk])).status_code == 200
    assert client.get(reverse("improvement:plan_detail", args=[other_plan.pk])).status_code == 404
    assert client.get(reverse("improvement:action_detail", args=[own_action.pk])).status_code == 200
    assert (
        client.get(reverse("improvement:action_detail", args=[other_action.pk])).status_code == 404
    )
    assert client.get(reverse("quality:activity_detail", args=[own_review.pk])).status_code == 200
    assert client.get(reverse("quality:activity_detail", args=[other_review.pk])).status_code == 404

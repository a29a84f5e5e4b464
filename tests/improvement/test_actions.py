"""Findings -> actions (issue 6, build 4): owner, due date, status, follow-up, overdue view;
scoping, permissions and audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement import services
from trustlens.improvement.factories import ActionFactory, PlanFactory, PriorityFactory
from trustlens.improvement.models import Action
from trustlens.quality.factories import FindingFactory

pytestmark = pytest.mark.django_db
PAST = dt.date.today() - dt.timedelta(days=10)


def test_finding_becomes_an_action_on_the_plan(world, head_a, review_a, client_for):
    finding = FindingFactory(activity=review_a, text="Maths retrieval practice is inconsistent")
    priority = PriorityFactory(plan=PlanFactory(academy=world.academy_a), title="Maths")
    client = client_for(head_a)
    url = reverse("quality:finding_action", args=[finding.pk])
    assert "Maths retrieval practice" in client.get(url).content.decode()
    response = client.post(
        url,
        {
            "title": "Daily retrieval starters",
            "owner_id": head_a.pk,
            "due_on": "2026-02-01",
            "status": "open",
            "plan_link": f"p{priority.pk}",
        },
    )
    action = Action.objects.unscoped().get(title="Daily retrieval starters")
    assert response.url == reverse("improvement:action_detail", args=[action.pk])
    assert action.finding == finding and action.priority == priority and action.owner == head_a
    plan_page = client.get(
        reverse("improvement:plan_detail", args=[priority.plan_id])
    ).content.decode()
    assert "Daily retrieval starters" in plan_page and "from a QA finding" in plan_page
    assert AuditEvent.objects.filter(
        object_type="improvement.action", action="create", user=head_a
    ).exists()


def test_action_links_must_be_the_same_academys(world, head_a, exec_user):
    other_priority = PriorityFactory(plan=PlanFactory(academy=world.academy_b))
    with pytest.raises(ValidationError):
        services.save_action(
            exec_user,
            Action(academy=world.academy_a, title="x", due_on=PAST, priority=other_priority),
        )
    from trustlens.quality.factories import ActivityFactory

    finding_b = FindingFactory(activity=ActivityFactory(academy=world.academy_b))
    with pytest.raises(ValidationError):
        services.save_action(
            exec_user, Action(academy=world.academy_a, title="x", due_on=PAST, finding=finding_b)
        )


def test_owner_must_work_at_or_above_the_academy(world, head_a, head_b):
    with pytest.raises(ValidationError):
        services.save_action(
            head_a, Action(academy=world.academy_a, title="x", due_on=PAST, owner=head_b)
        )


@pytest.mark.parametrize("user_fixture", ["teacher_a", "trustee_user", "head_b"])
def test_only_leaders_create_actions(request, world, user_fixture):
    with pytest.raises(PermissionDenied):
        services.save_action(
            request.getfixturevalue(user_fixture),
            Action(academy=world.academy_a, title="x", due_on=PAST),
        )


def test_owner_follows_up_and_done_stamps_completion(world, head_a, teacher_a):
    action = services.save_action(
        head_a, Action(academy=world.academy_a, title="Reading audit", due_on=PAST, owner=teacher_a)
    )
    assert action.is_overdue
    services.add_follow_up(teacher_a, action, "Audit half done", "in_progress")
    services.add_follow_up(teacher_a, action, "Finished", "done")
    action.refresh_from_db()
    assert (
        action.status == "done" and action.completed_on == dt.date.today() and not action.is_overdue
    )
    assert (
        AuditEvent.objects.filter(object_type="improvement.followup", user=teacher_a).count() == 2
    )


def test_others_cannot_follow_up(world, head_a, datamanager_a):
    action = ActionFactory(academy=world.academy_a)
    with pytest.raises(PermissionDenied):
        services.add_follow_up(datamanager_a, action, "note", "done")


def test_overdue_view_for_the_trust(world, exec_user, head_a, client_for):
    ActionFactory(academy=world.academy_a, title="Late in A", due_on=PAST)
    ActionFactory(academy=world.academy_b, title="Late in B", due_on=PAST)
    ActionFactory(academy=world.academy_a, title="Done in A", due_on=PAST, status="done")
    ActionFactory(academy=world.academy_a, title="Future in A")
    ActionFactory(academy=world.academy_x, title="Late in X", due_on=PAST)
    page = client_for(exec_user).get(reverse("improvement:overdue")).content.decode()
    assert "Late in A" in page and "Late in B" in page
    assert "Done in A" not in page and "Future in A" not in page and "Late in X" not in page
    head_page = client_for(head_a).get(reverse("improvement:overdue")).content.decode()
    assert (
        "Late in A" in head_page and "Late in B" not in head_page and "Bramblewood" not in head_page
    )


def test_trustee_sees_overdue_counts_only(world, trustee_user, client_for):
    ActionFactory(academy=world.academy_a, title="Late in A", due_on=PAST)
    page = client_for(trustee_user).get(reverse("improvement:overdue")).content.decode()
    assert "Alderbrook Academy" in page and "Late in A" not in page
    assert client_for(trustee_user).get(reverse("improvement:actions")).status_code == 403


def test_action_detail_scoped(world, head_b, teacher_a, exec_x, client_for):
    action = ActionFactory(academy=world.academy_a, title="A's action")
    url = reverse("improvement:action_detail", args=[action.pk])
    assert client_for(teacher_a).get(url).status_code == 200
    assert client_for(head_b).get(url).status_code == 404
    assert client_for(exec_x).get(url).status_code == 404


def test_follow_up_view_by_owner(world, head_a, teacher_a, client_for):
    action = ActionFactory(academy=world.academy_a, owner=teacher_a, title="Owned")
    client = client_for(teacher_a)
    assert (
        "Add a follow-up"
        in client.get(reverse("improvement:action_detail", args=[action.pk])).content.decode()
    )
    assert client.get(reverse("improvement:action_edit", args=[action.pk])).status_code == 403
    client.post(
        reverse("improvement:follow_up", args=[action.pk]),
        {"note": "Started", "status": "in_progress"},
    )
    action.refresh_from_db()
    assert action.status == "in_progress"
    page = client.get(reverse("improvement:action_detail", args=[action.pk])).content.decode()
    assert "Started" in page


def test_action_list_filters(world, head_a, client_for):
    ActionFactory(academy=world.academy_a, title="Mine", owner=head_a)
    ActionFactory(academy=world.academy_a, title="Someone else's")
    page = client_for(head_a).get(reverse("improvement:actions") + "?mine=on").content.decode()
    assert "Mine" in page and "Someone else&#x27;s" not in page


def test_edit_and_delete_views(world, head_a, client_for):
    action = ActionFactory(academy=world.academy_a, title="Old title")
    client = client_for(head_a)
    client.post(
        reverse("improvement:action_edit", args=[action.pk]),
        {
            "title": "New title",
            "due_on": "2026-05-01",
            "status": "open",
            "owner_id": "",
            "plan_link": "",
        },
    )
    action.refresh_from_db()
    assert action.title == "New title"
    client.post(reverse("improvement:action_delete", args=[action.pk]))
    assert not Action.objects.unscoped().filter(pk=action.pk).exists()
    assert AuditEvent.objects.filter(object_type="improvement.action", action="delete").exists()


def test_create_view_links_objective(world, head_a, client_for):
    from trustlens.improvement.factories import ObjectiveFactory

    objective = ObjectiveFactory(
        priority=PriorityFactory(plan=PlanFactory(academy=world.academy_a))
    )
    url = (
        reverse("improvement:action_create", args=[world.academy_a.pk])
        + f"?objective={objective.pk}"
    )
    assert f'value="o{objective.pk}" selected' in client_for(head_a).get(url).content.decode()
    client_for(head_a).post(
        url,
        {
            "title": "Linked",
            "due_on": "2026-05-01",
            "status": "open",
            "plan_link": f"o{objective.pk}",
        },
    )
    action = Action.objects.unscoped().get(title="Linked")
    assert action.objective == objective and action.priority_id == objective.priority_id

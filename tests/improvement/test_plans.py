"""Standard-format improvement plans (issue 6, build 5): priorities -> objectives -> actions ->
milestones -> review points, with RAG; who may write; scoping; audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement import services
from trustlens.improvement.factories import (
    ActionFactory,
    MilestoneFactory,
    ObjectiveFactory,
    PlanFactory,
    PriorityFactory,
)
from trustlens.improvement.models import Plan, PlanReview, Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_a(world):
    plan = PlanFactory(academy=world.academy_a, title="Alderbrook plan")
    priority = PriorityFactory(plan=plan, title="Consistent teaching of reading", rag="amber")
    objective = ObjectiveFactory(priority=priority, title="Every class reads daily")
    MilestoneFactory(
        objective=objective,
        title="Timetable changed",
        due_on=dt.date.today() - dt.timedelta(days=1),
    )
    ActionFactory(
        academy=world.academy_a, priority=priority, objective=objective, title="Buy decodable books"
    )
    return plan


def test_head_writes_the_plan_and_each_change_is_audited(world, head_a):
    plan = services.save_plan(
        head_a, Plan(academy=world.academy_a, title="P", academic_year="2025/26")
    )
    priority = services.save_priority(
        head_a, Priority(plan=plan, theme="attendance", title="Attendance", rag="red")
    )
    priority.rag = "amber"
    services.save_priority(head_a, priority)
    events = AuditEvent.objects.filter(object_type="improvement.priority").order_by("pk")
    assert [e.action for e in events] == ["create", "update"]
    assert events[1].changes["rag"] == ["red", "amber"]
    assert events[1].academy_id is None or events[1].academy_id == world.academy_a.pk


@pytest.mark.parametrize(
    "user_fixture", ["teacher_a", "datamanager_a", "trustee_user", "head_b", "exec_x"]
)
def test_only_leaders_of_the_academy_write(request, world, user_fixture):
    with pytest.raises(PermissionDenied):
        services.save_plan(
            request.getfixturevalue(user_fixture),
            Plan(academy=world.academy_a, title="P", academic_year="2025/26"),
        )


def test_plan_tree(plan_a):
    tree = services.plan_tree(plan_a)
    assert tree[0]["priority"].title == "Consistent teaching of reading"
    objective = tree[0]["objectives"][0]
    assert objective["milestones"][0].missed
    assert [a.title for a in objective["actions"]] == ["Buy decodable books"]


def test_held_review_keeps_each_prioritys_rag(world, head_a, plan_a):
    review = services.save_review(
        head_a,
        PlanReview(
            plan=plan_a, due_on=dt.date.today(), held_on=dt.date.today(), overall_rag="amber"
        ),
    )
    priority = Priority.objects.unscoped().get(plan=plan_a)
    assert review.priority_rags == {str(priority.pk): {"title": priority.title, "rag": "amber"}}
    assert review.reviewed_by == head_a
    priority.rag = "green"
    services.save_priority(head_a, priority)
    review.refresh_from_db()
    assert review.priority_rags[str(priority.pk)]["rag"] == "amber"  # the history does not move


def test_plan_page_for_staff_of_the_academy(world, plan_a, teacher_a, head_a, client_for):
    url = reverse("improvement:plan_detail", args=[plan_a.pk])
    page = client_for(teacher_a).get(url).content.decode()
    assert (
        "Consistent teaching of reading" in page
        and "Amber" in page
        and "Buy decodable books" in page
    )
    assert "Add a priority" not in page
    assert "Add a priority" in client_for(head_a).get(url).content.decode()


def test_plan_hidden_from_b_and_other_trusts(world, plan_a, head_b, exec_x, client_for):
    url = reverse("improvement:plan_detail", args=[plan_a.pk])
    assert client_for(head_b).get(url).status_code == 404
    assert client_for(exec_x).get(url).status_code == 404


def test_trustee_sees_rag_counts_not_the_plan(world, plan_a, trustee_user, client_for):
    client = client_for(trustee_user)
    assert client.get(reverse("improvement:plan_detail", args=[plan_a.pk])).status_code == 403
    index = client.get(reverse("improvement:index")).content.decode()
    assert "Amber: 1" in index and "Consistent teaching of reading" not in index


def test_plan_views_build_the_plan(world, head_a, client_for):
    client = client_for(head_a)
    response = client.post(
        reverse("improvement:plan_create", args=[world.academy_a.pk]),
        {"title": "Our plan", "academic_year": "2025/26", "status": "active"},
    )
    plan = Plan.objects.unscoped().get(title="Our plan")
    assert response.url == reverse("improvement:plan_detail", args=[plan.pk])
    client.post(
        reverse("improvement:priority_add", args=[plan.pk]),
        {"theme": "behaviour", "title": "Calm corridors", "rag": "red", "order": 1},
    )
    priority = Priority.objects.unscoped().get(plan=plan)
    client.post(
        reverse("improvement:objective_add", args=[priority.pk]),
        {"title": "Fewer removals", "rag": "", "order": 1},
    )
    objective = priority.objectives.model.objects.unscoped().get(priority=priority)
    client.post(
        reverse("improvement:milestone_add", args=[objective.pk]),
        {"title": "New policy", "due_on": "2026-03-01"},
    )
    client.post(reverse("improvement:review_add", args=[plan.pk]), {"due_on": "2026-04-01"})
    page = client.get(reverse("improvement:plan_detail", args=[plan.pk])).content.decode()
    for text in ("Calm corridors", "Red", "Fewer removals", "New policy", "1 Apr 2026"):
        assert text in page


def test_bad_academic_year_is_a_form_error(world, head_a, client_for):
    response = client_for(head_a).post(
        reverse("improvement:plan_create", args=[world.academy_a.pk]),
        {"title": "P", "academic_year": "2025/27", "status": "active"},
    )
    assert response.status_code == 400 and "2025/26" in response.content.decode()


def test_leaders_only_pages_refuse_staff(world, plan_a, teacher_a, client_for):
    client = client_for(teacher_a)
    assert client.get(reverse("improvement:plan_edit", args=[plan_a.pk])).status_code == 403
    assert client.get(reverse("improvement:priority_add", args=[plan_a.pk])).status_code == 403
    assert (
        client.get(reverse("improvement:plan_create", args=[world.academy_a.pk])).status_code == 403
    )


def test_delete_priority_is_audited(world, head_a, plan_a, client_for):
    priority = Priority.objects.unscoped().get(plan=plan_a)
    client_for(head_a).post(reverse("improvement:priority_delete", args=[priority.pk]))
    assert not Priority.objects.unscoped().filter(pk=priority.pk).exists()
    assert AuditEvent.objects.filter(object_type="improvement.priority", action="delete").exists()

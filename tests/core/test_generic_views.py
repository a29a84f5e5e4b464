"""The generic scoped create/update/delete views (through the improvement pages that use them)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement.factories import PlanFactory, PriorityFactory
from trustlens.improvement.models import Priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan_a(world):
    return PlanFactory(academy=world.academy_a)


def test_create_saves_through_the_service_with_an_audit_row(world, head_a, plan_a, client_for):
    url = reverse("improvement:priority_add", args=[plan_a.pk])
    page = client_for(head_a).get(url)
    assert page.status_code == 200 and 'value="1"' in page.content.decode()  # initial order
    response = client_for(head_a).post(
        url, {"theme": "attendance", "title": "Attendance first", "order": 1}, follow=True
    )
    priority = Priority.objects.unscoped().get(title="Attendance first")
    assert priority.plan == plan_a and priority.academy_id == world.academy_a.pk
    assert response.redirect_chain[-1][0] == reverse("improvement:plan_detail", args=[plan_a.pk])
    assert "Saved." in response.content.decode()
    event = AuditEvent.objects.get(object_type="improvement.priority", action="create")
    assert event.user == head_a and event.academy_id == world.academy_a.pk


def test_update_shows_form_errors_and_writes_nothing(head_a, plan_a, client_for):
    priority = PriorityFactory(plan=plan_a, title="Before")
    url = reverse("improvement:priority_edit", args=[priority.pk])
    response = client_for(head_a).post(url, {"theme": "", "title": "", "order": 1})
    assert response.status_code == 400 and "There is a problem" in response.content.decode()
    assert Priority.objects.unscoped().get(pk=priority.pk).title == "Before"
    assert not AuditEvent.objects.filter(object_type="improvement.priority").exists()


def test_update_writes_the_changed_fields(head_a, plan_a, client_for):
    priority = PriorityFactory(plan=plan_a, title="Before", theme="attendance")
    url = reverse("improvement:priority_edit", args=[priority.pk])
    client_for(head_a).post(url, {"theme": "attendance", "title": "After", "order": 2})
    event = AuditEvent.objects.get(object_type="improvement.priority", action="update")
    assert event.changes["title"] == ["Before", "After"]


def test_another_academys_record_is_404_and_a_reader_gets_403(
    world, head_a, teacher_a, trustee_user, client_for
):
    theirs = PriorityFactory(plan=PlanFactory(academy=world.academy_b))
    ours = PriorityFactory(plan=PlanFactory(academy=world.academy_a))
    edit = "improvement:priority_edit"
    assert client_for(head_a).get(reverse(edit, args=[theirs.pk])).status_code == 404
    assert client_for(head_a).post(reverse(edit, args=[theirs.pk]), {}).status_code == 404
    assert client_for(teacher_a).get(reverse(edit, args=[ours.pk])).status_code == 403
    assert client_for(trustee_user).get(reverse(edit, args=[ours.pk])).status_code == 403
    add = reverse("improvement:priority_add", args=[theirs.plan_id])
    assert client_for(head_a).post(add, {"title": "x"}).status_code == 404
    assert not AuditEvent.objects.exclude(action=AuditEvent.Action.LOGIN).exists()  # sign-ins


def test_delete_confirms_on_get_and_removes_with_an_audit_row_on_post(head_a, plan_a, client_for):
    priority = PriorityFactory(plan=plan_a, title="Going")
    url = reverse("improvement:priority_delete", args=[priority.pk])
    page = client_for(head_a).get(url).content.decode()
    assert "You are about to remove <strong>Going</strong>" in page
    assert Priority.objects.unscoped().filter(pk=priority.pk).exists()
    response = client_for(head_a).post(url)
    assert response.url == reverse("improvement:plan_detail", args=[plan_a.pk])
    assert not Priority.objects.unscoped().filter(pk=priority.pk).exists()
    event = AuditEvent.objects.get(object_type="improvement.priority", action="delete")
    assert event.object_id == str(priority.pk) and event.user == head_a


def test_a_subclass_may_not_read_around_restrict():
    from trustlens.core.views import ScopedDeleteView

    with pytest.raises(TypeError, match="may not override get_queryset"):

        class Sneaky(ScopedDeleteView):
            def get_queryset(self, model=None):  # pragma: no cover
                return Priority.objects.unscoped()

"""``core.access.can``: one rule for writes, from the facts the people app puts in the Scope."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from trustlens.core.access import allowed_ids, can, require
from trustlens.core.scoping import Scope, scope_of
from trustlens.improvement.factories import PlanFactory, PriorityFactory
from trustlens.quality.factories import FrameworkFactory

pytestmark = pytest.mark.django_db


def test_leaders_change_their_academy_and_nobody_else_does(
    world, head_a, teacher_a, trustee_user, exec_user
):
    a, b = world.academy_a.pk, world.academy_b.pk
    assert can(head_a, "change", a) and not can(head_a, "change", b)
    assert can(exec_user, "change", a) and can(exec_user, "change", b)
    assert not can(teacher_a, "change", a)
    assert not can(trustee_user, "change", a)


def test_oversee_is_for_roles_above_the_academy(world, head_a, cluster_lead_a, exec_user):
    a = world.academy_a.pk
    assert not can(head_a, "oversee", a)
    assert can(cluster_lead_a, "oversee", a) and can(exec_user, "oversee", a)


def test_configure_takes_a_trust_or_a_trust_level_record(world, exec_user, head_a, exec_x):
    framework = FrameworkFactory(trust=world.trust)
    assert can(exec_user, "configure", world.trust.pk)
    assert can(exec_user, "configure", framework)
    assert not can(head_a, "configure", framework)
    assert not can(exec_x, "configure", framework)


def test_records_give_their_academy_along_the_scope_path(world, head_a, head_x_plan):
    priority = PriorityFactory(plan=PlanFactory(academy=world.academy_a))
    assert priority.academy_id == world.academy_a.pk
    assert can(head_a, "change", priority)
    assert not can(head_a, "change", head_x_plan)


def test_view_detail_refuses_aggregate_only_users(world, head_a, trustee_user):
    assert can(head_a, "view_detail", world.academy_a.pk)
    assert not can(trustee_user, "view_detail", world.academy_a.pk)


def test_a_set_of_academies_must_all_be_allowed(world, head_a, exec_user):
    both = {world.academy_a.pk, world.academy_b.pk}
    assert can(exec_user, "manage_pupils", both)
    assert not can(head_a, "manage_pupils", both)
    assert not can(exec_user, "manage_pupils", set())


def test_require_raises_403_with_the_message(world, teacher_a):
    with pytest.raises(PermissionDenied, match="Only leaders"):
        require(teacher_a, "change", world.academy_a.pk)
    with pytest.raises(PermissionDenied, match="custom"):
        require(teacher_a, "change", world.academy_a.pk, "custom")


def test_allowed_ids_never_go_beyond_the_scope_and_unknown_actions_fail(world, head_a):
    # A forged scope that claims leadership outside its academies gets nothing extra.
    forged = Scope(user_id=1, academy_ids=frozenset({1}), lead_academy_ids=frozenset({1, 2}))
    assert allowed_ids(forged, "change") == frozenset({1})
    assert scope_of(head_a).lead_academy_ids == frozenset({world.academy_a.pk})
    with pytest.raises(ValueError):
        allowed_ids(head_a, "delete_everything")


@pytest.fixture
def head_x_plan(world):
    return PlanFactory(academy=world.academy_x)

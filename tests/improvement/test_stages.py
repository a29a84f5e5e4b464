"""Improvement journey (issue 6, build 5): each academy's stage, configurable per trust, and its
history; only roles above the academy move it; every move audited."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.improvement import services
from trustlens.improvement.models import Stage, StageChange
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db


def test_default_journey_until_the_trust_names_its_own(world, exec_user):
    assert [s.code for s in services.stage_options(world.trust.pk)] == [
        "stabilise",
        "improve",
        "sustain",
        "lead",
    ]
    services.adopt_default_stages(exec_user, world.trust.pk)
    stage = Stage.objects.unscoped().get(trust=world.trust, code="improve")
    stage.label = "Securing good"
    services.save_stage(exec_user, stage)
    assert services.stage_label(world.trust.pk, "improve") == "Securing good"
    assert services.stage_options(world.other_trust.pk)[1].label == "Improve"


def test_only_executives_name_stages(world, head_a, cluster_lead_a):
    for user in (head_a, cluster_lead_a):
        with pytest.raises(PermissionDenied):
            services.adopt_default_stages(user, world.trust.pk)


def test_cluster_lead_moves_the_stage_with_history_and_audit(world, cluster_lead_a):
    world.academy_a.improvement_stage = "stabilise"
    Academy.objects.unscoped().filter(pk=world.academy_a.pk).update(improvement_stage="stabilise")
    change = services.change_stage(
        cluster_lead_a, world.academy_a, "improve", dt.date.today(), "Peer review"
    )
    assert change.previous_stage == "stabilise" and change.stage == "improve"
    assert Academy.objects.unscoped().get(pk=world.academy_a.pk).improvement_stage == "improve"
    assert services.stage_history(world.academy_a) == [change]
    audited = AuditEvent.objects.filter(
        object_type="organisations.academy", object_id=str(world.academy_a.pk)
    ).get()
    assert audited.changes["improvement_stage"] == ["stabilise", "improve"]
    assert AuditEvent.objects.filter(
        object_type="improvement.stagechange", user=cluster_lead_a
    ).exists()


def test_headteacher_cannot_move_own_stage(world, head_a):
    with pytest.raises(PermissionDenied):
        services.change_stage(head_a, world.academy_a, "lead", dt.date.today())


def test_cluster_lead_cannot_move_another_clusters_academy(world, cluster_lead_a):
    with pytest.raises(PermissionDenied):
        services.change_stage(cluster_lead_a, world.academy_b, "lead", dt.date.today())


def test_unknown_stage_rejected(world, exec_user):
    with pytest.raises(ValidationError):
        services.change_stage(exec_user, world.academy_a, "coasting", dt.date.today())


def test_stage_in_use_cannot_be_removed(world, exec_user):
    services.adopt_default_stages(exec_user, world.trust.pk)
    services.change_stage(exec_user, world.academy_a, "sustain", dt.date.today())
    with pytest.raises(ValidationError):
        services.delete_stage(
            exec_user, Stage.objects.unscoped().get(trust=world.trust, code="sustain")
        )


def test_duplicate_stage_code_is_a_form_error(world, exec_user, client_for):
    services.adopt_default_stages(exec_user, world.trust.pk)
    response = client_for(exec_user).post(
        reverse("improvement:stage_create"), {"code": "improve", "label": "Again", "order": 9}
    )
    assert response.status_code == 400
    assert Stage.objects.unscoped().filter(trust=world.trust, code="improve").count() == 1


def test_stage_change_view(world, exec_user, head_a, client_for):
    url = reverse("improvement:stage_change", args=[world.academy_a.pk])
    assert client_for(head_a).get(url).status_code == 403
    response = client_for(exec_user).post(
        url, {"stage": "sustain", "changed_on": "2026-01-05", "reason": "Strong review"}
    )
    assert response.status_code == 302
    page = (
        client_for(head_a)
        .get(reverse("improvement:academy", args=[world.academy_a.pk]))
        .content.decode()
    )
    assert "Sustain" in page and "Strong review" in page


def test_trustee_sees_stage_history_without_reasons(world, exec_user, trustee_user, client_for):
    services.change_stage(
        exec_user, world.academy_a, "sustain", dt.date(2026, 1, 5), "Confidential reasoning"
    )
    page = (
        client_for(trustee_user)
        .get(reverse("improvement:academy", args=[world.academy_a.pk]))
        .content.decode()
    )
    assert "Sustain" in page and "Confidential reasoning" not in page


def test_stages_page_and_adopt(world, exec_user, head_a, client_for):
    assert "Stabilise" in client_for(head_a).get(reverse("improvement:stages")).content.decode()
    assert (
        client_for(head_a)
        .post(reverse("improvement:stages_adopt"), {"trust": world.trust.pk})
        .status_code
        == 403
    )
    client_for(exec_user).post(reverse("improvement:stages_adopt"), {"trust": world.trust.pk})
    assert StageChange.objects.unscoped().count() == 0
    assert Stage.objects.unscoped().filter(trust=world.trust).count() == 4

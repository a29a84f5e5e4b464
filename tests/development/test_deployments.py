"""Deployments with backfill: bad input names the field and writes nothing; the ledger and
capacity views count the days; who may deploy."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.development import reports, services
from trustlens.development.choices import NeedStatus
from trustlens.development.factories import DeploymentFactory, NeedFactory
from trustlens.development.models import Deployment, PeopleSettings

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()


def _deployment(staff, to, **changes) -> Deployment:
    values = {
        "staff": staff, "to_academy": to, "purpose": "Maths modelling", "starts_on": TODAY,
        "ends_on": TODAY + dt.timedelta(days=20), "days": Decimal(10),
        "backfill_by": "Cover teacher", "backfill_cost": Decimal(1800), "backfill_paid_by": "receiving",
    }  # fmt: skip
    return Deployment(**(values | changes))


def test_deployment_saved_audited_and_meets_the_need(world, people, exec_user):
    need = NeedFactory(academy=world.academy_a)
    saved = services.save_deployment(
        exec_user, _deployment(people["expert"], world.academy_a, need=need)
    )
    assert saved.from_academy_id == world.academy_b.pk
    assert AuditEvent.objects.filter(object_type="development.deployment", action="create").exists()
    need.refresh_from_db()
    assert need.status == NeedStatus.MET


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"ends_on": TODAY - dt.timedelta(days=1)}, "ends_on", "before the start date"),
        ({"days": Decimal(-2)}, "days", "more than zero"),
        ({"days": Decimal(0)}, "days", "more than zero"),
        ({"backfill_cost": Decimal(-5)}, "backfill_cost", "cannot be negative"),
        ({"backfill_paid_by": ""}, "backfill_paid_by", "who pays"),
    ],
)
def test_bad_deployment_names_the_field_and_writes_nothing(
    world, people, exec_user, changes, field, words
):
    with pytest.raises(ValidationError) as error:
        services.save_deployment(
            exec_user, _deployment(people["expert"], world.academy_a, **changes)
        )
    assert words in " ".join(error.value.message_dict[field])
    assert not Deployment.objects.unscoped().exists()


def test_deployment_to_their_own_academy_is_refused(world, people, exec_user):
    with pytest.raises(ValidationError) as error:
        services.save_deployment(exec_user, _deployment(people["expert"], world.academy_b))
    assert "from one academy to another" in error.value.message_dict["to_academy"][0]
    assert not Deployment.objects.unscoped().exists()


def test_head_of_the_receiving_academy_alone_cannot_deploy_from_another(world, people, head_a):
    with pytest.raises(PermissionDenied):
        services.save_deployment(head_a, _deployment(people["expert"], world.academy_a))
    assert not Deployment.objects.unscoped().exists()


def test_deployment_form_shows_the_errors_and_writes_nothing(world, people, exec_user, client_for):
    response = client_for(exec_user).post(
        reverse("development:deployment_create"),
        {
            "staff": people["expert"].pk, "to_academy": world.academy_b.pk, "purpose": "Maths",
            "starts_on": "2026-03-10", "ends_on": "2026-03-01", "days": "-3", "cost": "0",
            "backfill_cost": "0", "status": "agreed",
        },
    )  # fmt: skip
    assert response.status_code == 400
    body = response.content.decode()
    assert "The end date is before the start date" in body
    assert "Days must be more than zero" in body
    assert "a deployment goes from one academy to another" in body
    assert not Deployment.objects.unscoped().exists()


def test_ledger_counts_days_given_and_received(world, people, exec_user, client_for):
    DeploymentFactory(staff=people["expert"], to_academy=world.academy_a, days=Decimal(10))
    DeploymentFactory(staff=people["sle"], to_academy=world.academy_a, days=Decimal("2.5"))
    DeploymentFactory(
        staff=people["sle"], to_academy=world.academy_a, days=Decimal(4), status="cancelled"
    )
    rows = {
        r.academy.pk: r
        for r in reports.ledger_rows([world.academy_a, world.academy_b], reports.year_of(TODAY))
    }
    assert rows[world.academy_b.pk].given == Decimal("12.5")
    assert rows[world.academy_a.pk].received == Decimal("12.5")
    assert rows[world.academy_a.pk].given == 0
    body = client_for(exec_user).get(reverse("development:ledger")).content.decode()
    assert "12.5" in body and "Sam Accredited" in body


def test_capacity_warns_above_the_trusts_share(world, people, exec_user, client_for):
    # B has two leaders: 2 x 60 = 120 leader days; 30 days given is 25%, above the 20% default
    DeploymentFactory(staff=people["expert"], to_academy=world.academy_a, days=Decimal(30))
    row = {
        r.academy.pk: r for r in reports.capacity_rows([world.academy_b], reports.term_of(TODAY))
    }[world.academy_b.pk]
    assert row.share_percent == Decimal(25) and row.over
    body = client_for(exec_user).get(reverse("development:capacity")).content.decode()
    assert "Over the limit" in body and "25%" in body
    PeopleSettings.objects.create(trust=world.trust, max_give_percent=30)
    row = reports.capacity_rows([world.academy_b], reports.term_of(TODAY))[0]
    assert not row.over


def test_settings_are_for_executives(world, exec_user, head_a, client_for):
    assert client_for(head_a).get(reverse("development:settings")).status_code == 403
    response = client_for(exec_user).post(
        reverse("development:settings"),
        {"max_give_percent": "0", "leader_days_per_term": "60", "stages_not_giving": "stabilise"},
    )
    assert response.status_code == 400 and not PeopleSettings.objects.unscoped().exists()
    client_for(exec_user).post(
        reverse("development:settings"),
        {"max_give_percent": "15", "leader_days_per_term": "60", "stages_not_giving": "stabilise"},
    )
    assert services.settings_for(world.trust.pk).max_give_percent == 15


def test_head_of_a_sees_deployments_into_a_not_into_b(world, people, head_a, client_for):
    into_a = DeploymentFactory(staff=people["expert"], to_academy=world.academy_a)
    other = NeedFactory(academy=world.academy_b)
    into_b = DeploymentFactory(staff=people["novice"], to_academy=world.academy_b, need=other)
    client = client_for(head_a)
    assert client.get(reverse("development:deployment_detail", args=[into_a.pk])).status_code == 200
    assert client.get(reverse("development:deployment_detail", args=[into_b.pk])).status_code == 404


def test_head_of_the_receiving_academy_records_outcome_only(world, people, head_a, client_for):
    deployment = DeploymentFactory(staff=people["expert"], to_academy=world.academy_a)
    client = client_for(head_a)
    assert (
        client.get(reverse("development:deployment_edit", args=[deployment.pk])).status_code == 403
    )
    response = client.post(
        reverse("development:deployment_outcome", args=[deployment.pk]),
        {
            "status": "completed",
            "outcome": "Two teachers model worked examples",
            "impact_review": "",
        },
    )
    assert response.status_code == 302
    deployment.refresh_from_db()
    assert deployment.status == "completed" and deployment.outcome.startswith("Two teachers")
    assert AuditEvent.objects.filter(object_type="development.deployment", action="update").exists()

"""Joint moderation (issue 6, build 3): sessions, samples, submitted vs agreed judgements,
agreement rate by academy and subject over time (with a Wilson interval)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from trustlens.core.models import AuditEvent
from trustlens.quality import moderation
from trustlens.quality.factories import ModerationSampleFactory, ModerationSessionFactory
from trustlens.quality.models import ModerationSample, ModerationSession

pytestmark = pytest.mark.django_db


def test_agreement_rate_with_wilson_interval():
    rate = moderation.agreement_rate(8, 10)
    assert rate.rate == pytest.approx(0.8)
    assert rate.ci_low == pytest.approx(0.490, abs=0.005) and rate.ci_high == pytest.approx(
        0.943, abs=0.005
    )
    assert moderation.agreement_rate(0, 0).rate is None
    with pytest.raises(ValueError):
        moderation.agreement_rate(3, 2)


def test_terms():
    assert moderation.term_of(dt.date(2025, 10, 1)) == ("2025/26", "Autumn")
    assert moderation.term_of(dt.date(2026, 3, 1)) == ("2025/26", "Spring")
    assert moderation.term_of(dt.date(2026, 6, 1)) == ("2025/26", "Summer")


def test_rows_by_academy_subject_and_term(world):
    autumn = ModerationSessionFactory(
        trust=world.trust,
        academies=[world.academy_a, world.academy_b],
        held_on=dt.date(2025, 11, 5),
        subject="Writing",
    )
    spring = ModerationSessionFactory(
        trust=world.trust,
        academies=[world.academy_a],
        held_on=dt.date(2026, 2, 5),
        subject="Writing",
    )
    ModerationSampleFactory(session=autumn, academy=world.academy_a, submitted="GDS", agreed="EXS")
    ModerationSampleFactory(session=autumn, academy=world.academy_a, submitted="EXS", agreed="EXS")
    ModerationSampleFactory(session=autumn, academy=world.academy_b, submitted="EXS", agreed="EXS")
    ModerationSampleFactory(session=spring, academy=world.academy_a, submitted="EXS", agreed="EXS")
    ModerationSampleFactory(session=spring, academy=world.academy_a, submitted="EXS", agreed="")
    rows = moderation.agreement_rows(
        ModerationSample.objects.unscoped().select_related("session", "academy")
    )
    found = {(r.academy.name, r.period): (r.rate.agreed, r.rate.n) for r in rows}
    assert found == {
        ("Alderbrook Academy", "Autumn 2025/26"): (1, 2),
        ("Alderbrook Academy", "Spring 2025/26"): (1, 1),  # the unmoderated sample is ignored
        ("Bramblewood Academy", "Autumn 2025/26"): (1, 1),
    }


def test_session_for_academies_the_user_leads(world, head_a, exec_user):
    session = moderation.save_session(
        exec_user,
        ModerationSession(title="Y6 writing", subject="Writing", held_on=dt.date.today()),
        [world.academy_a, world.academy_b],
    )
    assert moderation.session_academy_ids(session) == {world.academy_a.pk, world.academy_b.pk}
    with pytest.raises(PermissionDenied):
        moderation.save_session(
            head_a,
            ModerationSession(title="x", subject="Writing", held_on=dt.date.today()),
            [world.academy_a, world.academy_b],
        )
    assert AuditEvent.objects.filter(object_type="quality.moderationsession").exists()


def test_samples_checked_against_scale_and_academy(world, head_a):
    session = ModerationSessionFactory(trust=world.trust, academies=[world.academy_a])
    with pytest.raises(ValidationError):
        moderation.save_sample(
            head_a,
            ModerationSample(
                session=session, academy=world.academy_a, reference="A-1", submitted="Excellent"
            ),
        )
    with pytest.raises(ValidationError):
        moderation.save_sample(
            head_a,
            ModerationSample(
                session=session, academy=world.academy_b, reference="B-1", submitted="EXS"
            ),
        )
    sample = moderation.save_sample(
        head_a,
        ModerationSample(
            session=session, academy=world.academy_a, reference="A-1", submitted="exs", agreed="EXS"
        ),
    )
    assert sample.agrees is True


def test_joint_session_shows_only_own_academys_samples(world, head_a, client_for):
    session = ModerationSessionFactory(
        trust=world.trust, academies=[world.academy_a, world.academy_b], title="Joint writing"
    )
    ModerationSampleFactory(session=session, academy=world.academy_a, reference="ALD-01")
    ModerationSampleFactory(session=session, academy=world.academy_b, reference="BRM-01")
    page = (
        client_for(head_a)
        .get(reverse("quality:moderation_detail", args=[session.pk]))
        .content.decode()
    )
    assert "ALD-01" in page and "BRM-01" not in page and "Bramblewood" not in page
    assert "1 other academy" in page


def test_trustee_sees_rates_not_sessions(world, trustee_user, client_for):
    session = ModerationSessionFactory(trust=world.trust, academies=[world.academy_a])
    ModerationSampleFactory(session=session, academy=world.academy_a)
    client = client_for(trustee_user)
    assert "100%" in client.get(reverse("quality:moderation")).content.decode()
    assert client.get(reverse("quality:moderation_detail", args=[session.pk])).status_code == 403


def test_sample_views(world, head_a, client_for):
    session = ModerationSessionFactory(trust=world.trust, academies=[world.academy_a])
    client = client_for(head_a)
    response = client.post(
        reverse("quality:sample_add", args=[session.pk]),
        {"academy": world.academy_a.pk, "reference": "A-07", "submitted": "EXS", "agreed": "WTS"},
    )
    assert response.status_code == 302
    sample = ModerationSample.objects.unscoped().get(reference="A-07")
    assert sample.agrees is False
    assert client.post(reverse("quality:sample_delete", args=[sample.pk])).status_code == 302
    assert not ModerationSample.objects.unscoped().filter(pk=sample.pk).exists()

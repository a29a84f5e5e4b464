"""Joint moderation of assessment: sessions, samples, and the agreement rate.

Agreement rate = samples whose submitted judgement the moderators agreed / samples moderated,
always shown with its n and a Wilson 95% score interval (Wilson 1927; Newcombe 1998, the
interval recommended for small n), computed by ``trustlens.analytics.stats.intervals``.
Rates are grouped by academy, subject and term (autumn Sep-Dec, spring Jan-Apr, summer May-Aug
of the academic year Sep-Aug).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from trustlens.analytics.stats.intervals import wilson_interval
from trustlens.core.access import allowed_ids, can
from trustlens.core.audit import delete_audited, save_audited
from trustlens.organisations.models import Academy
from trustlens.quality.models import ModerationSample, ModerationSession

Through = ModerationSession.academies.through


@dataclass(frozen=True)
class AgreementRate:
    """Agreed / moderated samples with a Wilson 95% interval (fractions 0-1)."""

    agreed: int
    n: int
    rate: float | None
    ci_low: float | None
    ci_high: float | None


def agreement_rate(agreed: int, n: int, level: float = 0.95) -> AgreementRate:
    """The agreement rate and its Wilson score interval; no rate when n is 0."""
    if agreed < 0 or n < 0 or agreed > n:
        raise ValueError("agreed must be between 0 and n")
    if n == 0:
        return AgreementRate(agreed, n, None, None, None)
    low, high = wilson_interval(float(agreed), float(n), level)
    return AgreementRate(agreed, n, agreed / n, float(max(low, 0.0)), float(min(high, 1.0)))


def term_of(day: dt.date) -> tuple[str, str]:
    """(academic year "2025/26", term) of a date; terms approximated by month."""
    start = day.year if day.month >= 9 else day.year - 1
    year = f"{start}/{(start + 1) % 100:02d}"
    term = "Autumn" if day.month >= 9 else ("Spring" if day.month <= 4 else "Summer")
    return year, term


@dataclass(frozen=True)
class AgreementRow:
    academy: Academy
    subject: str
    period: str
    sort_key: tuple
    rate: AgreementRate


def agreement_rows(samples: Iterable[ModerationSample]) -> list[AgreementRow]:
    """Agreement by academy, subject and term for moderated samples (others are ignored)."""
    groups: dict[tuple, list[ModerationSample]] = defaultdict(list)
    for sample in samples:
        if sample.moderated:
            year, term = term_of(sample.session.held_on)
            key = (sample.academy_id, sample.session.subject, year, term)
            groups[key].append(sample)
    rows = []
    for (_, subject, year, term), found in groups.items():
        agreed = sum(1 for s in found if s.agrees)
        term_order = ("Autumn", "Spring", "Summer").index(term)
        rows.append(
            AgreementRow(
                academy=found[0].academy,
                subject=subject,
                period=f"{term} {year}",
                sort_key=(found[0].academy.name, subject, year, term_order),
                rate=agreement_rate(agreed, len(found)),
            )
        )
    return sorted(rows, key=lambda r: r.sort_key)


# --- sessions -------------------------------------------------------------------------------


def can_run_session(user: Any, session: ModerationSession, academy_ids: Iterable[int]) -> bool:
    """Leaders of every academy named in the session may change it."""
    ids = set(academy_ids)
    return bool(ids) and ids <= allowed_ids(user, "change")


def session_academy_ids(session: ModerationSession) -> set[int]:
    if session.pk is None:
        return set()
    return set(
        Through.objects.filter(moderationsession=session).values_list("academy_id", flat=True)
    )


@transaction.atomic
def save_session(
    user: Any, session: ModerationSession, academies: list[Academy]
) -> ModerationSession:
    """Create or update a session with the academies taking part (one trust, all led by the user)."""
    previous = session_academy_ids(session)
    chosen = {a.pk for a in academies}
    if not can_run_session(user, session, chosen | previous):
        raise PermissionDenied("You can only run sessions for academies you lead.")
    trusts = {a.trust_id for a in academies}
    if len(trusts) != 1:
        raise ValidationError({"academies": "Choose academies of one trust."})
    session.trust_id = trusts.pop()
    if session.pk is None:
        session.created_by = user
    extra = {"academies": [sorted(previous), sorted(chosen)]} if previous != chosen else {}
    save_audited(user, session, extra)
    Through.objects.filter(moderationsession=session).exclude(academy_id__in=chosen).delete()
    Through.objects.bulk_create(
        [Through(moderationsession=session, academy_id=i) for i in sorted(chosen - previous)]
    )
    return session


def visible_session_academies(user: Any, session: ModerationSession) -> tuple[list[Academy], int]:
    """The session's academies in the user's scope, and how many others take part."""
    ids = session_academy_ids(session)
    shown = list(Academy.objects.restrict(user).filter(pk__in=ids).order_by("name"))
    return shown, len(ids) - len(shown)


# --- samples --------------------------------------------------------------------------------


def _check_sample(user: Any, sample: ModerationSample) -> None:
    session = sample.session
    if sample.academy_id not in session_academy_ids(session):
        raise ValidationError({"academy": "That academy does not take part in this session."})
    if not can(user, "change", sample.academy_id):
        raise PermissionDenied("Only leaders of the sample's academy can record it.")
    scale = [j.lower() for j in session.scale]
    for field in ("submitted", "agreed"):
        value = getattr(sample, field).strip()
        if value and scale and value.lower() not in scale:
            raise ValidationError({field: f"Use the session's scale: {', '.join(session.scale)}."})


def save_sample(user: Any, sample: ModerationSample) -> ModerationSample:
    if sample.pk:
        stored = ModerationSample.objects.unscoped().get(pk=sample.pk)
        if not can(user, "change", stored.academy_id):
            raise PermissionDenied("Only leaders of the sample's academy can change it.")
    _check_sample(user, sample)
    return save_audited(user, sample)


def delete_sample(user: Any, sample: ModerationSample) -> None:
    if not can(user, "change", sample.academy_id):
        raise PermissionDenied("Only leaders of the sample's academy can delete it.")
    delete_audited(user, sample)

"""Deterministic demo survey responses for a trust (run by ``trustlens demo-workflow``).

For the latest year with assessment results in the store, each academy gets 6-9 anonymous
responses (leaders and teachers) around an academy profile. One association is planted so the
analysis page has something to find: the behaviour area's mean tracks the academy's mean
in-year value added (about +0.8 of a scale point per SD of academy VA); the other areas are
independent noise. An academy that already has responses for the year is left alone.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from trustlens.organisations.models import Academy, Trust
from trustlens.practice import reports, services
from trustlens.practice.choices import RespondentRole, academic_year
from trustlens.practice.instrument import CURRENT, instrument
from trustlens.practice.models import SurveyResponse

PLANTED_AREA = "behaviour"


def _latest_year(trust: Trust, today: dt.date) -> str:
    store, con, held = reports._source(trust)
    if "assessment_results" not in held:
        return academic_year(today)
    table = store.table(con, trust.slug, "assessment_results")
    latest = table.academic_year.max().execute()
    return latest or academic_year(today)


def _va_z(trust: Trust, year: str) -> dict[int, float]:
    """Each academy's mean value added as a z-score across the trust (empty without data)."""
    try:
        sums = reports.outcomes_for(trust, year, "va")
    except Exception:  # noqa: BLE001 - a trust without usable results gets no planted link
        return {}
    if sums is None or sums.empty:
        return {}
    means = sums["s_y"] / sums["n"]
    sd = float(means.std()) or 1.0
    return {int(u): float((m - means.mean()) / sd) for u, m in zip(sums["urn"], means, strict=True)}


def _answers(rng: random.Random, centre: dict[str, float], role: str) -> dict[str, int]:
    items = instrument(CURRENT).items_for(role)
    return {i.code: min(5, max(1, round(rng.gauss(centre[i.area], 0.8)))) for i in items}


def seed_demo(trust_slug: str, seed: int, today: dt.date) -> dict[str, int]:
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    year = _latest_year(trust, today)
    va = _va_z(trust, year)
    created = 0
    for academy in Academy.objects.unscoped().filter(trust=trust).order_by("urn"):
        if SurveyResponse.objects.unscoped().filter(academy=academy, academic_year=year).exists():
            continue
        rng = random.Random(f"practice-{seed}-{academy.urn}")
        created += _seed_academy(academy, year, rng, va.get(academy.urn, 0.0))
    if created:
        services.publish_profiles(trust)
    return {"survey responses": created}


@transaction.atomic
def _seed_academy(academy: Academy, year: str, rng: random.Random, va_z: float) -> int:
    centre = {
        area: min(4.6, max(1.6, rng.gauss(3.4, 0.45)))
        for area in {i.area for i in instrument(CURRENT).items}
    }
    centre[PLANTED_AREA] = min(4.8, max(1.4, 3.4 + 0.8 * va_z + rng.gauss(0, 0.15)))
    n = rng.randint(6, 9)
    for k in range(n):
        role = RespondentRole.LEADER if k < 2 else RespondentRole.TEACHER
        SurveyResponse.objects.create(
            academy=academy,
            academic_year=year,
            instrument_version=CURRENT,
            role=role,
            answers=_answers(rng, centre, role),
        )
    services.rebuild_profile(academy, year)
    return n

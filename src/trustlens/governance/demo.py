"""Demo records of how the trust works (``trustlens demo-workflow``): the matrix's first
versions, one consulted change (assessment in secondaries moves from align to standardise),
an earned-autonomy rule, and two rounds of trust self-evaluation against the shipped framework,
the second a year after the first, so the change chart has something to show.

System writes (the demo seeds a trust before anyone signs in); a trust that already has its
self-evaluation rounds is left alone, so a second run creates nothing.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from trustlens.governance import models as m
from trustlens.governance import selfeval, services
from trustlens.governance.choices import ProposalStatus, Stance
from trustlens.organisations.models import Trust
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant

S, A, X = Stance.STANDARDISE, Stance.ALIGN, Stance.AUTONOMY
#: domain code -> (primary stance, secondary stance, what is fixed)
STARTING_MATRIX = {
    "curriculum": (A, A, "A common curriculum spine in English, maths and science."),
    "assessment": (A, A, "Three assessment windows a year; results in the trust's format."),
    "pedagogy": (A, X, "Checks for understanding before moving on."),
    "behaviour": (S, S, "One behaviour policy and one recording system."),
    "attendance": (S, S, "One attendance system; first-day calling; the 90% threshold."),
    "send": (A, A, "A SENCO in every academy; the trust's graduated approach."),
    "cpd": (A, A, "Five trust-wide training days; an early-career programme."),
    "data": (S, S, "The trust's core data set, submitted in each window."),
    "finance": (S, S, "One finance system; central procurement above £25,000."),
    "hr": (S, S, "Trust pay policy and contracts."),
    "estates": (S, S, "Condition surveys and the trust's capital plan."),
    "it": (S, S, "One identity and device management platform."),
    "safeguarding": (S, S, "One safeguarding policy and recording system; annual audit."),
}
ASSESSMENT_CHANGE = (
    "Common assessments in English, maths and science in every window, on the trust's "
    "calendar, with trust-wide moderation."
)


def seed(trust_slug: str, seed: int, today: dt.date) -> dict[str, int]:
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    framework = selfeval.import_shipped(trust)
    if m.Round.objects.unscoped().filter(framework=framework).exists():
        return {}
    with transaction.atomic():
        created = {"domains": services.ensure_domains(trust)}
        created["versions"] = _first_versions(trust, today)
        created["proposals"] = _consulted_change(trust, today)
        created["rules"] = _rule(trust)
        created["rounds"], created["scores"] = _rounds(framework, random.Random(seed), today)
    return created


def _start_of_year(today: dt.date) -> dt.date:
    year = today.year if today.month >= 9 else today.year - 1
    return dt.date(year - 1, 9, 1)


def _first_versions(trust: Trust, today: dt.date) -> int:
    start = _start_of_year(today)
    made = 0
    for domain in m.Domain.objects.unscoped().filter(trust=trust, code__in=STARTING_MATRIX):
        primary, secondary, fixed = STARTING_MATRIX[domain.code]
        for phase, stance in (("primary", primary), ("secondary", secondary)):
            if services.latest_version(domain, phase) is None:
                m.Version.objects.create(
                    domain=domain,
                    phase=phase,
                    number=1,
                    stance=stance,
                    fixed=fixed,
                    rationale="The trust's starting position.",
                    effective_from=start,
                    adopted_on=start - dt.timedelta(days=60),
                )
                made += 1
    return made


def _people(trust: Trust, role: str):
    grants = RoleGrant.objects.filter(role=role).select_related("user").order_by("user__username")
    if role == Role.TRUST_EXECUTIVE:
        grants = grants.filter(trust=trust)
    else:
        grants = grants.filter(academy__trust=trust)
    return [g.user for g in grants]


def _consulted_change(trust: Trust, today: dt.date) -> int:
    """The assessment change for secondaries, proposed, commented on by a head and adopted."""
    execs = _people(trust, Role.TRUST_EXECUTIVE)
    domain = m.Domain.objects.unscoped().filter(trust=trust, code="assessment").first()
    if not execs or domain is None:
        return 0
    proposal = m.Proposal.objects.create(
        domain=domain,
        phase="secondary",
        stance=Stance.STANDARDISE,
        fixed=ASSESSMENT_CHANGE,
        rationale="Results were not comparable between academies in the spring window.",
        evidence="Moderation found grade boundaries set differently in three academies.",
        impact="Comparable results by the summer; fewer moderation disagreements.",
        effective_from=today - dt.timedelta(days=30),
        proposed_by=execs[0],
    )
    for head in _people(trust, Role.HEADTEACHER)[:1]:
        m.Comment.objects.create(
            proposal=proposal, author=head, body="Agreed, if the windows avoid mock exams."
        )
    services.adopt(execs[0], proposal, "Adopted after consultation.", today - dt.timedelta(days=40))
    return int(
        m.Proposal.objects.unscoped().filter(pk=proposal.pk, status=ProposalStatus.ADOPTED).exists()
    )


def _rule(trust: Trust) -> int:
    domain = m.Domain.objects.unscoped().filter(trust=trust, code="curriculum").first()
    if domain is None:
        return 0
    m.AutonomyRule.objects.create(
        domain=domain,
        phase="secondary",
        min_stage="lead",
        stance=Stance.AUTONOMY,
        note="Lead academies design their own key stage 3 curriculum.",
    )
    return 1


def _rounds(framework: m.Framework, rng: random.Random, today: dt.date) -> tuple[int, int]:
    """Two rounds a year apart; the second scores most items the same or one higher."""
    items = list(m.Item.objects.unscoped().filter(framework=framework))
    first = m.Round.objects.create(
        framework=framework, title="Self-review 1", held_on=today - dt.timedelta(days=365)
    )
    second = m.Round.objects.create(
        framework=framework, title="Self-review 2", held_on=today - dt.timedelta(days=14)
    )
    scores = 0
    for item in items:
        before = rng.choice((1, 2, 2, 3))
        after = min(4, before + rng.choice((0, 1, 1)))
        for round_, value in ((first, before), (second, after)):
            m.ItemScore.objects.create(
                round=round_,
                item=item,
                score=value,
                evidence="Seen in the trust dashboards and QA visits.",
                links="/dashboards/\n/quality/",
                actions="" if value >= 3 else "Include in next year's trust plan.",
            )
            scores += 1
    return 2, scores

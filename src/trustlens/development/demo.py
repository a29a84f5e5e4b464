"""Deterministic demo people records for a trust (run by ``trustlens demo-workflow`` through
``trustlens.improvement.demo.seed_demo``, registered in ``DevelopmentConfig.ready``).

Consistent with the synthetic trust's planted needs: the academy the trust rates weakest (the
stage it is at, then its Ofsted grade: the synthetic trust's planted low school effect shows
in both) gets a maths need from its teaching priority, met by a maths expert deployed for 10
days, with backfill, from the strongest academy of the same phase. Every academy gets staff
with expertise, a coaching pair, key roles with successors; there is joint CPD evaluated at
Guskey's levels, a lesson study and leadership programmes. Runs once per trust (a trust that
already has staff records is left alone), the same for the same seed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from trustlens.core.audit import save_audited
from trustlens.development import models
from trustlens.development.choices import (
    Area,
    BackfillPayer,
    DeploymentStatus,
    GuskeyLevel,
    InquiryKind,
    InquiryStep,
    Level,
    NeedStatus,
    PlaceStatus,
    ProgrammeKind,
    Readiness,
)
from trustlens.development.reports import term_of
from trustlens.development.services import deployment_errors
from trustlens.improvement.models import Priority
from trustlens.organisations.models import Academy, Trust
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant

FIRST = ("Amira", "Ben", "Chloe", "Dev", "Ella", "Femi", "Grace", "Hugo", "Isla", "Jamal",
         "Kate", "Liam", "Maya", "Noah", "Orla", "Priya", "Raj", "Sara", "Tom", "Zainab")  # fmt: skip
LAST = ("Adams", "Bennett", "Chowdhury", "Davies", "Evans", "Fraser", "Green", "Hussain",
        "Iqbal", "Jones", "Khan", "Lewis", "Morgan", "Nowak", "Okafor", "Patel", "Quinn",
        "Roberts", "Shah", "Turner")  # fmt: skip

#: (job title, leader, expertise rows (area, topic, level, accreditation))
ROLES = (
    ("Headteacher", True, ((Area.LEADERSHIP, "school improvement", Level.EXPERT, "NPQH"),)),
    ("Deputy head: curriculum", True, ((Area.CURRICULUM, "curriculum design", Level.SECURE, ""),)),
    ("Head of maths", True, ((Area.SUBJECT, "maths", Level.SECURE, ""),)),
    ("SENCo", True, ((Area.SEND, "SEND: adaptive teaching", Level.SECURE, "NASENCo"),)),
    ("Teacher of English", False, ((Area.SUBJECT, "English: reading", Level.SECURE, ""),)),
    ("Teacher of maths", False, ((Area.SUBJECT, "maths", Level.DEVELOPING, ""),)),
)
STAGE_ORDER = {"stabilise": 0, "improve": 1, "sustain": 2, "lead": 3}
GRADE_ORDER = {"1": 0, "2": 1, "": 2, "3": 3, "4": 4}


def _save(author: Any, obj: Any) -> Any:
    return save_audited(author, obj)


def _weak_and_strong(academies: list[Academy]) -> tuple[Academy, Academy | None]:
    """The weakest academy (stage, then Ofsted grade) and the strongest of its phase."""

    def weakness(a: Academy) -> tuple:
        return (-STAGE_ORDER.get(a.improvement_stage, 1), GRADE_ORDER.get(a.ofsted_grade, 2), a.urn)

    weak = max(academies, key=weakness)
    peers = [a for a in academies if a.pk != weak.pk and a.improvement_stage != "stabilise"]
    same_phase = [a for a in peers if a.phase == weak.phase] or peers
    return weak, (min(same_phase, key=weakness) if same_phase else None)


def _login(academy: Academy, role: str) -> Any:
    grant = RoleGrant.objects.filter(academy=academy, role=role).select_related("user").first()
    return grant.user if grant else None


def _staff(author, academy: Academy, rng: random.Random, strong: bool, counts: dict) -> list:
    people = []
    for number, (title, leader, rows) in enumerate(ROLES):
        user = None
        if number == 0:
            user = _login(academy, Role.HEADTEACHER)
        elif number == 5:
            user = _login(academy, Role.TEACHER)
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        if user is not None:
            name = user.get_full_name() or name
        staff = _save(author, models.StaffMember(
            academy=academy, user=user, name=name, job_title=title, is_leader=leader,
            days_available=Decimal(rng.choice((5, 10, 15)) if leader else rng.choice((0, 3, 5))),
            consent_to_deploy=rng.random() < 0.85 or strong,
        ))  # fmt: skip
        for area, topic, level, accreditation in rows:
            if strong and topic == "maths":
                level = Level.ACCREDITED if number == 2 else Level.EXPERT
                accreditation = "SLE (maths), Maths Hub mastery specialist" if number == 2 else ""
            _save(author, models.Expertise(
                staff=staff, area=area, topic=topic, level=level, accreditation=accreditation,
                evidence="Outcomes above the trust's in their subject; QA learning walks.",
            ))  # fmt: skip
            counts["expertise"] += 1
        people.append(staff)
        counts["staff"] += 1
    return people


def _maths_need(author, weak: Academy, today: dt.date) -> models.Need:
    priority = (
        Priority.objects.unscoped()
        .filter(plan__academy=weak, theme__in=("teaching", "curriculum"))
        .order_by("order")
        .first()
    )
    return _save(author, models.Need(
        academy=weak, title="Maths teaching: modelling and checks for understanding",
        area=Area.SUBJECT, topic="maths", level_needed=Level.EXPERT, days_needed=Decimal(10),
        detail="Maths outcomes are the lowest in the trust; the department has two new teachers.",
        priority=priority, raised_on=today - dt.timedelta(days=40), created_by=author,
    ))  # fmt: skip


def _deploy(author, staff, to: Academy, need, start: dt.date, days: int, status: str) -> Any:
    deployment = models.Deployment(
        staff=staff, from_academy=staff.academy, to_academy=to, need=need,
        priority=need.priority if need else None,
        purpose=need.title if need else f"{staff.job_title} supports leaders at {to.name}",
        starts_on=start, ends_on=start + dt.timedelta(days=days * 7 // 2), days=Decimal(days),
        cost=Decimal(0), backfill_by="Cover supervisor and a second-year teacher",
        backfill_cost=Decimal(days * 180), backfill_paid_by=BackfillPayer.RECEIVING,
        status=status, created_by=author,
    )  # fmt: skip
    if deployment_errors(deployment):
        return None
    saved = _save(author, deployment)
    if need is not None and need.status == NeedStatus.OPEN:
        need.status = NeedStatus.MET
        _save(author, need)
    return saved


def _coaching(author, trust: Trust, staff_by: dict, today: dt.date, counts: dict) -> list:
    instructional = _save(author, models.CoachingModel(
        trust=trust, name="Instructional coaching",
        description="One precise action step a fortnight, practised and followed up.",
        min_days_between=7, max_days_between=14,
    ))  # fmt: skip
    grow = _save(author, models.CoachingModel(
        trust=trust, name="GROW", description="Goal, reality, options, will: leadership coaching.",
        min_days_between=14, max_days_between=35,
    ))  # fmt: skip
    pairs = []
    for index, people in enumerate(staff_by.values()):
        gap = (10, 3, 10, 24)[index % 4]  # the second is rushed; the fourth lapses
        pair = _save(author, models.CoachingPair(
            coach=people[2], coachee=people[5], model=instructional,
            started_on=today - dt.timedelta(days=70),
        ))  # fmt: skip
        held = pair.started_on
        for number in range(4):
            _save(author, models.CoachingSession(
                pair=pair, held_on=held, focus=("Modelling worked examples", "Checks for understanding",
                                                "Cold calling", "Mini whiteboards")[number],
                action_step="Plan the two hinge questions before the lesson and act on the answers.",
                follow_up="Seen in the drop-in: pupils' answers shaped the next step.",
                notes="Confident; next: fewer, sharper questions.",
            ))  # fmt: skip
            held += dt.timedelta(days=gap)
            counts["coaching session"] += 1
        pairs.append(pair)
        leaders = _save(author, models.CoachingPair(
            coach=people[0], coachee=people[1], model=grow, started_on=today - dt.timedelta(days=30)
        ))  # fmt: skip
        _save(author, models.CoachingSession(
            pair=leaders, held_on=today - dt.timedelta(days=12), focus="Leading the curriculum review",
            action_step="Agree the review questions with subject leaders.",
        ))  # fmt: skip
        counts["coaching pair"] += 2
        counts["coaching session"] += 1
    return pairs


def _cpd(author, strong: Academy, staff_by: dict, today: dt.date, counts: dict) -> None:
    session = _save(author, models.CpdSession(
        host_academy=strong, title="Maths mastery: trust subject network",
        programme="Trust maths network", held_on=today - dt.timedelta(days=25),
        led_by="Maths SLE", cost=Decimal(450),
    ))  # fmt: skip
    for people in staff_by.values():
        for person in (people[2], people[5]):
            _save(author, models.CpdAttendance(session=session, staff=person))
            counts["CPD attendance"] += 1
    n = 2 * len(staff_by)
    for level, evidence, percent in (
        (GuskeyLevel.REACTION, "Exit survey: useful and practical", 92),
        (GuskeyLevel.LEARNING, "Pre/post quiz on representations", 78),
        (GuskeyLevel.USE, "Learning walks six weeks on: worked examples seen", 61),
    ):
        _save(author, models.CpdEvaluation(
            session=session, level=level, evidence=evidence, positive_percent=percent, respondents=n
        ))  # fmt: skip
        counts["CPD evaluation"] += 1
    counts["CPD session"] += 1


def _inquiry(author, strong: Academy, weak: Academy, staff_by: dict, today: dt.date) -> None:
    project = _save(author, models.InquiryProject(
        lead_academy=strong, kind=InquiryKind.LESSON_STUDY,
        question="Do worked examples with faded steps help Year 8 pupils solve equations?",
        partner_academies=weak.name, started_on=today - dt.timedelta(days=60),
        findings="Fading steps over three lessons helped most pupils; the lowest attainers "
        "needed the full example longer.", for_library=True,
    ))  # fmt: skip
    links = models.InquiryProject.staff.through
    links.objects.bulk_create(
        [links(inquiryproject_id=project.pk, staffmember_id=s.pk)
         for s in (staff_by[strong.pk][2], staff_by[weak.pk][5])]
    )  # fmt: skip
    for days_ago, step in ((60, InquiryStep.PLAN), (45, InquiryStep.RESEARCH_LESSON),
                           (40, InquiryStep.REVIEW)):  # fmt: skip
        _save(author, models.InquiryCycle(
            project=project, step=step, held_on=today - dt.timedelta(days=days_ago),
            notes="Three case pupils observed." if step == InquiryStep.RESEARCH_LESSON else "",
        ))  # fmt: skip


def _leadership(author, trust, staff_by: dict, deployment, pairs, today, counts) -> None:
    npqh = _save(author, models.Programme(trust=trust, name="NPQ Headship", kind=ProgrammeKind.NPQ,
                                          provider="An NPQ lead provider"))  # fmt: skip
    middle = _save(author, models.Programme(trust=trust, name="Trust middle leaders programme",
                                            kind=ProgrammeKind.TRUST, provider="The trust"))  # fmt: skip
    for index, people in enumerate(staff_by.values()):
        _save(author, models.ProgrammePlace(
            programme=npqh, staff=people[1], started_on=today - dt.timedelta(days=90),
            status=PlaceStatus.ENROLLED,
        ))  # fmt: skip
        deployed = deployment if deployment and deployment.staff_id == people[2].pk else None
        _save(author, models.ProgrammePlace(
            programme=middle, staff=people[2], started_on=today - dt.timedelta(days=120),
            deployment=deployed, coaching=pairs[index] if index < len(pairs) else None,
        ))  # fmt: skip
        counts["programme place"] += 2
        for title, holder, successor, readiness in (
            (
                "Headteacher",
                people[0],
                people[1],
                Readiness.READY_NOW if index % 2 else Readiness.READY_LATER,
            ),
            ("Head of maths", people[2], people[5], Readiness.READY_LATER),
            ("SENCo", people[3], None, None),
        ):
            role = _save(author, models.KeyRole(academy=holder.academy, title=title, holder=holder))
            if successor is not None:
                _save(author, models.Successor(role=role, staff=successor, readiness=readiness,
                                               development="Lead a trust project next year."))  # fmt: skip
            counts["key role"] += 1


@transaction.atomic
def seed_demo(trust_slug: str, seed: int = 1, today: dt.date | None = None) -> dict[str, int]:
    """Seed the trust's demo people records once; returns the counts created."""
    from collections import Counter

    today = today or dt.date.today()
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    academies = list(Academy.objects.unscoped().filter(trust=trust).order_by("urn"))
    if not academies or models.StaffMember.objects.unscoped().filter(academy__trust=trust).exists():
        return {}
    from trustlens.quality.demo import demo_author

    author, counts = demo_author(trust), Counter()
    weak, strong = _weak_and_strong(academies)
    staff_by = {}
    for academy in academies:
        rng = random.Random(f"development-{seed}-{academy.urn}")
        staff_by[academy.pk] = _staff(
            author, academy, rng, strong is not None and academy.pk == strong.pk, counts
        )
    _save(author, models.PeopleSettings(trust=trust))
    deployment = None
    if strong is not None:
        need = _maths_need(author, weak, today)
        expert = staff_by[strong.pk][2]
        deployment = _deploy(author, expert, weak, need, today - dt.timedelta(days=20), 10,
                             DeploymentStatus.UNDER_WAY)  # fmt: skip
        _save(author, models.Need(
            academy=weak, title="SEND: adaptive teaching in mixed-attainment classes",
            area=Area.SEND, topic="SEND", level_needed=Level.SECURE, days_needed=Decimal(4),
            raised_on=today - dt.timedelta(days=10), created_by=author,
        ))  # fmt: skip
        counts["need"] += 2
        counts["deployment"] += 1 if deployment else 0
        givers = [
            a
            for a in academies
            if a.pk not in (weak.pk, strong.pk) and a.improvement_stage != "stabilise"
        ]
        # leaders supporting: the first academy gives more than the trust's limit this term
        plan = [(g, n, d) for g, picks in zip(givers, (((0, 30), (1, 25)), ((0, 6),)), strict=False)
                for n, d in picks]  # fmt: skip
        for giver, number, days in plan:
            start = max(today - dt.timedelta(days=3), term_of(today).start)  # this term
            if _deploy(author, staff_by[giver.pk][number], weak, None, start,
                       days, DeploymentStatus.AGREED):  # fmt: skip
                counts["deployment"] += 1
        _cpd(author, strong, staff_by, today, counts)
        _inquiry(author, strong, weak, staff_by, today)
        counts["inquiry"] += 1
    pairs = _coaching(author, trust, staff_by, today, counts)
    _leadership(author, trust, staff_by, deployment, pairs, today, counts)
    return dict(counts)

"""Deterministic demo QA records for a trust: a framework in use, activities with findings, and
a joint moderation session (``seed_demo``; ``trustlens demo-workflow`` runs it).

Writes go through the services (permission checks and one audit row per change) with the
trust's first executive as author. Before ``trustlens demo-users`` has made one there is no
such user: records are then written through ``trustlens.core.audit`` with the system
actor (audit rows with no user), filling in what the services would have filled in.

Idempotent: the framework, each academy's activities and the moderation session are looked up
by their (fixed) names first and never created twice. Dates are relative to today, so a seed
gives the same records on the same day.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from trustlens.core.audit import save_audited
from trustlens.organisations.models import Academy, Trust
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant
from trustlens.quality import frameworks, models, moderation, services
from trustlens.quality.choices import (
    ActivityKind,
    ActivityStatus,
    FindingKind,
    FrameworkStatus,
    ParticipantRole,
    ReviewStage,
)

FRAMEWORK_NAME = "Trust quality framework"
SESSION_TITLE = "Year 6 writing: joint moderation"
PEER_REVIEW_TITLE = "Peer review: {name}"
VISIT_TITLE = "Learning walk: {focus}"

REVIEWER_NAMES = (
    "Priya Shah",
    "Martin Doyle",
    "Grace Okafor",
    "Tom Hughes",
    "Helen Marsh",
    "Samuel Reid",
    "Aisha Khan",
    "Owen Price",
)
VISIT_FOCI = ("reading across KS2", "maths fluency", "behaviour routines", "SEND provision")

#: (area name, kind, text) — summaries only, never a pupil's name.
FINDINGS: tuple[tuple[str, str, str], ...] = (
    ("Curriculum", FindingKind.STRENGTH, "Curriculum plans are well sequenced in most subjects."),
    (
        "Curriculum",
        FindingKind.DEVELOPMENT,
        "Foundation subjects are not yet taught as planned in every class.",
    ),
    (
        "Teaching",
        FindingKind.DEVELOPMENT,
        "Checks for understanding vary between classes; some move on too quickly.",
    ),
    ("Teaching", FindingKind.STRENGTH, "Explanations and modelling are clear and consistent."),
    (
        "Behaviour and attitudes",
        FindingKind.CONCERN,
        "Transitions between lessons are noisy and routines are not followed consistently.",
    ),
    (
        "Behaviour and attitudes",
        FindingKind.STRENGTH,
        "Pupils spoke positively about the reward system and feel safe.",
    ),
    (
        "Assessment rigour",
        FindingKind.DEVELOPMENT,
        "Teacher assessment in writing is generous compared with moderated samples.",
    ),
    ("Leadership", FindingKind.STRENGTH, "Middle leaders know the strengths of their subjects."),
)


@dataclass
class SeedReport:
    """What a seeding run created (counts by record type) and who wrote it."""

    author: str = "system"
    created: dict[str, int] = field(default_factory=dict)

    def add(self, name: str, n: int = 1) -> None:
        self.created[name] = self.created.get(name, 0) + n


def demo_author(trust: Trust) -> Any | None:
    """The trust's first executive (by username), or None for the system actor."""
    grant = (
        RoleGrant.objects.filter(trust=trust, role=Role.TRUST_EXECUTIVE)
        .select_related("user")
        .order_by("user__username")
        .first()
    )
    return grant.user if grant else None


def academies_of(trust: Trust) -> list[Academy]:
    return list(Academy.objects.unscoped().filter(trust=trust).order_by("urn"))


def past_date(today: dt.date, rng: random.Random, low: int, high: int) -> dt.date:
    return today - dt.timedelta(days=rng.randint(low, high))


# --- framework ------------------------------------------------------------------------------


def _framework(author: Any | None, trust: Trust, report: SeedReport) -> models.Framework:
    found = (
        models.Framework.objects.unscoped()
        .filter(trust=trust, name=FRAMEWORK_NAME, status=FrameworkStatus.ACTIVE)
        .first()
    )
    if found is not None:
        return found
    framework = models.Framework(
        trust=trust,
        name=FRAMEWORK_NAME,
        description="The areas every visit and peer review looks at (demo data).",
    )
    if author is not None:
        frameworks.create_framework(author, framework)
        frameworks.activate(author, framework)
    else:
        framework.version, framework.status = 1, FrameworkStatus.ACTIVE
        save_audited(None, framework)
        for order, (name, theme, prompts) in enumerate(frameworks.DEFAULT_AREAS, start=1):
            area = save_audited(
                None, models.FrameworkArea(framework=framework, name=name, theme=theme, order=order)
            )
            for number, text in enumerate(prompts, start=1):
                save_audited(None, models.FrameworkPrompt(area=area, text=text, order=number))
    report.add("framework")
    return framework


# --- activities -----------------------------------------------------------------------------


def _save_activity(author: Any | None, activity: models.Activity) -> models.Activity:
    if author is not None:
        return services.save_activity(author, activity)
    return save_audited(None, activity)


def _add_participant(
    author: Any | None, activity: models.Activity, participant: models.Participant
) -> None:
    if author is not None:
        services.add_participant(author, activity, participant)
    else:
        participant.activity = activity
        save_audited(None, participant)


def _record_finding(
    author: Any | None, activity: models.Activity, finding: models.Finding
) -> models.Finding:
    if author is not None:
        return services.record_finding(author, activity, finding)
    finding.activity = activity
    return save_audited(None, finding)


def _findings(
    author: Any | None,
    activity: models.Activity,
    areas: dict[str, models.FrameworkArea],
    rng: random.Random,
    n: int,
) -> int:
    chosen = rng.sample(FINDINGS, n)
    for area_name, kind, text in chosen:
        finding = models.Finding(area=areas.get(area_name), kind=kind, text=text)
        _record_finding(author, activity, finding)
    return len(chosen)


def _activities_for(
    author: Any | None,
    academy: Academy,
    others: list[Academy],
    framework: models.Framework,
    seed: int,
    today: dt.date,
    report: SeedReport,
) -> None:
    title = PEER_REVIEW_TITLE.format(name=academy.name)
    if models.Activity.objects.unscoped().filter(academy=academy, title=title).exists():
        return
    rng = random.Random(f"quality-{seed}-{academy.urn}")
    areas = {a.name: a for a in models.FrameworkArea.objects.unscoped().filter(framework=framework)}
    review = _save_activity(
        author,
        models.Activity(
            academy=academy,
            kind=ActivityKind.PEER_REVIEW,
            title=title,
            scheduled_on=past_date(today, rng, 30, 75),
            status=ActivityStatus.DONE,
            framework=framework,
            review_stage=ReviewStage.FINDINGS,
            focus="The quality of education, with a focus on teaching and behaviour.",
            self_review="Leaders judge curriculum to be strong; consistency of teaching is the "
            "main priority.",
            summary="The review team visited lessons, looked at books and met leaders and a "
            "group of pupils (pupil voice summarised; no names recorded).",
            lead=author,
            created_by=author,
        ),
    )
    report.add("activity")
    reviewers = rng.sample(others, min(2, len(others)))
    for number, home in enumerate(reviewers):
        role = ParticipantRole.LEAD_REVIEWER if number == 0 else ParticipantRole.REVIEWER
        name = REVIEWER_NAMES[rng.randrange(len(REVIEWER_NAMES))]
        participant = models.Participant(
            role=role, name=f"{name} (senior leader)", home_academy=home
        )
        _add_participant(author, review, participant)
        report.add("participant")
    if not reviewers:  # a one-academy trust: the reviewer comes from another trust
        participant = models.Participant(
            role=ParticipantRole.LEAD_REVIEWER,
            name=REVIEWER_NAMES[0],
            organisation="Partner trust",
        )
        _add_participant(author, review, participant)
        report.add("participant")
    report.add("finding", _findings(author, review, areas, rng, rng.randint(3, 4)))

    if rng.random() < 0.7:  # a second activity at most academies
        focus = rng.choice(VISIT_FOCI)
        walk = _save_activity(
            author,
            models.Activity(
                academy=academy,
                kind=ActivityKind.LEARNING_WALK,
                title=VISIT_TITLE.format(focus=focus),
                scheduled_on=past_date(today, rng, 5, 25),
                status=ActivityStatus.DONE,
                framework=framework,
                focus=f"A learning walk looking at {focus}.",
                summary="Visited six classrooms with the deputy head; feedback given the same day.",
                lead=author,
                created_by=author,
            ),
        )
        report.add("activity")
        report.add("finding", _findings(author, walk, areas, rng, 2))
    _save_activity(
        author,
        models.Activity(
            academy=academy,
            kind=ActivityKind.PUPIL_VOICE,
            title="Pupil voice: reading for pleasure",
            scheduled_on=today + dt.timedelta(days=rng.randint(7, 40)),
            status=ActivityStatus.PLANNED,
            framework=framework,
            focus="What pupils say about reading at home and in school.",
            lead=author,
            created_by=author,
        ),
    )
    report.add("activity")


# --- moderation -----------------------------------------------------------------------------


def _moderation(
    author: Any | None,
    trust: Trust,
    academies: list[Academy],
    seed: int,
    today: dt.date,
    report: SeedReport,
) -> None:
    if (
        models.ModerationSession.objects.unscoped()
        .filter(trust=trust, title=SESSION_TITLE)
        .exists()
    ):
        return
    taking_part = academies[: min(4, len(academies))]
    if not taking_part:
        return
    rng = random.Random(f"moderation-{seed}-{trust.slug}")
    session = models.ModerationSession(
        trust=trust,
        title=SESSION_TITLE,
        subject="Writing",
        year_group=6,
        held_on=today - dt.timedelta(days=rng.randint(10, 40)),
        judgements="WTS, EXS, GDS",
        facilitator=author,
        notes="Each academy brought samples across the range; agreed judgements recorded.",
    )
    if author is not None:
        moderation.save_session(author, session, taking_part)
    else:
        session.created_by = None
        save_audited(None, session)
        moderation.Through.objects.bulk_create(
            [moderation.Through(moderationsession=session, academy=a) for a in taking_part]
        )
    report.add("moderation session")
    scale = session.scale
    for number, academy in enumerate(taking_part, start=1):
        for sample_no in range(1, 4):
            submitted = rng.choice(scale)
            # moderators mostly agree; otherwise one step lower (generous teacher assessment)
            agreed = submitted
            if rng.random() < 0.3 and scale.index(submitted) > 0:
                agreed = scale[scale.index(submitted) - 1]
            sample = models.ModerationSample(
                session=session,
                academy=academy,
                reference=f"{chr(64 + number)}-{sample_no:02d}",
                submitted=submitted,
                agreed=agreed,
            )
            if author is not None:
                moderation.save_sample(author, sample)
            else:
                save_audited(None, sample)
            report.add("moderation sample")


# --- entry point ----------------------------------------------------------------------------


@transaction.atomic
def seed_demo(trust_slug: str, seed: int = 1, today: dt.date | None = None) -> SeedReport:
    """Create the trust's demo QA records (once); returns what was created this time."""
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    today = today or dt.date.today()
    author = demo_author(trust)
    report = SeedReport(author=author.get_username() if author else "system")
    academies = academies_of(trust)
    framework = _framework(author, trust, report)
    for academy in academies:
        others = [a for a in academies if a.pk != academy.pk]
        _activities_for(author, academy, others, framework, seed, today, report)
    _moderation(author, trust, academies, seed, today, report)
    return report

"""Deterministic demo improvement records for a trust (``trustlens demo-workflow``).

``seed_demo`` first seeds the QA records (``trustlens.quality.demo``), then for each academy:
a stage history ending at the academy's current ``improvement_stage``, a plan for this
academic year with RAG-rated priorities, objectives, milestones and a review point, actions
(some from QA findings; some done, some overdue) with follow-ups, and support-ledger entries.

Same author rule as the QA seed: the trust's first executive through the services, or the
system actor through ``trustlens.core.audit`` when no executive exists yet. An academy
that already has the demo plan is left alone, so running twice creates nothing new.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal
from typing import Any

from django.db import transaction

from trustlens.core import hooks
from trustlens.core.audit import save_audited
from trustlens.core.choices import Rag
from trustlens.improvement import models, services
from trustlens.improvement.choices import ActionStatus, SupportProvider, SupportStatus
from trustlens.organisations.models import Academy, Trust
from trustlens.people.services import people_in
from trustlens.quality import demo as quality_demo
from trustlens.quality.choices import FindingKind
from trustlens.quality.demo import SeedReport
from trustlens.quality.models import Activity, Finding

PLAN_TITLE = "Academy improvement plan"

#: (theme, title, rationale, objective, success criteria)
PRIORITIES: tuple[tuple[str, str, str, str, str], ...] = (
    (
        "teaching",
        "Consistent checks for understanding in every class",
        "Peer review and learning walks found practice varies between classes.",
        "Every teacher uses whole-class checks before moving on",
        "Seen in 9 of 10 lessons on learning walks by the summer term.",
    ),
    (
        "behaviour",
        "Calm, consistent routines at transitions",
        "Transitions were noisy in the peer review; staff voice asks for one approach.",
        "One routine for transitions, taught and practised",
        "Learning walks find calm transitions; fewer removals from lessons.",
    ),
    (
        "attendance",
        "Reduce persistent absence",
        "Persistent absence is above the trust average, especially for disadvantaged pupils.",
        "Early help for pupils whose attendance falls below 92%",
        "Persistent absence falls by a quarter against last year.",
    ),
    (
        "curriculum",
        "Foundation subjects taught as planned",
        "Curriculum plans are strong but not yet delivered consistently.",
        "Subject leaders check delivery each half term",
        "Book looks show the planned sequence in every class.",
    ),
    (
        "assessment",
        "Reliable writing assessment",
        "Moderation found teacher assessment in writing generous.",
        "Teachers moderate writing within and across academies",
        "Agreement at trust moderation of 80% or more.",
    ),
)

#: RAG weights by stage: academies further along are more often green.
RAG_BY_STAGE = {
    "stabilise": (Rag.RED, Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN),
    "improve": (Rag.RED, Rag.AMBER, Rag.AMBER, Rag.GREEN, Rag.GREEN),
    "sustain": (Rag.AMBER, Rag.GREEN, Rag.GREEN, Rag.GREEN),
    "lead": (Rag.AMBER, Rag.GREEN, Rag.GREEN, Rag.GREEN, Rag.GREEN),
}

STAGE_REASONS = {
    "stabilise": "Joined the trust needing immediate support with leadership and behaviour.",
    "improve": "Leadership stable and behaviour secure; focus now on the quality of education.",
    "sustain": "Improvements sustained over two years of QA; lighter-touch support.",
    "lead": "Strong outcomes and capacity: now supports other academies.",
}


def academic_year(day: dt.date) -> str:
    start = day.year if day.month >= 9 else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def _save(author: Any | None, service, obj):
    """Through the service when there is an author; else the system actor, audited."""
    if author is not None:
        return service(author, obj)
    return save_audited(None, obj)


# --- stages ---------------------------------------------------------------------------------


def _stage_history(
    author: Any | None, academy: Academy, rng: random.Random, today: dt.date, report: SeedReport
) -> None:
    """Changes from the first stage up to the academy's current one (none if it is unknown)."""
    if models.StageChange.objects.unscoped().filter(academy=academy).exists():
        return
    codes = [s.code for s in services.stage_options(academy.trust_id)]
    current = _demo_stage(academy, rng, codes)
    if current not in codes:
        return
    path = codes[: codes.index(current) + 1]
    # from when it joined (at most five years back) to a month ago, evenly with some jitter
    start = academy.joined_trust or today - dt.timedelta(days=365 * 4)
    start = max(start, today - dt.timedelta(days=365 * 5))
    start = min(start, today - dt.timedelta(days=60 * len(path)))
    span = (today - dt.timedelta(days=30) - start).days
    steps = []
    for number, code in enumerate(path):
        jitter = rng.randint(0, 20) if number else 0
        steps.append((code, start + dt.timedelta(days=span * number // len(path) + jitter)))
    previous = ""
    for code, changed_on in steps:
        reason = STAGE_REASONS.get(code, "Agreed at the academy's annual review.")
        if author is not None:
            academy.improvement_stage = previous  # the chain starts before the first stage
            services.change_stage(author, academy, code, changed_on, reason)
        else:  # the academy already holds the final stage: record the history only
            change = models.StageChange(
                academy=academy,
                stage=code,
                previous_stage=previous,
                changed_on=changed_on,
                reason=reason,
            )
            save_audited(None, change)
        previous = code
        report.add("stage change")
    if author is None:
        Academy.objects.unscoped().filter(pk=academy.pk).update(improvement_stage=current)
    academy.improvement_stage = current


#: A plausible demo stage from the Ofsted grade (1 outstanding ... 4 inadequate, blank not yet
#: inspected): the synthetic trust's files carry no stage, so every academy would otherwise
#: sit at the model's default.
STAGES_BY_OFSTED = {
    "1": ("lead", "sustain"),
    "2": ("sustain", "improve"),
    "3": ("improve", "stabilise"),
    "4": ("stabilise",),
    "": ("stabilise", "improve"),
}


def _demo_stage(academy: Academy, rng: random.Random, codes: list[str]) -> str:
    """The academy's stage if a trust has set one other than the default; else one by Ofsted grade."""
    default = Academy._meta.get_field("improvement_stage").default
    if academy.improvement_stage and academy.improvement_stage != default:
        return academy.improvement_stage
    choices = [c for c in STAGES_BY_OFSTED.get(academy.ofsted_grade or "", ()) if c in codes]
    return rng.choice(choices) if choices else academy.improvement_stage


# --- plan -----------------------------------------------------------------------------------


def _plan(
    author: Any | None, academy: Academy, rng: random.Random, today: dt.date, report: SeedReport
) -> list[models.Priority]:
    year = academic_year(today)
    plan = _save(
        author,
        services.save_plan,
        models.Plan(
            academy=academy,
            title=PLAN_TITLE,
            academic_year=year,
            summary=f"{academy.name}'s priorities for {year}, agreed with the trust.",
            created_by=author,
        ),
    )
    report.add("plan")
    rags = RAG_BY_STAGE.get(academy.improvement_stage, (Rag.AMBER, Rag.GREEN))
    chosen = rng.sample(PRIORITIES, rng.randint(3, 4))
    priorities = []
    for order, (theme, title, rationale, objective_title, criteria) in enumerate(chosen, 1):
        priority = _save(
            author,
            services.save_priority,
            models.Priority(
                plan=plan,
                theme=theme,
                title=title,
                rationale=rationale,
                rag=rng.choice(rags),
                order=order,
            ),
        )
        objective = _save(
            author,
            services.save_objective,
            models.Objective(
                priority=priority,
                title=objective_title,
                success_criteria=criteria,
                rag=priority.rag,
                order=1,
            ),
        )
        for months, achieved in ((-2, True), (3, False)):
            due = today + dt.timedelta(days=30 * months)
            _save(
                author,
                services.save_milestone,
                models.Milestone(
                    objective=objective,
                    title="Half-term check" if months < 0 else "Spring review of impact",
                    due_on=due,
                    achieved_on=due if achieved and rng.random() < 0.7 else None,
                ),
            )
            report.add("milestone")
        priorities.append(priority)
        report.add("priority")
    review = models.PlanReview(
        plan=plan,
        due_on=today - dt.timedelta(days=rng.randint(10, 40)),
        held_on=today - dt.timedelta(days=rng.randint(3, 9)),
        overall_rag=priorities[0].rag,
        summary="Autumn review with the trust: progress on most priorities; see RAG.",
        priority_rags={str(p.pk): {"title": p.title, "rag": p.rag} for p in priorities},
        reviewed_by=author,
    )
    _save(author, services.save_review, review)
    _save(
        author,
        services.save_review,
        models.PlanReview(plan=plan, due_on=today + dt.timedelta(days=rng.randint(60, 100))),
    )
    report.add("plan review", 2)
    return priorities


# --- actions --------------------------------------------------------------------------------


def _actions(
    author: Any | None,
    academy: Academy,
    priorities: list[models.Priority],
    rng: random.Random,
    today: dt.date,
    report: SeedReport,
) -> None:
    findings = list(
        Finding.objects.unscoped()
        .filter(activity__academy=academy)
        .exclude(kind=FindingKind.STRENGTH)
        .order_by("pk")
    )
    owners = [pk for pk, _ in people_in(academy)]
    owner_id = owners[rng.randrange(len(owners))] if owners else None
    by_theme = {p.theme: p for p in priorities}
    # (status, due in days): one done, one overdue, one on track
    plans = [(ActionStatus.DONE, -20), (ActionStatus.IN_PROGRESS, -rng.randint(5, 30))]
    plans.append((ActionStatus.OPEN, rng.randint(14, 60)))
    for number, (status, due_in) in enumerate(plans):
        finding = findings[number] if number < len(findings) else None
        theme = finding.theme if finding else priorities[number % len(priorities)].theme
        priority = by_theme.get(theme, priorities[number % len(priorities)])
        objective = models.Objective.objects.unscoped().filter(priority=priority).first()
        due_on = today + dt.timedelta(days=due_in)
        title = finding.text if finding else f"Next step: {priority.title.lower()}"
        action = models.Action(
            academy=academy,
            title=("Act on finding: " + title)[:200],
            detail="Agreed after the QA activity; owner reports back at the next review.",
            owner_id=owner_id,
            due_on=due_on,
            status=ActionStatus.OPEN,
            finding=finding,
            priority=priority,
            objective=objective,
            created_by=author,
        )
        _save(author, services.save_action, action)
        report.add("action")
        if status == ActionStatus.OPEN:
            continue
        note = (
            "Done: checked on a learning walk."
            if status == ActionStatus.DONE
            else "Started, but slipped: staff training moved to next half term."
        )
        if author is not None:
            services.add_follow_up(author, action, note, status)
        else:
            save_audited(None, models.FollowUp(action=action, note=note, status=status))
            action.status = status
            action.completed_on = today if status == ActionStatus.DONE else None
            save_audited(None, action)
        report.add("follow-up")


# --- support --------------------------------------------------------------------------------


def _support(
    author: Any | None,
    academy: Academy,
    others: list[Academy],
    priorities: list[models.Priority],
    rng: random.Random,
    today: dt.date,
    report: SeedReport,
) -> None:
    review = (
        Activity.objects.unscoped().filter(academy=academy, kind="peer_review").order_by("pk")
    ).first()
    entries = [
        models.Support(
            academy=academy,
            provider=SupportProvider.CENTRAL,
            provider_name="Trust school improvement team",
            description=f"Coaching for leaders on {priorities[0].title.lower()}.",
            priority=priorities[0],
            activity=review,
            status=SupportStatus.GIVEN,
            requested_on=today - dt.timedelta(days=rng.randint(40, 70)),
            starts_on=today - dt.timedelta(days=rng.randint(20, 35)),
            ends_on=today - dt.timedelta(days=rng.randint(1, 15)),
            days=Decimal(rng.choice((2, 3, 4))),
            cost=Decimal(rng.choice((900, 1350, 1800))),
            outcome="Leaders report clearer routines; to be checked on the next learning walk.",
            created_by=author,
        )
    ]
    if others:
        helper = others[rng.randrange(len(others))]
        entries.append(
            models.Support(
                academy=academy,
                provider=SupportProvider.ACADEMY,
                provider_academy=helper,
                description=f"Subject leaders from {helper.name} share their approach to "
                f"{priorities[-1].title.lower()}.",
                priority=priorities[-1],
                status=rng.choice((SupportStatus.REQUESTED, SupportStatus.AGREED)),
                requested_on=today - dt.timedelta(days=rng.randint(3, 20)),
                days=Decimal("1.5"),
                cost=Decimal(0),
                created_by=author,
            )
        )
    for support in entries:
        support.stage_at_request = academy.improvement_stage
        _save(author, services.save_support, support)
        report.add("support")


# --- entry point ----------------------------------------------------------------------------


@transaction.atomic
def seed_demo(trust_slug: str, seed: int = 1, today: dt.date | None = None) -> SeedReport:
    """Seed the trust's demo QA and improvement records (once); returns what was created."""
    today = today or dt.date.today()
    report = quality_demo.seed_demo(trust_slug, seed, today)
    trust = Trust.objects.unscoped().get(slug=trust_slug)
    author = quality_demo.demo_author(trust)
    academies = quality_demo.academies_of(trust)
    for academy in academies:
        if models.Plan.objects.unscoped().filter(academy=academy, title=PLAN_TITLE).exists():
            continue
        rng = random.Random(f"improvement-{seed}-{academy.urn}")
        others = [a for a in academies if a.pk != academy.pk]
        _stage_history(author, academy, rng, today, report)
        priorities = _plan(author, academy, rng, today, report)
        _actions(author, academy, priorities, rng, today, report)
        _support(author, academy, others, priorities, rng, today, report)
    for seeder in hooks.demo_seeders().values():
        for name, n in seeder(trust_slug, seed, today).items():
            if n:
                report.add(name, n)
    return report

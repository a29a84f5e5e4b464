"""Read side of people records: terms, the days given and received ledger, the capacity view,
matching needs to expertise, and coaching cadence and visibility.

Days count in the term (or academic year) a deployment starts in; cancelled deployments count
nowhere. An academy's leaders' time in a term is its leaders (staff marked as leaders) times
the trust's working days per leader per term; the share given is the days its staff were
deployed elsewhere that term over that time (the capacity rule the trust sets in its people
settings, after the DfE's guidance that a trust should protect its strongest schools' own
capacity when they support others: *Building strong academy trusts*, DfE 2022).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, Q, Sum

from trustlens.development import models
from trustlens.development.choices import COUNTED_DEPLOYMENT_STATUSES, LEVEL_RANK
from trustlens.development.services import settings_for
from trustlens.organisations.models import Academy
from trustlens.people.choices import Role
from trustlens.people.models import RoleGrant

ZERO = Decimal(0)


def children(name: str, model: Any) -> Prefetch:
    """Prefetch a restricted record's own parts (same academy as the record it hangs from)."""
    return Prefetch(name, queryset=model.objects.unscoped())


def sessions_of(pair: models.CoachingPair) -> list[models.CoachingSession]:
    if "sessions" in getattr(pair, "_prefetched_objects_cache", {}):
        return list(pair.sessions.all())
    return list(models.CoachingSession.objects.unscoped().filter(pair=pair))


@dataclass(frozen=True)
class Period:
    label: str
    start: dt.date
    end: dt.date


def term_of(day: dt.date) -> Period:
    """The school term holding ``day``: autumn September–December, spring January–March,
    summer April–August (the three-term year of English schools, holidays included)."""
    if day.month >= 9:
        return Period(f"Autumn {day.year}", dt.date(day.year, 9, 1), dt.date(day.year, 12, 31))
    if day.month <= 3:
        return Period(f"Spring {day.year}", dt.date(day.year, 1, 1), dt.date(day.year, 3, 31))
    return Period(f"Summer {day.year}", dt.date(day.year, 4, 1), dt.date(day.year, 8, 31))


def year_of(day: dt.date) -> Period:
    start = day.year if day.month >= 9 else day.year - 1
    return Period(
        f"{start}/{(start + 1) % 100:02d}", dt.date(start, 9, 1), dt.date(start + 1, 8, 31)
    )


def _counted(period: Period):
    return models.Deployment.objects.unscoped().filter(
        status__in=COUNTED_DEPLOYMENT_STATUSES, starts_on__range=(period.start, period.end)
    )


def _sum_by(queryset, key: str) -> dict[int, Decimal]:
    rows = queryset.values(key).annotate(total=Sum("days")).order_by()
    return {row[key]: row["total"] or ZERO for row in rows}


def given_by_academy(academy_ids: set[int], period: Period) -> dict[int, Decimal]:
    return _sum_by(_counted(period).filter(from_academy_id__in=academy_ids), "from_academy_id")


def received_by_academy(academy_ids: set[int], period: Period) -> dict[int, Decimal]:
    return _sum_by(_counted(period).filter(to_academy_id__in=academy_ids), "to_academy_id")


def committed_by_staff(staff_ids: set[int], period: Period) -> dict[int, Decimal]:
    return _sum_by(_counted(period).filter(staff_id__in=staff_ids), "staff_id")


def leaders_by_academy(academy_ids: set[int]) -> dict[int, int]:
    counts: dict[int, int] = defaultdict(int)
    leaders = models.StaffMember.objects.unscoped().filter(
        academy_id__in=academy_ids, is_leader=True
    )
    for academy_id in leaders.values_list("academy_id", flat=True):
        counts[academy_id] += 1
    return counts


# --- ledger and capacity --------------------------------------------------------------------


@dataclass
class AcademyLedger:
    academy: Academy
    given: Decimal
    received: Decimal

    @property
    def balance(self) -> Decimal:
        return self.given - self.received


def ledger_rows(academies: list[Academy], period: Period) -> list[AcademyLedger]:
    """Days each academy's staff gave to others and received from others in ``period``."""
    ids = {a.pk for a in academies}
    given, received = given_by_academy(ids, period), received_by_academy(ids, period)
    return [AcademyLedger(a, given.get(a.pk, ZERO), received.get(a.pk, ZERO)) for a in academies]


@dataclass
class PersonLedger:
    staff: models.StaffMember
    days: Decimal
    deployments: int


def person_rows(staff: list[models.StaffMember], period: Period) -> list[PersonLedger]:
    """Days each person was deployed in ``period`` (people with none are left out)."""
    ids = {s.pk for s in staff}
    rows = _counted(period).filter(staff_id__in=ids).values("staff_id").annotate(total=Sum("days"))
    totals = {r["staff_id"]: r["total"] for r in rows.order_by()}
    counts: dict[int, int] = defaultdict(int)
    for staff_id in _counted(period).filter(staff_id__in=ids).values_list("staff_id", flat=True):
        counts[staff_id] += 1
    found = [PersonLedger(s, totals[s.pk], counts[s.pk]) for s in staff if s.pk in totals]
    return sorted(found, key=lambda r: (-r.days, r.staff.name))


@dataclass
class CapacityRow:
    academy: Academy
    leaders: int
    leader_days: int
    given: Decimal
    limit_percent: int
    stage_bars: bool

    @property
    def share_percent(self) -> Decimal | None:
        if not self.leader_days:
            return None
        return self.given * 100 / self.leader_days

    @property
    def over(self) -> bool:
        share = self.share_percent
        if share is None:
            return self.given > 0
        return share > self.limit_percent

    @property
    def at_limit(self) -> bool:
        share = self.share_percent
        return self.over or (share is not None and share >= self.limit_percent)


def capacity_rows(academies: list[Academy], period: Period) -> list[CapacityRow]:
    """Each academy's share of its leaders' time given to others this term, against the
    trust's limit; academies at a stage that does not give are marked."""
    ids = {a.pk for a in academies}
    given, leaders = given_by_academy(ids, period), leaders_by_academy(ids)
    rows = []
    for academy in academies:
        rules = settings_for(academy.trust_id)
        count = leaders.get(academy.pk, 0)
        rows.append(
            CapacityRow(
                academy=academy,
                leaders=count,
                leader_days=count * rules.leader_days_per_term,
                given=given.get(academy.pk, ZERO),
                limit_percent=rules.max_give_percent,
                stage_bars=academy.improvement_stage in rules.stage_codes,
            )
        )
    return rows


# --- matching -------------------------------------------------------------------------------


@dataclass
class Candidate:
    staff: models.StaffMember
    expertise: models.Expertise
    fit: int  #: 2 the topic matches, 1 the area only
    level_ok: bool
    same_cluster: bool
    committed: Decimal
    reasons: list[str] = field(default_factory=list)
    excluded: str = ""

    @property
    def remaining(self) -> Decimal:
        return self.staff.days_available - self.committed

    def sort_key(self) -> tuple:
        level = LEVEL_RANK.get(self.expertise.level, 0)
        return (-self.fit, not self.level_ok, -level, not self.same_cluster, self.committed,
                -self.remaining, self.staff.name)  # fmt: skip


def day_text(value: Decimal) -> str:
    """10 / 2.5 (no trailing ".0")."""
    return f"{Decimal(value).normalize():f}"


def topic_fits(expertise: models.Expertise, need: models.Need) -> int:
    if expertise.area != need.area:
        return 0
    wanted, held = need.topic.strip().lower(), expertise.topic.strip().lower()
    return 2 if wanted and (wanted in held or held in wanted) else 1


def _best_expertise(staff: models.StaffMember, need: models.Need) -> tuple[int, Any]:
    scored = [(topic_fits(e, need), LEVEL_RANK.get(e.level, 0), e) for e in staff.expertise.all()]
    scored = [s for s in scored if s[0]]
    if not scored:
        return 0, None
    fit, _, best = max(scored, key=lambda s: (s[0], s[1]))
    return fit, best


def _exclusion(candidate: Candidate, capacity: dict[int, CapacityRow], stage_label) -> str:
    staff = candidate.staff
    row = capacity[staff.academy_id]
    if row.stage_bars:
        return (
            f"{staff.academy.name} is at the stage “{stage_label(staff.academy)}”: the trust's "
            "people settings say academies at this stage receive support and do not give it."
        )
    if row.at_limit:
        share = row.share_percent
        shown = (
            f"{share:.0f}%" if share is not None else "time it does not have (no leaders recorded)"
        )
        return (
            f"{staff.academy.name} already gives {shown} of its leaders' time this term "
            f"(the trust's limit is {row.limit_percent}%)."
        )
    if not staff.consent_to_deploy:
        return "Has not agreed to be deployed."
    if candidate.remaining <= 0:
        return (
            f"No days left this term ({day_text(staff.days_available)} available, "
            f"{day_text(candidate.committed)} already committed)."
        )
    return ""


def _reasons(candidate: Candidate, need: models.Need) -> list[str]:
    e = candidate.expertise
    reasons = [
        f"{e.get_area_display()}: {e.topic}" + (" (topic matches)" if candidate.fit == 2 else ""),
        f"{e.get_level_display()}" + ("" if candidate.level_ok else
                                      f", below the {need.get_level_needed_display()} asked for"),
    ]  # fmt: skip
    if e.accreditation:
        reasons.append(e.accreditation)
    reasons.append("Same cluster" if candidate.same_cluster else "Another cluster")
    reasons.append(
        f"{day_text(candidate.committed)} of {day_text(candidate.staff.days_available)} days "
        "committed this term"
    )
    return reasons


def match(user: Any, need: models.Need, today: dt.date, stage_label) -> dict[str, list]:
    """People in the user's reach (other academies of the need's trust) ranked for ``need``:
    topic fit, level, same cluster first, then the lightest load and most days left. People
    from academies that may not give (stage, capacity), without consent or without days left
    are listed apart with the reason."""
    staff = list(
        models.StaffMember.objects.restrict(user)
        .filter(academy__trust_id=need.academy.trust_id)
        .exclude(academy_id=need.academy_id)
        .select_related("academy")
        .prefetch_related(children("expertise", models.Expertise))
    )
    period = term_of(today)
    committed = committed_by_staff({s.pk for s in staff}, period)
    academies = list({s.academy_id: s.academy for s in staff}.values())
    capacity = {row.academy.pk: row for row in capacity_rows(academies, period)}
    needed = LEVEL_RANK.get(need.level_needed, 0)
    ranked, excluded = [], []
    for person in staff:
        fit, expertise = _best_expertise(person, need)
        if not fit:
            continue
        cluster = need.academy.cluster_id
        candidate = Candidate(
            staff=person,
            expertise=expertise,
            fit=fit,
            level_ok=LEVEL_RANK.get(expertise.level, 0) >= needed,
            same_cluster=cluster is not None and person.academy.cluster_id == cluster,
            committed=committed.get(person.pk, ZERO),
        )
        candidate.reasons = _reasons(candidate, need)
        candidate.excluded = _exclusion(candidate, capacity, stage_label)
        (excluded if candidate.excluded else ranked).append(candidate)
    ranked.sort(key=Candidate.sort_key)
    excluded.sort(key=Candidate.sort_key)
    return {"ranked": ranked, "excluded": excluded}


# --- directory ------------------------------------------------------------------------------


def directory(user: Any, filters: dict[str, str], today: dt.date) -> list[dict]:
    """Staff in reach with their expertise and days left this term, filtered by area or
    topic words (``q``), ``area``, ``academy``, ``cluster`` and ``available`` (days left)."""
    staff = models.StaffMember.objects.restrict(user).select_related("academy__cluster")
    if filters.get("q"):
        words = filters["q"].strip()
        staff = staff.filter(
            Q(name__icontains=words)
            | Q(job_title__icontains=words)
            | Q(expertise__topic__icontains=words)
            | Q(expertise__accreditation__icontains=words)
        )
    if filters.get("area"):
        staff = staff.filter(expertise__area=filters["area"])
    if filters.get("academy", "").isdigit():
        staff = staff.filter(academy_id=int(filters["academy"]))
    if filters.get("cluster", "").isdigit():
        staff = staff.filter(academy__cluster_id=int(filters["cluster"]))
    people = list(
        staff.distinct()
        .prefetch_related(children("expertise", models.Expertise))
        .order_by("name", "pk")
    )
    committed = committed_by_staff({s.pk for s in people}, term_of(today))
    rows = []
    for person in people:
        left = person.days_available - committed.get(person.pk, ZERO)
        if filters.get("available") == "yes" and (left <= 0 or not person.consent_to_deploy):
            continue
        rows.append({"staff": person, "left": left, "expertise": list(person.expertise.all())})
    return rows


# --- coaching -------------------------------------------------------------------------------


def heads_of(user: Any) -> set[int]:
    """Academies where ``user`` is the headteacher (granted at the academy itself)."""
    if not user.is_authenticated:
        return set()
    grants = RoleGrant.objects.filter(user=user, role=Role.HEADTEACHER, academy__isnull=False)
    return set(grants.values_list("academy_id", flat=True))


def sees_notes(user: Any, pair: models.CoachingPair) -> bool:
    """The coach, the coachee and the head of the coachee's academy read focus, action steps
    and notes; leaders above the academy see the pattern only (dates and cadence)."""
    own = user.pk in (pair.coach.user_id, pair.coachee.user_id)
    return own or pair.coachee.academy_id in heads_of(user)


def visible_pairs(user: Any):
    """Pairs in the user's scope: all for leaders, otherwise only where they are coach or coachee."""
    from trustlens.core.scoping import scope_of

    pairs = models.CoachingPair.objects.restrict(user).select_related(
        "coach__academy", "coachee__academy", "model"
    )
    led = scope_of(user).lead_academy_ids
    return pairs.filter(
        Q(coachee__academy_id__in=led) | Q(coach__user_id=user.pk) | Q(coachee__user_id=user.pk)
    )


@dataclass
class Cadence:
    sessions: int
    last: dt.date | None
    rushed: int  #: gaps shorter than the model's fewest days
    long_gaps: int  #: gaps longer than the model's most days
    lapsed: bool  #: an active pair whose last session is longer ago than the most days

    @property
    def warnings(self) -> list[str]:
        found = []
        if self.rushed:
            found.append(
                f"Rushed: {self.rushed} session{'s' if self.rushed > 1 else ''} too close together"
            )
        if self.long_gaps:
            found.append(
                f"{self.long_gaps} long gap{'s' if self.long_gaps > 1 else ''} between sessions"
            )
        if self.lapsed:
            found.append("Lapsed: no session for longer than the model expects")
        return found


def cadence(pair: models.CoachingPair, today: dt.date) -> Cadence:
    """Gaps between a pair's sessions against its coaching model's cadence (defaults 7–21 days)."""
    shortest = pair.model.min_days_between if pair.model_id else 7
    longest = pair.model.max_days_between if pair.model_id else 21
    dates = sorted(s.held_on for s in sessions_of(pair))
    gaps = [(b - a).days for a, b in zip(dates, dates[1:], strict=False)]
    last = dates[-1] if dates else None
    since = (today - (last or pair.started_on)).days
    return Cadence(
        sessions=len(dates),
        last=last,
        rushed=sum(1 for g in gaps if g < shortest),
        long_gaps=sum(1 for g in gaps if g > longest),
        lapsed=pair.active and since > longest,
    )


def coaching_patterns(pairs: list[models.CoachingPair], today: dt.date) -> list[dict]:
    """Per academy: pairs, sessions and cadence warnings, without names or notes."""
    rows: dict[int, dict] = {}
    for pair in pairs:
        academy = pair.coachee.academy
        row = rows.setdefault(
            academy.pk,
            {
                "academy": academy,
                "pairs": 0,
                "sessions": 0,
                "rushed": 0,
                "lapsed": 0,
                "models": set(),
            },
        )
        found = cadence(pair, today)
        row["pairs"] += 1
        row["sessions"] += found.sessions
        row["rushed"] += 1 if found.rushed else 0
        row["lapsed"] += 1 if found.lapsed else 0
        row["models"].add(pair.model.name if pair.model_id else "No model")
    return sorted(rows.values(), key=lambda r: r["academy"].name)

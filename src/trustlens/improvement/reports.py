"""Read-only views of improvement: the academies table, overdue actions, support by stage and
the triangulation of one academy (measures, QA findings, plan progress and support).

Every function starts from ``restrict(user)``; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections import Counter, defaultdict
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from trustlens.core import hooks
from trustlens.core.choices import RAG_TAGS, Theme
from trustlens.improvement.choices import PlanStatus
from trustlens.improvement.models import Action, Plan, Priority, StageChange, Support
from trustlens.improvement.services import overdue, stage_label, stage_options
from trustlens.organisations.models import Academy

log = logging.getLogger(__name__)
MEASURES_NOT_LOADED = "measures not loaded yet"


def current_plan(plans: list[Plan]) -> Plan | None:
    """The academy's active plan with the latest year (else its latest plan)."""
    active = [p for p in plans if p.status == PlanStatus.ACTIVE]
    ordered = sorted(active or plans, key=lambda p: (p.academic_year, p.pk), reverse=True)
    return ordered[0] if ordered else None


def rag_counts(priorities: list[Priority]) -> list[dict]:
    """How many priorities are red, amber, green or not rated, in that order, with their tag."""
    counts = Counter(p.rag for p in priorities)
    return [
        {"rag": rag, "n": counts[rag], "tag": RAG_TAGS[rag][0], "word": RAG_TAGS[rag][1]}
        for rag in ("red", "amber", "green", "")
        if counts[rag]
    ]


def academy_rows(user: Any) -> list[dict]:
    """One row per academy in scope: stage, plan RAG, open and overdue actions, support."""
    academies = list(Academy.objects.restrict(user).select_related("trust").order_by("name"))
    plans = defaultdict(list)
    for plan in Plan.objects.restrict(user):
        plans[plan.academy_id].append(plan)
    current = {a.pk: current_plan(plans[a.pk]) for a in academies}
    priorities = defaultdict(list)
    plan_ids = [p.pk for p in current.values() if p]
    for priority in Priority.objects.restrict(user).filter(plan_id__in=plan_ids):
        priorities[priority.plan_id].append(priority)
    actions = Action.objects.restrict(user).exclude(status__in=("done", "dropped"))
    open_counts = dict(actions.values_list("academy_id").annotate(n=Count("pk")))
    overdue_counts = dict(overdue(actions).values_list("academy_id").annotate(n=Count("pk")))
    support = {
        row["academy_id"]: row
        for row in Support.objects.restrict(user)
        .values("academy_id")
        .annotate(days=Sum("days"), cost=Sum("cost"), n=Count("pk"))
    }
    return [
        {
            "academy": a,
            "stage": stage_label(a.trust_id, a.improvement_stage),
            "plan": current[a.pk],
            "rags": rag_counts(priorities[current[a.pk].pk]) if current[a.pk] else [],
            "open": open_counts.get(a.pk, 0),
            "overdue": overdue_counts.get(a.pk, 0),
            "support": support.get(a.pk),
        }
        for a in academies
    ]


# --- support by stage ------------------------------------------------------------------------


def _next_change(changes: list[StageChange], after: dt.date) -> StageChange | None:
    later = [c for c in changes if c.changed_on >= after]
    return min(later, key=lambda c: (c.changed_on, c.pk)) if later else None


def _movement(trust_id: int, change: StageChange | None) -> str:
    """ "forward", "back" or "none": the next stage move after support, by the trust's order."""
    if change is None:
        return "none"
    order = {s.code: s.order for s in stage_options(trust_id)}
    before, after = order.get(change.previous_stage), order.get(change.stage)
    if before is None or after is None or before == after:
        return "none"
    return "forward" if after > before else "back"


def support_by_stage(user: Any) -> dict:
    """Support received by academies at each stage (when requested) and what followed: the
    next stage change after it and the linked priority's RAG now."""
    items = list(
        Support.objects.restrict(user)
        .select_related("academy", "priority", "provider_academy")
        .order_by("requested_on", "pk")
    )
    changes = defaultdict(list)
    for change in StageChange.objects.restrict(user).filter(
        academy__in={s.academy_id for s in items}
    ):
        changes[change.academy_id].append(change)
    stages: dict[str, dict] = {}
    rows = []
    for item in items:
        following = _next_change(changes[item.academy_id], item.starts_on or item.requested_on)
        movement = _movement(item.academy.trust_id, following)
        label = stage_label(item.academy.trust_id, item.stage_at_request)
        rows.append(
            {
                "support": item,
                "stage": label,
                "next_change": following,
                "movement": movement,
                "next_stage": stage_label(item.academy.trust_id, following.stage)
                if following
                else "",
            }
        )
        group = stages.setdefault(
            label,
            {
                "stage": label,
                "n": 0,
                "academies": set(),
                "days": Decimal(0),
                "cost": Decimal(0),
                "forward": set(),
                "back": set(),
            },
        )
        group["n"] += 1
        group["academies"].add(item.academy_id)
        group["days"] += item.days
        group["cost"] += item.cost
        if movement in ("forward", "back"):
            group[movement].add(item.academy_id)
    summary = [
        {
            **g,
            "academies": len(g["academies"]),
            "forward": len(g["forward"]),
            "back": len(g["back"]),
        }
        for g in stages.values()
    ]
    return {"summary": summary, "rows": rows}


# --- triangulation ---------------------------------------------------------------------------


def measures_for(academy: Academy) -> tuple[list[dict], str]:
    """The academy's headline measures if an app provides them (``core.hooks``), else a note.

    The dashboards register the provider in their ``AppConfig.ready``, so improvement works
    before (or without) the analytics and dashboards layers.
    """
    provider = hooks.academy_headline()
    if provider is None:
        return [], MEASURES_NOT_LOADED
    headline, catalogue = provider.headline, provider.catalogue
    try:
        cells = headline(academy)
    except (LookupError, ValueError, TypeError, OSError):
        log.exception("academy_headline failed for academy %s", academy.pk)
        return [], "measures could not be loaded"
    rows = []
    for code, cell in (cells or {}).items():
        spec = catalogue.get(code)
        if spec is not None and getattr(spec, "trust_roles_only", False):
            continue
        rows.append({"label": spec.label if spec else code, **cell})
    available = [r for r in rows if r.get("score") is not None]
    return (rows, "") if available else ([], MEASURES_NOT_LOADED)


def _theme_rows(findings: list, priorities: list[Priority], support: list[Support]) -> list[dict]:
    """Findings, plan priorities and support days side by side, by theme."""
    rows: dict[str, dict] = {}

    def row(theme: str) -> dict:
        return rows.setdefault(
            theme,
            {
                "theme": Theme(theme).label,
                "order": list(Theme).index(theme),
                "kinds": Counter(),
                "priorities": [],
                "days": Decimal(0),
            },
        )

    for finding in findings:
        row(finding.theme)["kinds"][finding.kind] += 1
    for priority in priorities:
        row(priority.theme)["priorities"].append(priority)
    for item in support:
        row(item.priority.theme if item.priority_id else Theme.OTHER)["days"] += item.days
    return sorted(rows.values(), key=lambda r: r["order"])


def triangulation(user: Any, academy: Academy, since_days: int = 365) -> dict:
    """Measures, QA findings (past year), the current plan's progress and support received."""
    from trustlens.quality.models import Activity, Finding

    since = dt.date.today() - dt.timedelta(days=since_days)
    findings = list(
        Finding.objects.restrict(user)
        .filter(activity__academy=academy, activity__scheduled_on__gte=since)
        .select_related("area", "activity")
    )
    activities = list(
        Activity.objects.restrict(user).filter(academy=academy, scheduled_on__gte=since)
    )
    plan = current_plan(list(Plan.objects.restrict(user).filter(academy=academy)))
    priorities = list(Priority.objects.restrict(user).filter(plan=plan)) if plan else []
    support = list(
        Support.objects.restrict(user).filter(academy=academy).select_related("priority")
    )
    actions = Action.objects.restrict(user).filter(academy=academy)
    measures, measures_note = measures_for(academy)
    return {
        "measures": measures,
        "measures_note": measures_note,
        "findings": findings,
        "finding_counts": Counter(f.kind for f in findings),
        "activities": activities,
        "plan": plan,
        "priorities": priorities,
        "rags": rag_counts(priorities),
        "support": support,
        "support_days": sum((s.days for s in support), Decimal(0)),
        "support_cost": sum((s.cost for s in support), Decimal(0)),
        "open_actions": actions.exclude(status__in=("done", "dropped")).count(),
        "overdue_actions": overdue(actions).count(),
        "themes": _theme_rows(findings, priorities, support),
        "since": since,
    }


def done_filter() -> Q:
    return Q(status__in=("done", "dropped"))

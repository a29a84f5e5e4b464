"""The main navigation: each entry shows only if its URL exists and the scope allows it.

An app above core may say who else sees its entry (``register_nav_check``): the networks app
shows "Network" to a network partner, whose login holds no role grant (an empty scope).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse

from trustlens.core.scoping import Scope


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    allowed: Callable[[Scope], bool]
    description: str


def _any(scope: Scope) -> bool:
    return not scope.is_empty


def _pupils(scope: Scope) -> bool:
    return scope.pupil_level


def _registered_only(scope: Scope) -> bool:
    """Shown only where the owning app's registered check says so (fails closed without it)."""
    return False


def _audit(scope: Scope) -> bool:
    return scope.can_read_audit


def _imports(scope: Scope) -> bool:
    return bool(scope.can_import_academy_ids)


NAV_ENTRIES: tuple[NavEntry, ...] = (
    NavEntry(
        "Schools",
        "dashboards:overview",
        _any,
        "Every academy at a glance: attainment, progress with its interval, attendance, outliers.",
    ),
    NavEntry(
        "Pupils", "pupils:list", _pupils, "Pupils and classes you may see, as formative data."
    ),
    NavEntry(
        "Data",
        "assessment:completeness",
        _any,
        "The assessment calendar and who has submitted which window.",
    ),
    NavEntry(
        "Imports",
        "imports:upload",
        _imports,
        "Upload the core data set: validate, preview, confirm.",
    ),
    NavEntry(
        "Quality", "quality:index", _any, "Peer reviews, visits, moderation, findings and actions."
    ),
    NavEntry(
        "Improvement",
        "improvement:index",
        _any,
        "Improvement stages, plans and the support ledger.",
    ),
    NavEntry(
        "Impact",
        "interventions:library",
        _any,
        "Interventions evaluated against matched comparison groups.",
    ),
    NavEntry(
        "People",
        "development:index",
        _any,
        "Expertise, deployments with backfill, coaching, joint CPD and inquiry.",
    ),
    NavEntry(
        "How we work",
        "governance:index",
        _any,
        "What the trust standardises, aligns or leaves autonomous; self-evaluation; calendar.",
    ),
    NavEntry(
        "Practice",
        "practice:index",
        _any,
        "The practice survey and how practice relates to outcomes.",
    ),
    NavEntry(
        "Network",
        "networks:index",
        _registered_only,
        "Partner trusts and schools: shared benchmarks, peer review, services, place planning.",
    ),
    NavEntry(
        "Audit",
        "accounts:audit",
        _audit,
        "Who saw or exported pupil data, when (for the data protection officer).",
    ),
)


_USER_CHECKS: dict[str, Callable[[Any], bool]] = {}


def register_nav_check(url_name: str, check: Callable[[Any], bool]) -> None:
    """``check(user)``: True when the user also sees the entry ``url_name`` (by the app that
    owns the page, in ``AppConfig.ready``)."""
    _USER_CHECKS[url_name] = check


def _shown(entry: NavEntry, scope: Scope, user: Any) -> bool:
    if entry.allowed(scope):
        return True
    check = _USER_CHECKS.get(entry.url_name)
    return bool(user is not None and check is not None and check(user))


def nav_for(scope: Scope, current_path: str = "", user: Any = None) -> list[dict]:
    """Navigation entries for a scope (and the user, for registered checks), with their URLs;
    entries not yet built are left out."""
    links = []
    for entry in NAV_ENTRIES:
        if not _shown(entry, scope, user):
            continue
        try:
            url = reverse(entry.url_name)
        except NoReverseMatch:
            continue
        links.append(
            {
                "label": entry.label,
                "url": url,
                "description": entry.description,
                "current": current_path.startswith(url),
            }
        )
    return links

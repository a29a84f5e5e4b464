"""Hooks between apps, registered by the app that provides them (in its ``AppConfig.ready``).

Lower apps never import higher ones: an app that needs something from above asks here, and the
app above registers it. Nothing is looked up by a string path.

- ``after_import``: a Django signal sent with ``trust_slug`` after every committed import
  (the dashboards connect their summary rebuild);
- ``store_rewritten``: a Django signal sent with ``trust_slug`` and ``from_scratch`` after the
  store was rewritten outside an import (a restore, a pupil's erasure): the dashboards rebuild
  their summaries (``from_scratch``: none of the old summaries is kept);
- record snapshots: the store datasets rebuilt from the records database after an import
  (``register_record_snapshot``, by the apps that own the records);
- the academy headline: the measures improvement's triangulation shows
  (``register_academy_headline``, by the dashboards).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.dispatch import Signal

#: Sent as ``after_import.send_robust(sender=None, trust_slug=slug)`` once an import committed.
after_import = Signal()

#: Sent as ``store_rewritten.send(sender=None, trust_slug=slug, from_scratch=True)`` (plain
#: ``send``: a failure reaches the caller, whose rewrite must not be reported done without it).
store_rewritten = Signal()

SnapshotFrame = Callable[[Any], Any]
_RECORD_SNAPSHOTS: dict[str, SnapshotFrame] = {}


def register_record_snapshot(dataset: str, frame: SnapshotFrame) -> None:
    """``frame(trust)`` returns the store snapshot of ``dataset`` from the records database."""
    _RECORD_SNAPSHOTS[dataset] = frame


def attach_record_dataset(dataset: str, loader: Callable[..., Any], frame: SnapshotFrame) -> None:
    """An app's records of ``dataset``: imported by ``loader`` (the ingest registry's loader)
    and written back to the store by ``frame(trust)`` (its record snapshot)."""
    from trustlens.ingest.registry import attach_loader

    attach_loader(dataset, loader)
    register_record_snapshot(dataset, frame)


def record_snapshots() -> dict[str, SnapshotFrame]:
    """Every registered record snapshot (dataset name -> frame function), in registration order."""
    return dict(_RECORD_SNAPSHOTS)


@dataclass(frozen=True)
class HeadlineProvider:
    """``headline(academy)`` -> {measure code: cell}; ``catalogue`` maps codes to measure specs."""

    headline: Callable[[Any], Mapping[str, dict]]
    catalogue: Mapping[str, Any]


_PROVIDERS: dict[str, HeadlineProvider] = {}


def register_academy_headline(headline: Callable[[Any], Mapping], catalogue: Mapping) -> None:
    _PROVIDERS["academy_headline"] = HeadlineProvider(headline, catalogue)


def academy_headline() -> HeadlineProvider | None:
    """The registered headline provider, or None when no app provides one."""
    return _PROVIDERS.get("academy_headline")


#: ``seeder(trust_slug, seed, today)`` -> {record type: number created}; it must be safe to run
#: twice (the second run creates nothing) and consistent with the trust's planted needs.
DemoSeeder = Callable[[str, int, Any], Mapping[str, int]]
_DEMO_SEEDERS: dict[str, DemoSeeder] = {}


def register_demo_seeder(name: str, seeder: DemoSeeder) -> None:
    """A higher app's part of ``trustlens demo-workflow`` (run after QA and improvement, in
    registration order, i.e. ``INSTALLED_APPS`` order)."""
    _DEMO_SEEDERS[name] = seeder


def demo_seeders() -> dict[str, DemoSeeder]:
    """Every registered demo seeder (name -> seeder), in registration order."""
    return dict(_DEMO_SEEDERS)


@dataclass(frozen=True)
class BoardSection:
    """One section of the board pack provided by an app: ``build(user, trust, as_of)`` returns
    ``{"columns": [heading, ...], "rows": [[value, ...], ...], "notes": [text, ...]}``, values
    numbers where they are numbers, aggregates only (no pupil, no narrative), small pupil
    groups already withheld (``c``)."""

    key: str
    title: str
    build: Callable[[Any, Any, Any], Mapping[str, Any]]
    order: int = 100


_BOARD_SECTIONS: dict[str, BoardSection] = {}


def register_board_section(
    key: str, title: str, build: Callable[[Any, Any, Any], Mapping[str, Any]], order: int = 100
) -> None:
    """A section of the board pack (quality by quality, stages and support by improvement,
    impact by interventions); the dashboards assemble every registered one."""
    _BOARD_SECTIONS[key] = BoardSection(key, title, build, order)


def board_sections() -> dict[str, BoardSection]:
    """Every registered board-pack section (key -> section), in ``order``."""
    return dict(sorted(_BOARD_SECTIONS.items(), key=lambda item: item[1].order))

"""The walk's synthetic trust, built the way ``make demo`` builds it (in process, no shell).

``generate`` runs ``trustlens synth`` (once per session); ``load`` runs ``trustlens import``,
``demo-users`` and ``demo-workflow`` into the test database; ``pupil_identifiers`` reads the
synthetic trust's own pupils.csv so a page can be searched for any pupil's name, UPN or id.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

SLUG = "walk"
PASSWORD = "trustlens-demo"  #: what ``trustlens demo-users`` gives every login
ACADEMIES = 4
#: Seed 18: the demo logins' academy (the lowest URN, a primary) shares its cluster with the
#: secondary, so a head's cluster and region drill-downs are only partly in scope (issue 12, 7).
SEED = 18
ROLES = ("exec", "trustee", "regional", "cluster", "head", "teacher", "datamanager", "dpo")
_WORD = re.compile(r"[A-Za-z0-9'\-]+")


def generate(folder: Path) -> Path:
    """``trustlens synth --academies 4``: a small trust that still has both phases."""
    from trustlens.synth import generate_trust

    generate_trust(folder, ACADEMIES, SEED)
    with (folder / "academies.csv").open(newline="") as handle:
        phases = {row["phase"] for row in csv.DictReader(handle)}
    assert {"primary", "secondary"} <= phases, f"the walk needs both phases, got {phases}"
    return folder


def load(folder: Path) -> list[str]:
    """Import the folder, create the demo logins and the demo workflow records; return logins."""
    from trustlens.imports.services import import_path
    from trustlens.improvement.demo import seed_demo
    from trustlens.people.services import create_demo_users

    outcome = import_path(folder, SLUG, trust_name="Walk Learning Trust")
    assert outcome.report.ok and outcome.report.loaded, outcome.report.to_json()[:2000]
    logins = [username for username, _role, _node in create_demo_users(SLUG, PASSWORD)]
    assert seed_demo(SLUG, SEED).created, "demo-workflow created nothing"
    return logins


def adult_names() -> set[str]:
    """Full names of people who are not pupils (logins, QA participants): never a leak."""
    from django.contrib.auth import get_user_model

    from trustlens.quality.models import Participant

    names = {u.get_full_name() for u in get_user_model().objects.all()}
    names |= {p.name.split(" (")[0] for p in Participant.objects.unscoped()}
    return {n.strip().lower() for n in names if n.strip()}


@dataclass(frozen=True)
class PupilIdentifiers:
    """Every pupil id and UPN, and every name pair in either order, of the synthetic trust."""

    tokens: frozenset[str]
    names: frozenset[tuple[str, str]]

    def found_in(self, html: str) -> list[str]:
        """What of a pupil the page holds (ids, UPNs, "Forename Surname" or "Surname, Forename")."""
        words = _WORD.findall(html)
        hits = {w for w in words if w in self.tokens}
        lowered = [w.lower() for w in words]
        hits |= {
            f"{a} {b}" for a, b in zip(lowered, lowered[1:], strict=False) if (a, b) in self.names
        }
        return sorted(hits)


def pupil_identifiers(folder: Path, adults: set[str]) -> PupilIdentifiers:
    """Read pupils.csv of the synth output (not the database: the source of truth)."""
    tokens: set[str] = set()
    names: set[tuple[str, str]] = set()
    with (folder / "pupils.csv").open(newline="") as handle:
        for row in csv.DictReader(handle):
            tokens |= {row["pupil_id"], row["upn"]}
            forename, surname = row["forename"].lower(), row["surname"].lower()
            if f"{forename} {surname}" not in adults:
                names |= {(forename, surname), (surname, forename)}
    return PupilIdentifiers(frozenset(tokens), frozenset(names))

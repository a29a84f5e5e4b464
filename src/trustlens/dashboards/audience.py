"""Who sees the figures: the one place where the dashboards decide on suppression.

Every view context, chart and board pack takes an :class:`Audience` from :func:`audience_for`
and passes its cells through :meth:`Audience.disclose` before they leave; the rule itself
(fewer than ``SUPPRESSION_THRESHOLD`` pupils -> ``c``) is
:mod:`trustlens.analytics.stats.suppression`'s, applied by ``formatting.suppress_cells``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings

from trustlens.core.scoping import Scope, scope_of
from trustlens.dashboards.formatting import Cell, suppress_cells
from trustlens.people.choices import TRUST_ROLES


@dataclass(frozen=True)
class Audience:
    """A user's scope and whether small groups are withheld from what they are shown."""

    scope: Scope
    suppressed: bool
    threshold: int

    @property
    def safeguarding(self) -> bool:
        return sees_safeguarding(self.scope)

    def disclose(self, cells: list[Cell]) -> list[Cell]:
        """The cells as this audience may see them (small pupil groups withheld in place)."""
        if self.suppressed:
            suppress_cells(cells, self.threshold)
        return cells


def audience_for(user: Any, *, leaves_screen: bool | None = None) -> Audience:
    """The audience of a page or export: aggregate-only scopes (trustees) always get small
    groups suppressed; ``leaves_screen=True`` (board packs, exports) forces suppression for
    everyone, ``False`` turns it off, None (default) decides from the scope."""
    scope = scope_of(user)
    suppressed = scope.aggregate_only if leaves_screen is None else leaves_screen
    return Audience(scope, suppressed, settings.SUPPRESSION_THRESHOLD)


def sees_safeguarding(scope: Scope) -> bool:
    """Safeguarding counts are for trust roles only (executives, trustees, regional/cluster leads)."""
    return bool(scope.roles & {str(r) for r in TRUST_ROLES})

"""Keys of the dashboards' cached fragments: what makes two users' pages identical.

Two requests share a cached fragment only when everything that changes its HTML is equal:
the trusts' data versions (``trustlens.core.fragments``: bumped by imports, store rewrites,
the dashboards' own summary rebuild and every RAG threshold change), the **audience** (the
suppression decision of :mod:`trustlens.dashboards.audience`: suppressed or not, the threshold,
whether safeguarding is shown), the **visible academies** (a digest of their ids, names,
phases and clusters: the links and rows differ by scope), the trusts' RAG thresholds and any
request parameter that changes the output. Per-user content (the user's name, CSRF tokens)
is never inside a cached fragment: it is rendered around it by the page.

Source: Django's cache framework, "The per-view cache" / "Template fragment caching" (vary on
what changes the output), https://docs.djangoproject.com/en/5.2/topics/cache/.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from trustlens.core.fragments import bump_data_version, cached_fragment, digest
from trustlens.dashboards.audience import Audience
from trustlens.dashboards.models import RagThreshold
from trustlens.organisations.models import Academy

#: The shape of what is cached: change it whenever a cached value's layout changes, so that a
#: new release never reads a fragment an older one left in a shared (file, Redis) cache.
FORMAT = 2


def audience_key(audience: Audience) -> str:
    """The suppression decision as a key part: a trustee's key never equals an executive's."""
    shown = "suppressed" if audience.suppressed else "open"
    return f"{shown}-{audience.threshold}-{'sg' if audience.safeguarding else 'nosg'}"


@dataclass(frozen=True)
class Visible:
    """What a user sees of the trusts: the slugs and a digest of the visible academies."""

    slugs: tuple[str, ...]
    trust_ids: tuple[int, ...]
    academies: str

    @property
    def empty(self) -> bool:
        return not self.slugs


def visible_for(user: Any) -> Visible:
    """One query: the user's academies (ids, names, phases, clusters) and their trusts."""
    rows = list(
        Academy.objects.restrict(user).values_list(
            "pk", "urn", "name", "phase", "cluster_id", "cluster__name", "trust_id", "trust__slug"
        )
    )
    slugs = tuple(sorted({r[7] for r in rows}))
    trust_ids = tuple(sorted({r[6] for r in rows}))
    return Visible(slugs, trust_ids, digest(repr(r) for r in rows))


def rules_key(trust_ids: tuple[int, ...]) -> str:
    """A digest of the trusts' RAG thresholds (also bumped on change by the services; this
    covers an edit made elsewhere, e.g. the admin)."""
    rows = RagThreshold.objects.unscoped().filter(trust_id__in=trust_ids)
    return digest(repr(r) for r in rows.values_list("trust_id", "measure", "material"))


def cached_page_part(
    name: str,
    *,
    visible: Visible,
    audience: Audience,
    build: Any,
    variant: tuple = (),
) -> Any:
    """A fragment of a dashboards page, keyed by the trusts' data versions, the audience, the
    visible academies, the RAG thresholds and ``variant``."""
    return cached_fragment(
        f"dashboards.{name}.v{FORMAT}",
        trust=visible.slugs or ("none",),
        audience=audience_key(audience),
        variant=(visible.academies, rules_key(visible.trust_ids), *variant),
        build=build,
    )


def thresholds_changed(trust_id: int) -> None:
    """Retire the trust's fragments: its RAG status and reasons change with a threshold."""
    from trustlens.organisations.models import Trust

    slug = Trust.objects.unscoped().filter(pk=trust_id).values_list("slug", flat=True).first()
    if slug:
        bump_data_version(slug)

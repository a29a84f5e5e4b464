"""Rendered fragments cached per trust, audience and data version: built once, shared by all.

What every user of one trust and one audience sees (an overview's table, a chart's SVG) is the
same HTML until the trust's data change, so a page asks :func:`cached_fragment` for it instead
of rendering it for each request. The key holds the trust, the audience (a role or a scope:
never shared across audiences, so suppression and pupil names stay where they belong), the
fragment's name and the trust's data version. Each committed import or store rewrite bumps the
version (``trustlens.core.hooks.after_import`` / ``store_rewritten``), so a new key is used and
stale fragments simply expire: nothing is deleted, nothing is ever served stale.

The cache is ``CACHES["default"]`` (settings ``TRUSTLENS_CACHE``: a file cache shared by the
worker processes of one machine by default, Redis for several machines).

Source: Django's cache framework ("The low-level cache API", "Cache versioning"),
https://docs.djangoproject.com/en/5.2/topics/cache/.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.cache import cache

PREFIX = "trustlens"
#: A fragment's lifetime once built (a day): its data version changing retires it sooner.
FRAGMENT_SECONDS = 24 * 3600
_SAFE = re.compile(r"[^A-Za-z0-9_.:-]")


def _version_key(trust: str | int) -> str:
    return f"{PREFIX}:data-version:{trust}"


def data_version(trust: str | int) -> int:
    """The trust's current data version (a new one is made if the cache has lost it, which
    only costs a rebuild of its fragments)."""
    return int(cache.get_or_set(_version_key(trust), time.time_ns(), None))


def bump_data_version(trust: str | int) -> int:
    """Start a new data version for the trust: every fragment cached so far is retired."""
    version = max(time.time_ns(), data_version(trust) + 1)
    cache.set(_version_key(trust), version, None)
    return version


def digest(values: Iterable[object]) -> str:
    """A short stable digest of a set of values (e.g. the academy ids a user sees), for a key:
    two users share a fragment only when they see exactly the same set."""
    text = ",".join(sorted(str(v) for v in values))
    return hashlib.blake2b(text.encode(), digest_size=10).hexdigest()


def fragment_key(
    name: str,
    trust: str | int | Sequence[str | int],
    audience: str,
    variant: Sequence[object] = (),
) -> str:
    """The cache key of a fragment for this trust (or several: a user of more than one trust)
    and audience at each trust's data version; ``variant`` holds whatever else changes the
    output (request parameters, a digest of the visible academies)."""
    trusts = [trust] if isinstance(trust, str | int) else list(trust)
    versions = [f"{t}@{data_version(t)}" for t in trusts]
    parts = (name, audience, *versions, *(str(v) for v in variant))
    return ":".join([PREFIX, "fragment", *(_SAFE.sub("_", p) for p in parts)])


def cached_fragment(
    name: str,
    *,
    trust: str | int | Sequence[str | int],
    audience: str,
    build: Callable[[], Any],
    variant: Sequence[object] = (),
    timeout: int = FRAGMENT_SECONDS,
) -> Any:
    """The fragment ``name`` for ``trust`` and ``audience`` (and ``variant``), built by
    ``build()`` only when this data version has none yet (any picklable value, None included: HTML text,
    a context dict)."""
    key = fragment_key(name, trust, audience, variant)
    found = cache.get(key)  # kept as a 1-tuple, so that a fragment may be None
    if found is None:
        found = (build(),)
        cache.set(key, found, timeout)
    return found[0]


def bump_on_signal(sender: object = None, *, trust_slug: str, **kwargs: object) -> None:
    """Receiver for ``after_import`` and ``store_rewritten``: the trust's data changed."""
    bump_data_version(trust_slug)


_MISSING = object()


def store_manifest(trust_slug: str) -> str | None:
    """The name of the trust's live store manifest (every committed import or rewrite writes a
    new one), or None when the trust has no store yet."""
    from trustlens.ingest.store import CURRENT, AnalyticalStore

    store = AnalyticalStore(settings.STORE_DIR)
    try:
        return (store.trust_dir(trust_slug) / CURRENT).read_text().strip()
    except FileNotFoundError:
        return None


def cached_per_store(trust_slug: str, name: str, parts: Iterable[object], build: Any) -> Any:
    """``build()`` once per live store manifest of the trust (and ``parts``): what a page
    reads from the store is computed after each import, not on every request."""
    manifest = store_manifest(trust_slug)
    if manifest is None:
        return build()
    key = f"store:{name}:" + digest((settings.STORE_DIR, trust_slug, manifest, *parts))
    found = cache.get(key, _MISSING)
    if found is _MISSING:
        found = build()
        cache.set(key, found, timeout=None)
    return found

"""The one scoping layer: every academy- or pupil-level query goes through ``restrict``.

Pattern from NetBox (``RestrictedQuerySet.restrict(user, action)``) and PostHog (a scoped
manager with no scope raises; the only escape hatch is an explicit ``unscoped()``).

A model opts in by using ``ScopedManager`` and declaring two class attributes:

- ``scope_academy_path``: the ORM path from the model to its academy's primary key
  (``"pk"`` for Academy itself, ``"academy"`` or ``"enrolment__academy"`` for others), or
  ``None`` with ``scope_trust_path`` for trust-level records (regions, clusters...).
- ``scope_pupil_level``: True when a row describes one pupil. Such rows are never returned to
  an aggregate-only scope (trustees); teachers see them only for pupils in their own classes,
  through ``scope_pupil_path`` (the path to the Pupil's primary key).

A queryset that has been neither restricted nor explicitly unscoped raises ``ScopeError`` as
soon as it touches the database, so a forgotten ``restrict`` fails closed.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.db.models import Q


class ScopeError(RuntimeError):
    """Raised when scoped data is queried without a scope."""


@dataclass(frozen=True)
class Scope:
    """What one user may see: academies, trusts and the level of detail.

    ``academy_ids``: academies whose aggregates the user may see.
    ``pupil_academy_ids``: academies whose pupil-level rows the user may see (all pupils).
    ``class_ids``: teaching groups whose pupils the user may see (teachers: own classes).
    ``trust_ids``: trusts whose organisation records (regions, clusters) are visible.
    ``lead_academy_ids``: academies whose QA and improvement records the user writes (leaders).
    ``oversee_academy_ids``: academies whose improvement stage the user sets (roles above them).
    ``configure_trust_ids``: trusts whose frameworks, settings and stage names the user configures.
    ``audit_trust_ids``: trusts whose audit log of pupil-level access the user reads (the DPO).
    """

    user_id: int | None
    trust_ids: frozenset[int] = field(default_factory=frozenset)
    academy_ids: frozenset[int] = field(default_factory=frozenset)
    pupil_academy_ids: frozenset[int] = field(default_factory=frozenset)
    class_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    description: tuple[str, ...] = ()
    can_import_academy_ids: frozenset[int] = field(default_factory=frozenset)
    lead_academy_ids: frozenset[int] = field(default_factory=frozenset)
    oversee_academy_ids: frozenset[int] = field(default_factory=frozenset)
    configure_trust_ids: frozenset[int] = field(default_factory=frozenset)
    audit_trust_ids: frozenset[int] = field(default_factory=frozenset)

    @property
    def can_read_audit(self) -> bool:
        return bool(self.audit_trust_ids)

    @property
    def is_empty(self) -> bool:
        return not self.academy_ids and not self.trust_ids

    @property
    def pupil_level(self) -> bool:
        """True when the user may see any pupil-level row at all."""
        return bool(self.pupil_academy_ids or self.class_ids)

    @property
    def aggregate_only(self) -> bool:
        return not self.pupil_level

    def sees_pupils_of(self, academy_id: int) -> bool:
        return academy_id in self.pupil_academy_ids


EMPTY_SCOPE = Scope(user_id=None)

ScopeBuilder = Callable[[Any], Scope]
ClassPupils = Callable[[frozenset[int]], models.QuerySet]
_BUILDERS: dict[str, Any] = {}


def register_scope_builder(builder: ScopeBuilder) -> None:
    """Say how a user's grants become a ``Scope`` (the people app, in ``AppConfig.ready``)."""
    _BUILDERS["scope"] = builder


def register_class_pupils(lookup: ClassPupils) -> None:
    """Say which pupils belong to teaching groups (the pupils app): a ``pupil_id`` values query."""
    _BUILDERS["class_pupils"] = lookup


def _builder() -> ScopeBuilder:
    builder = _BUILDERS.get("scope")
    if builder is None:
        raise ScopeError("no scope builder is registered: is the people app installed?")
    return builder


def scope_of(user_or_scope: Any) -> Scope:
    """Resolve a user (or an existing scope) to a ``Scope``; anonymous users see nothing."""
    if isinstance(user_or_scope, Scope):
        return user_or_scope
    if user_or_scope is None or not getattr(user_or_scope, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user_or_scope, "_trustlens_scope", None)
    if cached is not None:
        return cached
    scope = _builder()(user_or_scope)
    user_or_scope._trustlens_scope = scope
    return scope


class ScopedQuerySet(models.QuerySet):
    """A queryset that refuses to run until ``restrict(user)`` or ``unscoped()`` is called."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scope_state: str | None = None

    def _clone(self) -> ScopedQuerySet:
        clone = super()._clone()
        clone._scope_state = self._scope_state
        return clone

    def _guard(self) -> None:
        if self._scope_state is None:
            raise ScopeError(
                f"{self.model.__name__} queried without a scope: call .restrict(user) "
                "or, for system work, .unscoped()"
            )

    def restrict(self, user_or_scope: Any) -> ScopedQuerySet:
        """Only the rows the user's scope allows; fails closed for an empty scope."""
        scope = scope_of(user_or_scope)
        clone = self._chain()
        clone._scope_state = "restricted"
        restricted = clone.filter(scope_filter(self.model, scope))
        return restricted.distinct() if getattr(self.model, "scope_distinct", False) else restricted

    def unscoped(self) -> ScopedQuerySet:
        """Every row. The only escape hatch: use for system jobs, admin and imports."""
        clone = self._chain()
        clone._scope_state = "unscoped"
        return clone

    def _fetch_all(self) -> None:
        if self._result_cache is None:
            self._guard()
        super()._fetch_all()

    def count(self) -> int:
        if self._result_cache is None:
            self._guard()
        return super().count()

    def exists(self) -> bool:
        if self._result_cache is None:
            self._guard()
        return super().exists()

    def aggregate(self, *args: Any, **kwargs: Any) -> dict:
        self._guard()
        return super().aggregate(*args, **kwargs)

    def iterator(self, *args: Any, **kwargs: Any):
        self._guard()
        return super().iterator(*args, **kwargs)

    def update(self, **kwargs: Any) -> int:
        self._guard()
        return super().update(**kwargs)

    def delete(self):
        self._guard()
        return super().delete()


class ScopedManager(models.Manager.from_queryset(ScopedQuerySet)):
    """Default manager of every scoped model. ``get_queryset`` cannot be overridden safely."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        # Django's own related managers (academy.enrolments) subclass the default manager and
        # add the relation filter; their querysets stay unscoped, so they still fail closed.
        if "get_queryset" in cls.__dict__ and not cls.__module__.startswith("django.db.models."):
            raise TypeError("ScopedManager subclasses may not override get_queryset")


def _path(prefix: str | None, suffix: str) -> str:
    return f"{prefix or 'pk'}__{suffix}"


def scope_filter(model: type[models.Model], scope: Scope) -> Q:
    """The Q object that limits ``model`` to ``scope``. An empty scope matches nothing."""
    academy_path = getattr(model, "scope_academy_path", None)
    trust_path = getattr(model, "scope_trust_path", None)
    if academy_path is None and trust_path is None:
        raise ScopeError(
            f"{model.__name__} declares neither scope_academy_path nor scope_trust_path"
        )
    if academy_path is None:
        return Q(**{_path(trust_path, "in"): scope.trust_ids})
    academy_in = _path(academy_path, "in")
    if not getattr(model, "scope_pupil_level", False):
        return Q(**{academy_in: scope.academy_ids})
    allowed = Q(**{academy_in: scope.pupil_academy_ids})
    pupil_path = getattr(model, "scope_pupil_path", None)
    lookup = _BUILDERS.get("class_pupils")
    # No registered lookup: teachers get no class rows (fails closed).
    if scope.class_ids and pupil_path is not None and lookup is not None:
        allowed |= Q(
            **{academy_in: scope.academy_ids},
            **{_path(pupil_path, "in"): lookup(scope.class_ids)},
        )
    return allowed


def _walk(obj: Any, path: str | None) -> int | None:
    """The primary key at the end of ``path`` ("plan__academy" -> obj.plan.academy_id)."""
    if path is None:
        return None
    *hops, last = path.split("__")
    for hop in hops:
        obj = getattr(obj, hop, None)
        if obj is None:
            return None
    return obj.pk if last == "pk" else getattr(obj, f"{last}_id", None)


class ScopedModel(models.Model):
    """Abstract base for academy- and pupil-level records."""

    scope_academy_path: str | None = "academy"
    scope_trust_path: str | None = None
    scope_pupil_level: bool = False
    scope_pupil_path: str | None = None
    scope_distinct: bool = False

    objects = ScopedManager()

    class Meta:
        abstract = True

    @property
    def academy_id(self) -> int | None:
        """The academy this record belongs to, read along ``scope_academy_path``.

        Models with their own ``academy`` foreign key keep Django's column attribute (it
        replaces this property); many-academy paths ("academies") have no single academy.
        """
        path = self.scope_academy_path
        if path is None or path.split("__")[-1] == "academies":
            return None
        return _walk(self, path)

    @property
    def scope_trust_id(self) -> int | None:
        """The trust of a trust-level record (along ``scope_trust_path``), else its academy's."""
        if self.scope_trust_path is not None:
            return _walk(self, self.scope_trust_path)
        academy_path = self.scope_academy_path
        if academy_path is None or academy_path.split("__")[-1] == "academies":
            return None
        return _walk(self, "trust" if academy_path == "pk" else f"{academy_path}__trust")

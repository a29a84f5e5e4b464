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
    """

    user_id: int | None
    trust_ids: frozenset[int] = field(default_factory=frozenset)
    academy_ids: frozenset[int] = field(default_factory=frozenset)
    pupil_academy_ids: frozenset[int] = field(default_factory=frozenset)
    class_ids: frozenset[int] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    description: tuple[str, ...] = ()
    can_import_academy_ids: frozenset[int] = field(default_factory=frozenset)

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


def scope_of(user_or_scope: Any) -> Scope:
    """Resolve a user (or an existing scope) to a ``Scope``; anonymous users see nothing."""
    if isinstance(user_or_scope, Scope):
        return user_or_scope
    if user_or_scope is None or not getattr(user_or_scope, "is_authenticated", False):
        return EMPTY_SCOPE
    cached = getattr(user_or_scope, "_trustlens_scope", None)
    if cached is not None:
        return cached
    from trustlens.people.scopes import build_scope

    scope = build_scope(user_or_scope)
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
    if scope.class_ids and pupil_path is not None:
        allowed |= Q(
            **{academy_in: scope.academy_ids},
            **{_path(pupil_path, "in"): _class_pupils(scope)},
        )
    return allowed


def _class_pupils(scope: Scope) -> models.QuerySet:
    from trustlens.pupils.models import GroupMembership

    return (
        GroupMembership.objects.unscoped().filter(group_id__in=scope.class_ids).values("pupil_id")
    )


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

"""Django's JSON serializer for system work (``manage dumpdata --all``, ``loaddata``, backups).

Scoped models fail closed (``trustlens.core.scoping``), and Django's related managers inherit
that: serializing a many-to-many field (``Intervention.academies``) or setting one on load would
raise ``ScopeError``. Dumps and loads are system work over every row, so this serializer reads and
writes many-to-many links through the unscoped escape hatch and the (plain) through table. The
default managers stay fail-closed; registered for "json" in ``SERIALIZATION_MODULES``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django.core.serializers import base
from django.core.serializers import json as django_json
from django.db import models


def related_rows(obj: models.Model, field: models.ManyToManyField) -> models.QuerySet:
    """The objects ``obj`` links to through ``field``, unscoped when the target is scoped."""
    manager = getattr(obj, field.name)
    rows = manager.unscoped() if hasattr(manager, "unscoped") else manager.all()
    return rows.select_related(None)


class Serializer(django_json.Serializer):
    """JSON serializer whose many-to-many values bypass the scope guard."""

    def handle_m2m_field(self, obj: models.Model, field: models.ManyToManyField) -> None:
        if not field.remote_field.through._meta.auto_created:
            return
        rows = related_rows(obj, field)
        if self.use_natural_foreign_keys and hasattr(field.remote_field.model, "natural_key"):
            values = [row.natural_key() for row in rows]
        else:
            values = [self._value_from_field(row, row._meta.pk) for row in rows.only("pk")]
        self._current[field.name] = values


class SystemDeserializedObject(base.DeserializedObject):
    """Saves many-to-many links straight into the through table (no scoped manager involved)."""

    def save(self, save_m2m: bool = True, using: str | None = None, **kwargs: Any) -> None:
        links = self.m2m_data or {}
        super().save(save_m2m=False, using=using, **kwargs)  # clears m2m_data
        if save_m2m:
            self.save_links(links, using)

    def save_links(self, links: dict[str, list], using: str | None) -> None:
        for accessor, targets in links.items():
            field = self.object._meta.get_field(accessor)
            through = field.remote_field.through
            source, target = field.m2m_column_name(), field.m2m_reverse_name()
            links = through._base_manager.using(using or "default")
            links.filter(**{source: self.object.pk}).delete()
            links.bulk_create(
                [through(**{source: self.object.pk, target: value}) for value in targets]
            )


class Deserializer(django_json.Deserializer):
    """JSON deserializer yielding objects that save their links without the scope guard."""

    def _handle_object(self, obj: dict) -> Iterator[base.DeserializedObject]:
        for item in super()._handle_object(obj):
            yield SystemDeserializedObject(item.object, item.m2m_data, item.deferred_fields)

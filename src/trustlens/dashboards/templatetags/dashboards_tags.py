"""Template helpers for dashboards: look up a column's cells, describe a cell in words."""

from __future__ import annotations

from typing import Any

from django import template

from trustlens.dashboards.choices import MEASURES, RAG
from trustlens.dashboards.rag import tag_text

register = template.Library()


@register.filter
def get(mapping: dict, key: Any) -> Any:
    """``{{ row.cells|get:column }}``"""
    return mapping.get(key, []) if mapping else []


@register.filter
def tag_class(rag: str) -> str:
    return RAG.TAG_CLASSES.get(rag, "")


@register.filter
def cell_tag(cell: Any) -> str:
    return tag_text(cell.rag, cell)


@register.filter
def measure_label(code: str) -> str:
    return MEASURES[code].label if code in MEASURES else code


@register.filter
def short_label(code: str) -> str:
    return MEASURES[code].short if code in MEASURES else code


@register.filter
def make_list_of_one(value: Any) -> list:
    return [value] if value is not None else []

"""Figures on the people pages: days (one decimal, "2.5", "10"), whole pounds and shares."""

from __future__ import annotations

from typing import Any

from django import template

from trustlens.core.templatetags import figures

register = template.Library()


@register.filter
def days(value: Any) -> str:
    """10 / 2.5 days; 0 when missing (rounded first, never "-0")."""
    if value is None or value == "":
        return "0"
    text = figures.number(value, 1)
    return text[:-2] if text.endswith(".0") else text


@register.filter
def pounds(value: Any) -> str:
    """Whole pounds: £1,235; an en dash when missing."""
    return figures.money(value, 0)


@register.filter
def share(value: Any) -> str:
    """A percentage already in per cent: 12.5 -> "13%"; an en dash when there is none."""
    if value is None or value == "":
        return "–"
    return f"{figures.number(value, 0)}%"

"""Figures in templates, for every app: rounded first, so a value that rounds to zero never
prints as "-0" (Django's ``floatformat`` keeps the sign; issue 12)."""

from __future__ import annotations

import math
from typing import Any

from django import template

register = template.Library()


def as_figure(value: Any) -> float | None:
    """The value as a finite float, or None (missing, text, NaN)."""
    try:
        figure = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(figure) else figure


def fixed(value: float, decimals: int) -> str:
    """``value`` with ``decimals`` places, rounded first so that a value that rounds to zero
    prints "0.00", never "-0.00" (-0.0 + 0.0 is 0.0)."""
    return f"{round(value, decimals) + 0.0:.{decimals}f}"


@register.filter
def number(value: Any, decimals: int = 2) -> str:
    """``{{ x|number:2 }}``: rounded first, never "-0.00"; "" when there is no number (so
    ``|default:"–"`` applies)."""
    figure = as_figure(value)
    if figure is None:
        return ""
    return fixed(figure, int(decimals))


@register.filter
def signed(value: Any, places: int = 2) -> str:
    """+0.21 / −0.05 (a real minus sign), +0.00 for a value that rounds to zero; an en dash
    when missing."""
    figure = as_figure(value)
    if figure is None:
        return "–"
    return f"{round(figure, int(places)) + 0.0:+.{int(places)}f}".replace("-", "\u2212")


def money(value: Any, places: int = 2) -> str:
    """£1,234.50 (``places`` decimals); an en dash when missing. The apps register it as their
    ``money`` filter (improvement and QA pages show whole pounds)."""
    if value is None or value == "":
        return "–"
    return f"£{float(value):,.{int(places)}f}"


def percent(value: Any, places: int = 0) -> str:
    """0.8123 -> "81%"; an en dash when missing. The apps register it as their percentage
    filter."""
    if value is None or value == "":
        return "–"
    return f"{100 * float(value):.{int(places)}f}%"

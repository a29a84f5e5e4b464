"""Template helpers for QA and improvement pages: RAG and status tags that always carry a word,
percentages with intervals, and academy labels."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from trustlens.core.choices import RAG_TAGS
from trustlens.core.templatetags import figures

register = template.Library()

STATUS_TAGS = {
    "planned": "tl-tag--blue",
    "done": "tl-tag--green",
    "cancelled": "",
    "open": "tl-tag--blue",
    "in_progress": "tl-tag--amber",
    "dropped": "",
    "requested": "tl-tag--blue",
    "agreed": "tl-tag--amber",
    "given": "tl-tag--green",
    "declined": "",
    "draft": "tl-tag--amber",
    "active": "tl-tag--green",
    "retired": "",
    "closed": "",
    "strength": "tl-tag--green",
    "development": "tl-tag--amber",
    "concern": "tl-tag--red",
}


@register.simple_tag
def rag_tag(value: str | None) -> str:
    """A RAG tag with its word (colour never carries the meaning alone)."""
    css, word = RAG_TAGS.get(value or "", RAG_TAGS[""])
    return format_html('<span class="tl-tag {}">{}</span>', css, word)


@register.simple_tag
def status_tag(value: str, label: str) -> str:
    return format_html('<span class="tl-tag {}">{}</span>', STATUS_TAGS.get(value, ""), label)


@register.simple_tag
def overdue_tag() -> str:
    return format_html('<span class="tl-tag tl-tag--red">{}</span>', "Overdue")


register.filter("pct", figures.percent)


@register.filter
def money(value) -> str:
    """Whole pounds: £1,235; an en dash when missing."""
    return figures.money(value, 0)


@register.filter
def days(value) -> str:
    if value is None or value == "":
        return "0"
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


@register.filter
def get(mapping: dict, key):
    return mapping.get(key) if mapping else None

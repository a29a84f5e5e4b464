"""Template filters for effect sizes, months and verdicts."""

from __future__ import annotations

from django import template

from trustlens.core.templatetags import figures

register = template.Library()

VERDICT_TAGS = {
    "positive": ("tl-tag--green", "Positive"),
    "negative": ("tl-tag--red", "Negative"),
    "unclear": ("tl-tag--amber", "Unclear"),
    "not_evaluated": ("", "Not evaluated"),
}
SEVERITY_TAGS = {
    "serious": ("tl-tag--red", "Serious"),
    "warning": ("tl-tag--amber", "Caution"),
    "note": ("tl-tag--blue", "Note"),
}


register.filter("signed", figures.signed)


@register.filter
def months(value) -> str:
    """'+3 months' / '−2 months' / '0 months'."""
    if value is None or value == "":
        return "–"
    value = int(value)
    sign = "+" if value > 0 else "\u2212" if value < 0 else ""
    return f"{sign}{abs(value)} month{'s' if abs(value) != 1 else ''}"


@register.inclusion_tag("interventions/_tag.html")
def verdict_tag(verdict: str) -> dict:
    css, word = VERDICT_TAGS.get(verdict or "not_evaluated", VERDICT_TAGS["not_evaluated"])
    return {"css": css, "word": word}


@register.inclusion_tag("interventions/_tag.html")
def severity_tag(severity: str) -> dict:
    css, word = SEVERITY_TAGS.get(severity, SEVERITY_TAGS["note"])
    return {"css": css, "word": word}


register.filter("money", figures.money)
register.filter("percent", figures.percent)

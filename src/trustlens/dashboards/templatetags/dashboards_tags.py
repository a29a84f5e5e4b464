"""Template helpers for dashboards: look up a column's cells, describe a cell in words."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from trustlens.core.templatetags.figures import number
from trustlens.dashboards.choices import MEASURES, RAG
from trustlens.dashboards.formatting import TOO_FEW
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


@register.simple_tag(takes_context=True)
def unit_url(context: template.Context, level: str, node_id: int | None) -> str:
    """The drill-down URL of a region or cluster, or "" when the user cannot open it: the
    view's own rule (``services.academies_of_unit``: every academy of it in scope), so no page
    links to a 404. The openable units are found once per request, in one query
    (``contexts.overview.whole_units``), not once per row."""
    request = context.get("request")
    if not node_id or request is None:
        return ""
    units = request.__dict__.get("_tl_whole_units")
    if units is None:
        from trustlens.core.scoping import scope_of
        from trustlens.dashboards.contexts.overview import whole_units

        clusters, regions = whole_units(scope_of(request.user))
        units = request.__dict__["_tl_whole_units"] = {"cluster": clusters, "region": regions}
    if int(node_id) not in units.get(level, ()):
        return ""
    return reverse(f"dashboards:{level}", args=[int(node_id)])


register.filter("number", number)


@register.filter
def make_list_of_one(value: Any) -> list:
    return [value] if value is not None else []


@register.simple_tag(takes_context=True)
def dash_cells(context: template.Context, items: Any, with_tags: bool = False) -> str:
    """The markup of ``dashboards/_cell.html`` built in Python: the overview renders a few
    hundred cells, and an ``{% include %}`` per cell was most of its rendering time. Change the
    two together: they must give the same bytes."""
    items = list(items or [])
    esc = conditional_escape
    threshold = esc(context.get("suppression_threshold", ""))
    parts = []
    for cell in items:
        parts.append('<div class="tl-dash-cell">')
        if len(items) > 1:
            parts.append(f'<span class="tl-dash-sub">{esc(short_label(cell.measure))}</span> ')
        if cell.symbol:
            if cell.symbol == "c":
                title = f"suppressed: fewer than {threshold} pupils"
            elif cell.symbol == "z":
                title = "not applicable"
            else:
                title = "not available"
            parts.append(f'<abbr class="tl-dash-value" title="{title}">{esc(cell.symbol)}</abbr>')
        else:
            parts.append(f'<span class="tl-dash-value">{esc(cell.text)}</span>')
            interval, n, trend = cell.interval_text, cell.n_label, cell.trend_text
            if interval:
                parts.append(f' <span class="tl-ci">({esc(interval)})</span>')
            if n:
                parts.append(f' <span class="tl-dash-n">n={esc(n)}</span>')
            shrunk = cell.shrunk
            if shrunk:
                parts.append(
                    f'<span class="tl-dash-shrunk">shrunken estimate {esc(shrunk["text"])} '
                    f"({esc(shrunk['interval'])}), reliability {esc(shrunk['reliability'])}: "
                    f'<abbr title="{esc(shrunk["method"])}">empirical Bayes</abbr></span>'
                )
            if trend:
                parts.append(f'<span class="tl-dash-trend">{esc(trend)}</span>')
            if with_tags and cell.rag != "grey":
                parts.append(
                    '\n<details class="tl-details tl-dash-rag"><summary>'
                    f'<span class="tl-tag {esc(tag_class(cell.rag))}">{esc(cell_tag(cell))}</span>'
                    f'<span class="tl-visually-hidden"> {esc(measure_label(cell.measure))}: why?'
                    f"</span></summary><div>{esc(cell.reason)}</div></details>"
                )
            elif with_tags and cell.too_few:
                parts.append(f'\n<span class="tl-dash-note">{TOO_FEW}</span>')
        parts.append("</div>")
    parts.append("\n")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped

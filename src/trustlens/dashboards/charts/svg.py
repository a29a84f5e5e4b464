"""SVG building blocks shared by every chart: the ``Chart`` record, scales, axes, frame."""

from __future__ import annotations

import math
import secrets
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import count
from typing import Any

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from trustlens.core.templatetags.figures import fixed

WIDTH, HEIGHT = 640, 320
PAD_L, PAD_R, PAD_T, PAD_B = 64, 24, 16, 48
INK, GREY, LIGHT = "#0b0c0c", "#505a5f", "#b1b4b6"
BLUE, RED, GREEN = "#1d4e89", "#b3261e", "#00703c"
_ids = count(1)
#: This process's own mark in chart ids: a chart rendered here may sit on one page beside a
#: cached chart that another worker process rendered (the fragment cache), and ids must differ.
_PROCESS = secrets.token_hex(3)


@dataclass
class Chart:
    """One chart: SVG markup, title, summary text and its table alternative."""

    title: str
    svg: SafeString
    summary: str
    columns: list[str] = field(default_factory=list)
    rows: list[list[Any]] = field(default_factory=list)
    chart_id: str = ""


@dataclass
class Scale:
    """Linear map from data to pixels."""

    lo: float
    hi: float
    p0: float
    p1: float

    def __call__(self, value: float) -> float:
        span = (self.hi - self.lo) or 1.0
        return self.p0 + (value - self.lo) / span * (self.p1 - self.p0)


def nice_ticks(lo: float, hi: float, n: int = 5) -> list[float]:
    """About ``n`` round tick values covering [lo, hi]."""
    if not (math.isfinite(lo) and math.isfinite(hi)):
        return []
    if hi <= lo:
        hi = lo + 1.0
    raw = (hi - lo) / max(n, 1)
    mag = 10 ** math.floor(math.log10(raw))
    step = next(m * mag for m in (1, 2, 2.5, 5, 10) if m * mag >= raw)
    first = math.ceil(lo / step) * step
    ticks, value = [], first
    while value <= hi + step * 1e-9:
        ticks.append(round(value, 10))
        value += step
    return ticks


#: A figure in the text alternative: rounded first, never "-0.00" (issue 12).
num = fixed


def bound(row: dict, key: str, decimals: int) -> float:
    """An interval bound as printed (rounded), NaN when missing (so no comparison holds)."""
    value = row.get(key)
    return float("nan") if value is None else round(value, decimals) + 0.0


def tick_text(value: float) -> str:
    value = value + 0.0  # -0.0 + 0.0 is 0.0: a tick at zero is "0", never "-0"
    return f"{value:g}" if abs(value) >= 1 or value == 0 else f"{value:.2g}"


def frame(title_id: str, desc_id: str, title: str, summary: str, body: str) -> SafeString:
    return mark_safe(
        f'<svg class="tl-chart" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" xmlns="http://www.w3.org/2000/svg" '
        f'font-family="Helvetica, Arial, sans-serif" font-size="12">'
        f'<title id="{title_id}">{escape(title)}</title><desc id="{desc_id}">{escape(summary)}</desc>'
        f'<rect x="0" y="0" width="{WIDTH}" height="{HEIGHT}" fill="#fff"/>{body}</svg>'
    )


def axes(
    x: Scale, y: Scale, x_label: str, y_label: str, x_ticks: Sequence[float] | None = None
) -> str:
    parts = [
        f'<line x1="{PAD_L}" y1="{HEIGHT - PAD_B}" x2="{WIDTH - PAD_R}" y2="{HEIGHT - PAD_B}" stroke="{INK}"/>',
        f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{HEIGHT - PAD_B}" stroke="{INK}"/>',
    ]
    for tick in nice_ticks(y.lo, y.hi):
        py = y(tick)
        parts.append(
            f'<line x1="{PAD_L - 4}" y1="{py:.1f}" x2="{WIDTH - PAD_R}" y2="{py:.1f}" stroke="#eeeeee"/>'
        )
        parts.append(
            f'<text x="{PAD_L - 6}" y="{py + 4:.1f}" text-anchor="end" fill="{GREY}">{tick_text(tick)}</text>'
        )
    for tick in x_ticks if x_ticks is not None else nice_ticks(x.lo, x.hi):
        px = x(tick)
        parts.append(
            f'<line x1="{px:.1f}" y1="{HEIGHT - PAD_B}" x2="{px:.1f}" y2="{HEIGHT - PAD_B + 4}" stroke="{INK}"/>'
        )
        parts.append(
            f'<text x="{px:.1f}" y="{HEIGHT - PAD_B + 16}" text-anchor="middle" fill="{GREY}">{tick_text(tick)}</text>'
        )
    parts.append(
        f'<text x="{(PAD_L + WIDTH - PAD_R) / 2}" y="{HEIGHT - 8}" text-anchor="middle" fill="{INK}">{escape(x_label)}</text>'
    )
    parts.append(
        f'<text transform="translate(14 {(PAD_T + HEIGHT - PAD_B) / 2}) rotate(-90)" text-anchor="middle" fill="{INK}">{escape(y_label)}</text>'
    )
    return "".join(parts)


def ids_for(prefix: str) -> tuple[str, str, str]:
    n = f"{_PROCESS}{next(_ids)}"
    return f"{prefix}-{n}", f"{prefix}-{n}-title", f"{prefix}-{n}-desc"


def polyline(
    points: Sequence[tuple[float, float]], colour: str, dash: str = "", width: float = 1.5
) -> str:
    if len(points) < 2:
        return ""
    path = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
    dashes = f' stroke-dasharray="{dash}"' if dash else ""
    return (
        f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="{width}"{dashes}/>'
    )


def bounds(values: Sequence[float], pad: float = 0.08) -> tuple[float, float]:
    finite = [v for v in values if v is not None and math.isfinite(v)]
    if not finite:
        return 0.0, 1.0
    lo, hi = min(finite), max(finite)
    span = hi - lo or max(abs(hi), 1.0) * 0.5
    return lo - span * pad, hi + span * pad


def legend(items: Sequence[tuple[str, str, str]]) -> str:
    parts, px = [], PAD_L + 8
    for text, colour, dash in items:
        dashes = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{px}" y1="{PAD_T + 8}" x2="{px + 22}" y2="{PAD_T + 8}" stroke="{colour}" stroke-width="1.5"{dashes}/>'
        )
        parts.append(f'<text x="{px + 26}" y="{PAD_T + 12}" fill="{INK}">{escape(text)}</text>')
        px += 40 + 7 * len(text)
    return "".join(parts)


def interval_text(p: dict, decimals: int) -> str:
    if p.get("ci_low") is None or p.get("ci_high") is None:
        return "–"
    return f"{num(p['ci_low'], decimals)} to {num(p['ci_high'], decimals)}"


def clip(text: str, length: int = 30) -> str:
    return text if len(text) <= length else text[: length - 1] + "…"


def vline(px: float, top: float, bottom: float, colour: str, extra: str = "") -> str:
    """A vertical line at ``px`` (grid lines, reference and marker lines)."""
    return f'<line x1="{px:.1f}" y1="{top}" x2="{px:.1f}" y2="{bottom}" stroke="{colour}"{extra}/>'


def tip(label: str, point: dict, decimals: int) -> str:
    """Hover text of a point: label, score, interval and n."""
    return (
        f"{label}: {num(point['score'], decimals)} {interval_text(point, decimals)} "
        f"n={point.get('pupils', '')}"
    )


def dot(cx: str, cy: str, radius: str, colour: str, text: str) -> str:
    """A point with its hover text (coordinates already formatted)."""
    return f'<circle cx="{cx}" cy="{cy}" r="{radius}" fill="{colour}"><title>{escape(text)}</title></circle>'

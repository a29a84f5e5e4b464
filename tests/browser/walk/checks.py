"""The bar every page of the walk is held to, as small pure functions over what the browser saw.

Each check returns human-readable problems (empty when the page passes); the crawler turns them
into :class:`Failure` rows so one run lists every defect.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

#: WCAG 2.2 AA and everything below it (axe-core tags).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
HTML_TARGET_KB = 150  #: the target: exact values go to the report
SERVER_TARGET_MS = 300
#: The assertion budgets: size is deterministic (asserted at the target); warm server time on a
#: shared 2-core machine is noisy, so it is asserted at twice the target unless set otherwise.
HTML_BUDGET_KB = float(os.environ.get("TRUSTLENS_WALK_HTML_KB", HTML_TARGET_KB))
SERVER_BUDGET_MS = float(os.environ.get("TRUSTLENS_WALK_SERVER_MS", 2 * SERVER_TARGET_MS))

_TEXT_RULES = (
    ("nan", re.compile(r"\b(?:nan|NaN)\b")),
    # Python's None as a value; "None of these..." (a word follows) is English, not a value.
    ("None", re.compile(r"\bNone\b(?![ \t]+[a-z])")),
    ("negative zero", re.compile(r"(?<![\w.\-\u2212])[-\u2212]0(?:\.0+)?(?!\.?\d)")),
    ("template syntax", re.compile(r"\{\{|\{%|%\}|\}\}")),
)


@dataclass(frozen=True)
class Failure:
    kind: str
    role: str
    url: str
    detail: str  #: what exactly is wrong on this page
    key: str = ""  #: the defect, the same on every page that has it (defaults to the detail)

    @property
    def defect(self) -> str:
        return self.key or self.detail


def text_problems(text: str) -> list[tuple[str, str]]:
    """(defect, detail) for ``nan``, ``None``, ``-0``/``-0.0`` or unrendered template syntax in
    the visible text."""
    problems = []
    for label, rule in _TEXT_RULES:
        hits = [_context(text, m) for m in rule.finditer(text)]
        if hits:
            problems.append((label, f"x{len(hits)}, e.g. {hits[0]!r}"))
    return problems


def _context(text: str, match: re.Match) -> str:
    start, end = max(0, match.start() - 40), min(len(text), match.end() + 40)
    return " ".join(text[start:end].split())


@cache
def _axe_source() -> str:
    import axe_playwright_python

    return (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()


def axe_problems(page, contrast: bool = True) -> tuple[list[tuple[str, str]], list[dict]]:
    """Serious or critical axe-core violations of the WCAG 2.2 AA rules on the page.

    ``contrast=False`` leaves out color-contrast, by far the slowest rule on long pages (it
    probes every text node): the walker runs it on the first page of each URL pattern in the
    walk (the template and stylesheet decide the colours); every other rule runs on every page."""
    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    if not contrast:
        options["rules"] = {"color-contrast": {"enabled": False}}
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate("options => axe.run(document, options)", options)
    bad = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
    lines = [
        (
            f"{v['id']} ({v['impact']}): {v['help']}",
            f"x{len(v['nodes'])}, e.g. {v['nodes'][0]['html'][:140]}",
        )
        for v in bad
    ]
    summary = [{"id": v["id"], "impact": v["impact"], "nodes": len(v["nodes"])} for v in bad]
    return lines, summary


def budget_problems(html_bytes: int, server_ms: float) -> list[tuple[str, str]]:
    """(kind, detail) for a page over the HTML size or warm server time budget."""
    problems = []
    if html_bytes > HTML_BUDGET_KB * 1024:
        problems.append(("html size", f"{html_bytes / 1024:.1f} KB > {HTML_BUDGET_KB:g} KB"))
    if server_ms > SERVER_BUDGET_MS:
        problems.append(("server time", f"{server_ms:.0f} ms warm > {SERVER_BUDGET_MS:g} ms"))
    return problems

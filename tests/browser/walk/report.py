"""The walk's outputs: report.json beside the screenshots, the summary table, the failure list
and the URL patterns each role never reached."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import asdict
from pathlib import Path

from tests.browser.walk import checks
from tests.browser.walk.crawler import Walk


def never_reached(walk: Walk, patterns: dict[str, str]) -> dict[str, str]:
    """Pattern -> why the walk never opened a page of it for this role."""
    walked = {p.pattern for p in walk.pages}
    reasons = {}
    for name in sorted(set(patterns) - walked):
        if name in walk.waiting:
            reasons[name] = "linked, not walked: page bound reached"
        elif name in walk.met:
            reasons[name] = "only met as: " + ", ".join(sorted(walk.met[name]))
        else:
            reasons[name] = "no link to it on any page walked"
    return reasons


def write_json(path: Path, walks: list[Walk], patterns: dict[str, str]) -> None:
    data = {
        "targets": {"html_kb": checks.HTML_TARGET_KB, "server_ms": checks.SERVER_TARGET_MS},
        "budgets": {"html_kb": checks.HTML_BUDGET_KB, "server_ms": checks.SERVER_BUDGET_MS},
        "patterns": patterns,
        "roles": {
            w.role: {
                "seconds": w.seconds,
                "link_checks": w.link_checks,
                "pages": [asdict(p) for p in w.pages],
                "never_reached": never_reached(w, patterns),
                "failures": [asdict(f) for f in w.failures],
            }
            for w in walks
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))


def summary_table(walks: list[Walk], patterns: dict[str, str]) -> str:
    """Pages per role, slowest and heaviest page, failures and patterns never reached."""
    head = (
        f"{'role':<12}{'pages':>6}{'links':>7}{'fails':>6}{'unwalked':>9}{'secs':>6}  "
        f"{'slowest (warm ms)':<44}heaviest (HTML KB)"
    )
    lines = ["Walk summary", head, "-" * (len(head) + 30)]
    for w in walks:
        measured = [p for p in w.pages if p.server_ms is not None]
        slow = max(measured, key=lambda p: p.server_ms, default=None)
        heavy = max(measured, key=lambda p: p.html_bytes or 0, default=None)
        slowest = f"{slow.server_ms:>6.0f} {slow.url}" if slow else "-"
        heaviest = f"{heavy.html_bytes / 1024:>6.1f} {heavy.url}" if heavy else "-"
        lines.append(
            f"{w.role:<12}{len(w.pages):>6}{w.link_checks:>7}{len(w.failures):>6}"
            f"{len(never_reached(w, patterns)):>9}{w.seconds:>6.0f}  {slowest:<44}{heaviest}"
        )
    over = _over_target(walks)
    if over:
        target = f"{checks.HTML_TARGET_KB} KB or {checks.SERVER_TARGET_MS} ms warm"
        lines += ["", f"Pages over the target ({target}; asserted at the budget):", *over]
    return "\n".join(lines)


def _over_target(walks: list[Walk]) -> list[str]:
    rows = []
    for w in walks:
        for p in w.pages:
            kb, ms = (p.html_bytes or 0) / 1024, p.server_ms or 0
            if kb > checks.HTML_TARGET_KB or ms > checks.SERVER_TARGET_MS:
                rows.append(f"  [{w.role}] {p.url}: {kb:.1f} KB, {ms} ms warm")
    return rows


def failure_list(walks: list[Walk]) -> str:
    """Every failure, grouped by kind and then by defect: each defect once, with an example and
    the pages of each role that have it."""
    grouped: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for w in walks:
        for f in w.failures:
            grouped[f.kind][f.defect].append(f)
    out = []
    for kind in sorted(grouped):
        out.append(f"== {kind} ({sum(len(v) for v in grouped[kind].values())}) ==")
        for defect, failures in grouped[kind].items():
            example = failures[0].detail
            out.append(f"  {defect}" + ("" if example == defect else f"  [{example}]"))
            by_role: dict[str, list[str]] = defaultdict(list)
            for f in failures:
                by_role[f.role].append(f.url)
            out += [f"    {role}: {_pages(urls)}" for role, urls in by_role.items()]
    return "\n".join(out)


def _pages(urls: list[str]) -> str:
    more = f", ... ({len(urls)} pages)" if len(urls) > 6 else ""
    return ", ".join(urls[:6]) + more


def unreached_list(walks: list[Walk], patterns: dict[str, str]) -> str:
    out = []
    for w in walks:
        reasons = never_reached(w, patterns)
        out.append(f"{w.role}: {len(reasons)} of {len(patterns)} patterns never walked")
        out += [f"  {name:<34} {patterns[name]:<52} {why}" for name, why in reasons.items()]
    return "\n".join(out)

"""Copy checks (issue 12 item 6): no doubled word ("the the") in any template's visible text
or in any string the code can show, and none in the text of a rendered chart summary."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import trustlens

SRC = Path(trustlens.__file__).parent
DOUBLED = re.compile(r"\b([A-Za-z]+)\s+\1\b")
INLINE = re.compile(r"</?(?:a|b|i|em|strong|span|abbr|code)\b[^>]*>", re.IGNORECASE)
#: Real repeats in code strings (a CLI example, "docs docs/..." paths), not copy errors.
ALLOWED = {"docs docs"}


def visible_text(template: str) -> str:
    """The text a reader sees as runs of words: inline tags dropped, block tags, template
    tags and variables keep runs apart."""
    text = re.sub(r"\{#.*?#\}", " ", template, flags=re.S)
    text = re.sub(r"\{%.*?%\}|\{\{.*?\}\}", " | ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " | ", INLINE.sub(" ", text))
    return re.sub(r"\s+", " ", text)


def doubled(text: str) -> list[str]:
    return [m.group(0) for m in DOUBLED.finditer(text) if m.group(0).lower() not in ALLOWED]


def test_the_scan_finds_a_doubled_word():
    assert doubled(visible_text("<p>Compare with the <b>the</b> trust</p>")) == ["the the"]
    assert doubled(visible_text("<p>the {{ name }} the</p>")) == []


def test_no_template_has_a_doubled_word():
    templates = sorted(SRC.rglob("templates/**/*.html")) + sorted(SRC.rglob("templates/**/*.txt"))
    assert len(templates) > 40
    found = {str(p.relative_to(SRC)): doubled(visible_text(p.read_text())) for p in templates}
    assert not {k: v for k, v in found.items() if v}


def test_no_string_in_the_code_has_a_doubled_word():
    found = {}
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            is_text = isinstance(node, ast.Constant) and isinstance(node.value, str)
            if is_text and (hits := doubled(node.value)):
                found[f"{path.relative_to(SRC)}:{node.lineno}"] = hits
    assert not found


def test_interval_chart_summary_says_the_reference_once():
    from trustlens.dashboards import charts

    rows = [{"label": "Disadvantaged", "score": -0.3, "ci_low": -0.5, "ci_high": -0.001}]
    chart = charts.interval_chart(
        rows, title="VA by group", x_label="VA", reference=0.0, reference_label="the trust average"
    )
    text = f"{chart.svg} {chart.summary} {chart.rows}"
    assert "against the trust average" in text and not doubled(visible_text(text))
    assert "-0.00" not in text  # the bound -0.001 prints as 0.00 ...
    assert "Interval wholly below: Disadvantaged" not in text  # ... so it is not "wholly below"

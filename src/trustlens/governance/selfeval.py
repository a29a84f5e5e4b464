"""Trust self-evaluation: frameworks held as data (YAML or CSV), rounds of self-review at trust
level with a score per item, and the change between rounds.

A framework file is YAML ``{code, name, source, areas: [{name, items: [{code, question}]}]}``
or CSV with the columns ``area,code,question`` (the framework's code and name are then given).
Importing again updates the questions of the same codes and adds new ones; items are never
deleted while a round scores them.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from statistics import mean

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from trustlens.core.access import require
from trustlens.core.audit import save_audited
from trustlens.governance import models as m
from trustlens.organisations.models import Trust

SHIPPED = Path(__file__).parent / "data" / "effective-trust.yaml"


@dataclass(frozen=True)
class ParsedItem:
    area: str
    code: str
    question: str


@dataclass(frozen=True)
class ParsedFramework:
    code: str
    name: str
    source: str
    items: tuple[ParsedItem, ...]


def parse(text: str, filename: str, code: str = "", name: str = "") -> ParsedFramework:
    """Read a framework file; a ValidationError names the line or field that is wrong."""
    if filename.lower().endswith(".csv"):
        return _parse_csv(text, code or Path(filename).stem, name or Path(filename).stem)
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ValidationError({"file": f"Not valid YAML: {error}"}) from error
    if not isinstance(data, dict) or not isinstance(data.get("areas"), list):
        raise ValidationError({"file": "A YAML framework needs code, name and a list of areas."})
    items = []
    for a, area in enumerate(data["areas"], 1):
        for item in (area or {}).get("items") or []:
            items.append(
                _item(area.get("name"), item.get("code"), item.get("question"), f"area {a}")
            )
    return _checked(
        str(data.get("code") or code), str(data.get("name") or name), data.get("source", ""), items
    )


def _parse_csv(text: str, code: str, name: str) -> ParsedFramework:
    reader = csv.DictReader(io.StringIO(text))
    if not {"area", "code", "question"} <= set(reader.fieldnames or []):
        raise ValidationError({"file": "A CSV framework needs the columns area, code, question."})
    items = [
        _item(row["area"], row["code"], row["question"], f"line {n}")
        for n, row in enumerate(reader, 2)
    ]
    return _checked(code, name, "", items)


def _item(area, code, question, where: str) -> ParsedItem:
    if not (area and code and question):
        raise ValidationError(
            {"file": f"{where}: every item needs an area, a code and a question."}
        )
    return ParsedItem(str(area).strip(), str(code).strip(), str(question).strip())


def _checked(code: str, name: str, source: str, items: list[ParsedItem]) -> ParsedFramework:
    if not items:
        raise ValidationError({"file": "The framework has no items."})
    codes = [i.code for i in items]
    twice = sorted({c for c in codes if codes.count(c) > 1})
    if twice:
        raise ValidationError({"file": f"Item codes used twice: {', '.join(twice)}."})
    if not code or not name:
        raise ValidationError({"file": "The framework needs a code and a name."})
    return ParsedFramework(code[:60], name[:160], str(source or ""), tuple(items))


@transaction.atomic
def import_framework(user, trust: Trust, parsed: ParsedFramework) -> tuple[m.Framework, int]:
    """Create or update the trust's framework of ``parsed.code``; returns it and items added.
    ``user`` None is the system (the CLI and the demo)."""
    if user is not None:
        require(user, "configure", trust.pk)
    framework = m.Framework.objects.unscoped().filter(trust=trust, code=parsed.code).first()
    framework = framework or m.Framework(trust=trust, code=parsed.code)
    framework.name, framework.source = parsed.name, parsed.source
    save_audited(user, framework)
    existing = {i.code: i for i in m.Item.objects.unscoped().filter(framework=framework)}
    added = 0
    for order, p in enumerate(parsed.items):
        item = existing.get(p.code) or m.Item(framework=framework, code=p.code)
        added += item.pk is None
        item.area, item.question, item.order = p.area, p.question, order
        item.save()
    return framework, added


def import_shipped(trust: Trust) -> m.Framework:
    """The framework shipped with trustlens, for ``trust`` (system write)."""
    return import_framework(None, trust, parse(SHIPPED.read_text(), SHIPPED.name))[0]


def save_round(user, round_: m.Round) -> m.Round:
    require(user, "configure", round_.framework.trust_id)
    return save_audited(user, round_)


def save_scores(user, round_: m.Round, rows: dict[int, dict]) -> int:
    """``rows``: item id -> {score, evidence, links, actions}; blank scores are skipped."""
    require(user, "configure", round_.framework.trust_id)
    items = {i.pk: i for i in m.Item.objects.unscoped().filter(framework=round_.framework)}
    saved = 0
    for item_id, values in rows.items():
        if item_id not in items or not values.get("score"):
            continue
        found = m.ItemScore.objects.unscoped().filter(round=round_, item_id=item_id).first()
        score = found or m.ItemScore(round=round_, item=items[item_id])
        for name in ("score", "evidence", "links", "actions"):
            setattr(score, name, values.get(name) or ("" if name != "score" else None))
        save_audited(user, score)
        saved += 1
    return saved


@dataclass
class AreaChange:
    area: str
    means: list[float | None]

    @property
    def change(self) -> float | None:
        first, last = self.means[0], self.means[-1]
        return None if first is None or last is None else last - first


def area_means(rounds: list[m.Round]) -> list[AreaChange]:
    """Mean score per area in each round (the rounds' order), from their item scores."""
    scores = list(m.ItemScore.objects.unscoped().filter(round__in=rounds).select_related("item"))
    areas = list(dict.fromkeys(s.item.area for s in sorted(scores, key=lambda s: s.item.order)))
    out = []
    for area in areas:
        per_round = []
        for r in rounds:
            values = [s.score for s in scores if s.round_id == r.pk and s.item.area == area]
            per_round.append(mean(values) if values else None)
        out.append(AreaChange(area, per_round))
    return out


def change_chart(rounds: list[m.Round]):
    """The change in each area's mean score from the first round to the latest."""
    from trustlens.governance.charts import change_chart as dumbbell

    areas = [(a.area, a.means[0], a.means[-1]) for a in area_means(rounds)]
    return dumbbell(areas, rounds[0].title, rounds[-1].title)

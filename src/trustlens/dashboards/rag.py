"""Red / amber / green with its reason: every status says why, with n and the interval.

Rules (never colour alone: the tag says "Red — below", and the reason is one click away):

- Progress and value added (P8, KS2 progress, in-year VA): the DfE band from the 95% interval
  (DfE secondary accountability guidance: below = interval wholly below 0; well below = also
  under -0.5 for P8) and the funnel position with over-dispersion (Spiegelhalter 2005):
  red = well below average or below the 99.8% funnel limit; amber = below average or below the
  95% limit; green otherwise.
- Attainment, attendance, behaviour and staffing: compared with England's published figure
  where one is loaded (``import-dfe``; ``analytics.national_benchmarks``), and the trust.
  Red = England's figure lies outside the 95% interval on the wrong side ("below England by
  more than its CI") and the gap is at least the material difference; amber = below England
  by less, or wholly below the trust; with no England figure, red = wholly below the trust by
  the material difference. Each rating names its rule (``RULE_TEXT``). Measures with no
  interval (complete counts) compare the value itself.
- Unexplained exits and moves off roll: the funnel position around the trust's own rate
  (robust over-dispersion): red above the 99.8% limit, amber above the 95% limit.
- Finance: red for an in-year deficit. Admissions: red under 0.8 first preferences per place,
  amber under 1.0. Context measures (SEN share, disadvantaged share, safeguarding counts) are
  not rated.
- Groups of fewer pupils than the suppression threshold (``TRUSTLENS_SUPPRESSION_THRESHOLD``)
  are never rated: no colour, no funnel flag, no change arrow; the reason says "too few pupils
  to rate". Staff, lesson and money figures are not pupil groups and are rated as usual.
- Words are decided on the figures as printed: bounds are rounded to the measure's decimals
  first, so "(-4.2 to 0.0)" is never "wholly below 0".

The material differences are the trust's policy, not statistics; these defaults are set
where a trust leader would want a conversation.
"""

from __future__ import annotations

from trustlens.analytics.national_benchmarks import Benchmark
from trustlens.dashboards.choices import MEASURES, RAG
from trustlens.dashboards.formatting import TOO_FEW, Cell, fmt, rounded

#: Smallest gap from the reference that turns amber into red, in the measure's units.
MATERIAL = {
    "a8": 5.0,
    "em4": 10.0,
    "ks2_rwm": 10.0,
    "attendance": 2.0,
    "persistent_absence": 5.0,
    "suspensions": 5.0,
    "permanent_exclusions": 0.2,
    "cover_share": 5.0,
    "staff_absence": 3.0,
}
#: Rates rated by their funnel position against the trust's own rate (Spiegelhalter 2005).
FUNNEL_RATED = {"exits", "exits_moves"}
#: measure -> material difference (a trust's own red thresholds, ``dashboards.rules``).
Rules = dict[str, float]
UNRATED = {"sen_share", "disadvantaged_share", "safeguarding", "p8_gap", "ks2_rwm_gap"}


def rate(
    cell: Cell,
    trust: Cell | None = None,
    national: Benchmark | None = None,
    rules: Rules | None = None,
) -> Cell:
    """Set ``cell.rag`` and ``cell.reason`` (in place) and return the cell; ``national`` is
    England's published figure (``analytics.national_benchmarks``), ``rules`` the trust's red
    thresholds (measure -> material difference; ``dashboards.rules``)."""
    if national is not None:
        cell.extra["national"] = {
            "label": national.label,
            "score": national.score,
            "text": fmt(cell.measure, national.score),
            "source": national.source,
        }
    if cell.symbol or cell.score is None:
        cell.rag = RAG.GREY
        cell.reason = cell.reason or "No rating: no figure for this period."
        return cell
    if cell.too_few:
        cell.rag, cell.flag, cell.band = RAG.GREY, None, None
        cell.reason = f"{_figure(cell)}: {TOO_FEW} (fewer than {_threshold()})."
        return cell
    spec = MEASURES[cell.measure]
    if cell.measure.endswith("_group_gap"):
        _group_gap(cell)
    elif cell.measure in UNRATED or spec.higher_is_better is None:
        cell.rag, cell.reason = RAG.GREY, f"{_figure(cell)}. Context, not rated."
    elif spec.progress:
        _progress(cell, national)
    elif cell.measure in FUNNEL_RATED:
        _funnel_rated(cell)
    elif cell.measure == "finance_balance":
        deficit = cell.score < 0
        cell.rag = RAG.RED if deficit else RAG.GREEN
        cell.reason = f"{_figure(cell)}: {'an in-year deficit' if deficit else 'in-year balance is not negative'}."
    elif cell.measure == "first_preferences":
        cell.rag = RAG.RED if cell.score < 0.8 else RAG.AMBER if cell.score < 1.0 else RAG.GREEN
        cell.reason = f"{_figure(cell)}: {'fewer first preferences than places' if cell.score < 1 else 'at least one first preference per place'}."
    else:
        _compared(cell, trust, national, rules)
    return cell


def _threshold() -> int:
    from django.conf import settings

    return settings.SUPPRESSION_THRESHOLD


def _figure(cell: Cell) -> str:
    spec = MEASURES[cell.measure]
    parts = [f"{spec.label} {cell.text}"]
    details = []
    if cell.interval_text:
        details.append(f"95% CI {cell.interval_text}")
    if cell.n_text:
        details.append(f"n={cell.n_label}")
    if cell.period:
        details.append(cell.period)
    return parts[0] + (f" ({', '.join(details)})" if details else "")


def _progress(cell: Cell, national: Benchmark | None = None) -> None:
    band = (cell.band or "").lower()
    flag = (cell.flag or "within").lower()
    reference = "the national average" if cell.measure == "p8" else "the trust average"
    if band == "well below average" or flag == "low 99.8%":
        cell.rag = RAG.RED
    elif band == "below average" or flag == "low 95%":
        cell.rag = RAG.AMBER
    else:
        cell.rag = RAG.GREEN
    words = [_figure(cell)]
    low, high = (_printed(cell, v) for v in (cell.ci_low, cell.ci_high))
    if high is not None and high < 0:
        words.append(f"below {reference} (the interval is wholly below 0)")
    elif low is not None and low > 0:
        words.append(f"above {reference} (the interval is wholly above 0)")
    else:
        words.append(f"in line with {reference} (the interval includes 0)")
    if band:
        words.append(f"DfE band: {band}")
    if national is not None:
        words.append(f"{national.label} (published): {fmt(cell.measure, national.score)}")
    if flag != "within":
        words.append(f"funnel plot: outside the {flag.split()[-1]} limit ({flag.split()[0]})")
    elif cell.flag:
        words.append("funnel plot: within the limits")
    cell.reason = "; ".join(words) + "."


#: Size of a pupil-group gap that turns amber into red, in the measure's units.
GAP_MATERIAL = {
    "va_group_gap": 0.2,
    "p8_group_gap": 0.5,
    "attendance_group_gap": 3.0,
    "ks2_rwm_group_gap": 15.0,
}


def _group_gap(cell: Cell) -> None:
    """A group minus its reference group (``analytics.summaries.group_gaps``): rule
    ``gap-wide`` red: the interval wholly below 0 and the gap at least :data:`GAP_MATERIAL`;
    ``gap-behind`` amber: wholly below 0; ``gap-not-clear`` green: the interval includes 0 or
    the group is ahead."""
    material = GAP_MATERIAL.get(cell.measure, 0.0)
    high = _printed(cell, cell.ci_high if cell.ci_high is not None else cell.score)
    if high is not None and high < 0 and abs(cell.score) >= material:
        rule, cell.rag = "gap-wide", RAG.RED
        words = (
            f"behind by more than its CI and by at least {fmt(cell.measure, material, sign=False)}"
        )
    elif high is not None and high < 0:
        rule, cell.rag = "gap-behind", RAG.AMBER
        words = "behind by more than its CI"
    else:
        rule, cell.rag = "gap-not-clear", RAG.GREEN
        words = "not clearly behind (the interval includes 0, or the group is ahead)"
    cell.extra["rule"] = rule
    cell.reason = f"{_figure(cell)}: {cell.note}; rule {rule}: {words}."


def _funnel_rated(cell: Cell) -> None:
    """Exit rates: red above the 99.8% funnel limit around the trust's rate, amber above the
    95% limit, green inside (robust over-dispersion; ``analytics.summaries.inclusion``)."""
    flag = (cell.flag or "").lower()
    if not flag:
        cell.rag = RAG.GREY
        cell.reason = f"{_figure(cell)}. Not rated: not on a funnel (only academies are, when the trust has exits that year)."
        return
    cell.rag = RAG.RED if flag == "high 99.8%" else RAG.AMBER if flag == "high 95%" else RAG.GREEN
    if flag.startswith("high"):
        where = f"above the trust's rate beyond the {flag.split()[-1]} funnel limit"
    elif flag.startswith("low"):
        where = f"below the trust's rate beyond the {flag.split()[-1]} funnel limit"
    else:
        where = "within the funnel limits around the trust's rate"
    cell.reason = f"{_figure(cell)}: {where}."


def _compared(
    cell: Cell, trust: Cell | None, national: Benchmark | None, rules: Rules | None
) -> None:
    """Rated against England first (when a published figure is loaded), then the trust.

    Rules (each rating names the one that fired, :data:`RULE_TEXT`): ``below-england-material``
    red: England's figure lies outside the interval on the wrong side ("below England by more
    than its CI") and the gap is at least the material difference; ``below-england`` amber: the
    same, by less; ``below-trust`` amber: wholly worse than the trust; with no England figure,
    ``below-trust-material`` red: wholly worse than the trust by at least the material
    difference. Green otherwise (``not-below``).
    """
    spec = MEASURES[cell.measure]
    trust_ok = trust is not None and trust.available
    if not trust_ok and national is None:
        cell.rag = RAG.GREY
        cell.reason = f"{_figure(cell)}. No trust or England figure to compare with."
        return
    material = material_for(cell.measure, rules)
    better = spec.higher_is_better
    below_e = national is not None and _worse(cell, national.score, better)
    below_t = trust_ok and _worse(cell, trust.score, better)
    if below_e and abs(cell.score - national.score) >= material:
        rule = "below-england-material"
    elif below_e:
        rule = "below-england"
    elif below_t and national is None and abs(cell.score - trust.score) >= material:
        rule = "below-trust-material"
    elif below_t:
        rule = "below-trust"
    else:
        rule = "not-below"
    cell.rag = RULE_RAG[rule]
    cell.extra["rule"] = rule
    references = []
    if national is not None:
        references.append((national.label, national.score, below_e))
    if trust_ok:
        references.append(("the trust", trust.score, below_t))
    cell.reason = _compared_words(cell, references, rule, material)


#: What each comparison rule gives and says (the rating names the rule that fired).
RULE_RAG = {
    "below-england-material": RAG.RED,
    "below-england": RAG.AMBER,
    "below-trust-material": RAG.RED,
    "below-trust": RAG.AMBER,
    "not-below": RAG.GREEN,
}
RULE_TEXT = {
    "below-england-material": "below England by more than its CI and by at least {material}",
    "below-england": "below England by more than its CI (by less than {material})",
    "below-trust-material": "no England figure; below the trust by more than its CI and by at least {material}",
    "below-trust": "below the trust by more than its CI",
    "not-below": "not clearly below England or the trust",
}


def material_for(measure: str, rules: Rules | None) -> float:
    """The red threshold for ``measure``: the trust's rule when it has one, else the default."""
    if rules and measure in rules:
        return rules[measure]
    return MATERIAL.get(measure, 0.0)


def _printed(cell: Cell, value: float | None) -> float | None:
    """A bound as the reader sees it (rounded, never -0), so the words match the figures."""
    return None if value is None else rounded(cell.measure, value)


def _worse(cell: Cell, reference: float, higher_is_better: bool) -> bool:
    """Wholly on the wrong side: the interval when there is one, else the value itself
    (both rounded as printed, with the reference)."""
    low = _printed(cell, cell.ci_low if cell.ci_low is not None else cell.score)
    high = _printed(cell, cell.ci_high if cell.ci_high is not None else cell.score)
    reference = rounded(cell.measure, reference)
    return high < reference if higher_is_better else low > reference


def _compared_words(cell: Cell, references: list, rule: str, material: float) -> str:
    spec = MEASURES[cell.measure]
    side = "below" if spec.higher_is_better else "above"
    kind = "interval" if cell.ci_low is not None else "value"
    words = [_figure(cell)]
    for name, value, worse in references:
        state = f"wholly {side} {name}" if worse else f"not clearly {side} {name}"
        words.append(f"{state} ({fmt(cell.measure, value)})")
    if any(worse for _n, _v, worse in references):
        words.append(f"the {kind} is wholly {side} the reference")
    text = RULE_TEXT[rule].format(material=fmt(cell.measure, material, sign=False))
    if not spec.higher_is_better:
        text = text.replace("below", "above")
    words.append(f"rule {rule}: {text}")
    return "; ".join(words) + "."


def overall(cells: list[Cell]) -> tuple[str, str]:
    """An academy's status: the worst rated measure, with every red and amber reason."""
    rated = [c for c in cells if c.rag != RAG.GREY]
    if not rated:
        return RAG.GREY, "No rated measure yet."
    worst = min(rated, key=lambda c: RAG.ORDER[c.rag])
    reasons = [c.reason for c in rated if c.rag in (RAG.RED, RAG.AMBER)]
    if not reasons:
        return worst.rag, f"All {len(rated)} rated measures are green."
    return worst.rag, " ".join(reasons)


def tag_text(rag: str, cell: Cell | None = None) -> str:
    """Tag words: "Red — below", "Green — in line", never a colour alone."""
    label = RAG.LABELS[rag]
    if rag == RAG.GREY:
        return TOO_FEW.capitalize() if cell is not None and cell.too_few else label
    if cell is None:
        return {
            RAG.RED: f"{label} — concern",
            RAG.AMBER: f"{label} — watch",
            RAG.GREEN: f"{label} — on track",
        }[rag]
    spec = MEASURES[cell.measure]
    if rag == RAG.GREEN:
        return f"{label} — ok"
    if spec.higher_is_better is False:
        return f"{label} — high"
    return f"{label} — below" if cell.measure != "finance_balance" else f"{label} — deficit"

"""Network benchmarks: member trusts' aggregates side by side, pooled, and suppressed.

What crosses a trust's boundary is only what :func:`trust_block` keeps from a trust's measure
rows (``trust_measures.measure_rows``, the same rows ``trustlens measure`` prints): one row per
academy and one for the trust, each with its pupil count, score and interval. No pupil-level
value is ever an input here.

- :func:`network_rows` pools the member trusts into one network row per measure: the
  pupil-weighted mean of the trusts' scores with the standard error of a weighted sum of
  independent estimates, ``se = sqrt(sum((n_t / N)^2 se_t^2))`` (Cochran 1977, ch. 5,
  stratified estimation, the trusts as strata); a trust row without a standard error gives
  one from its 95% interval, ``(high - low) / (2 * 1.96)``.
- :func:`national_rows` adds the national figure where analytics holds one: progress 8 and
  KS2 progress are 0 nationally by construction (DfE secondary and primary accountability
  guidance); no other national figure is shipped, so no row is invented.
- :func:`suppress_network` is the disclosure control: every figure for fewer than the
  threshold pupils is ``c`` (GSS symbol; :mod:`trustlens.analytics.stats.suppression`), the
  pupil count included, and secondary (complementary) suppression runs over the two levels of
  totals (academies within their trust, trusts within the network) until nothing more can be
  worked out by subtraction: a published total with exactly one hidden part hides its next
  smallest part (or itself when it has no other part), and a hidden total whose parts are all
  published hides its smallest part (ONS "Disclosure control guidance for tables produced
  from administrative sources", 2014: primary and secondary suppression; Hundepool et al.,
  *Statistical Disclosure Control*, 2012, section 4.4).

Pure Python: no Django.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping

import pandas as pd

from trustlens.analytics.stats.suppression import SUPPRESSED

#: The row a network output is made of; ``level`` is academy, trust, network or national.
COLUMNS = (
    "trust",
    "urn",
    "academy",
    "group",
    "level",
    "measure",
    "subject",
    "term",
    "pupils",
    "score",
    "ci_low",
    "ci_high",
)
#: The figures that are withheld for a small (or complementary) cell.
FIGURES = ("pupils", "score", "ci_low", "ci_high")
#: What keeps one measure's rows apart (a network total is one per key).
KEYS = ("measure", "group", "subject", "term")
ALL_PUPILS = "all pupils"
Z95 = 1.959963984540054
#: National figures by definition (measure label, subject) -> score.
NATIONAL = {
    ("progress 8", None): 0.0,
    **{("KS2 progress", s): 0.0 for s in ("reading", "writing", "maths")},
}


def trust_block(trust: str, rows: pd.DataFrame, names: Mapping[int, str]) -> pd.DataFrame:
    """One trust's academy and trust rows (the MAT measure and every other column dropped).

    Rows without a ``level`` (the exits rows) are academy rows when they carry a URN; rows
    with a pupil ``group`` keep it (exits by characteristic), others are all pupils."""
    rows = rows.copy()
    if "level" not in rows:
        rows["level"] = ["trust" if pd.isna(u) else "academy" for u in rows["urn"]]
    for column in ("subject", "term"):
        if column not in rows:
            rows[column] = None
    keep = rows[rows["level"].isin(["academy", "trust"])]
    groups = keep["group"].replace({"all": ALL_PUPILS}) if "group" in keep else ALL_PUPILS
    out = pd.DataFrame(
        {
            "trust": trust,
            "urn": [None if pd.isna(u) else int(u) for u in keep["urn"]],
            "academy": [
                trust if pd.isna(u) else names.get(int(u), str(int(u))) for u in keep["urn"]
            ],
            "group": groups,
            "level": keep["level"].to_numpy(),
            "measure": keep["measure"].to_numpy(),
            "subject": keep["subject"].to_numpy(),
            "term": keep["term"].to_numpy(),
            "pupils": keep["pupils"].astype("int64").to_numpy(),
            "score": pd.to_numeric(keep["score"], errors="coerce").astype(float).to_numpy(),
            "ci_low": pd.to_numeric(keep["ci_low"], errors="coerce").astype(float).to_numpy(),
            "ci_high": pd.to_numeric(keep["ci_high"], errors="coerce").astype(float).to_numpy(),
            "_se": _standard_errors(keep),
        }
    )
    return out.reset_index(drop=True)


def _standard_errors(rows: pd.DataFrame) -> list[float]:
    se = rows["se"] if "se" in rows else pd.Series(math.nan, index=rows.index)
    high = pd.to_numeric(rows["ci_high"], errors="coerce").astype(float)
    from_ci = (high - pd.to_numeric(rows["ci_low"], errors="coerce").astype(float)) / (2 * Z95)
    return [float(s) if pd.notna(s) else float(c) for s, c in zip(se, from_ci, strict=True)]


def network_rows(blocks: pd.DataFrame, network: str) -> pd.DataFrame:
    """One pooled row per measure key from the member trusts' own rows (see the module doc)."""
    trusts = blocks[blocks["level"] == "trust"]
    rows = []
    for key, part in trusts.groupby(list(KEYS), dropna=False, sort=False):
        rows.append(_pooled(dict(zip(KEYS, key, strict=True)), part, network))
    return pd.DataFrame(rows, columns=[*COLUMNS, "_se"])


def _pooled(key: dict, part: pd.DataFrame, network: str) -> dict:
    part = part[part["score"].notna()]
    total = int(part["pupils"].sum())
    row = {"trust": network, "urn": None, "academy": network, "group": ALL_PUPILS}
    row |= {"level": "network", **key, "pupils": total}
    if total == 0:
        return row | {"score": math.nan, "ci_low": math.nan, "ci_high": math.nan, "_se": math.nan}
    weights = part["pupils"] / total
    score = float((weights * part["score"]).sum())
    se = float(math.sqrt(((weights * part["_se"]) ** 2).sum()))
    return row | {
        "score": score,
        "ci_low": score - Z95 * se,
        "ci_high": score + Z95 * se,
        "_se": se,
    }


def national_rows(keys: Iterable[tuple], national: Mapping[tuple, float] = NATIONAL) -> list[dict]:
    """The national figure for each measure key that has one (no pupils count: not ours)."""
    rows = []
    for measure, group, subject, term in keys:
        value = national.get((measure, None if pd.isna(subject) else subject))
        if value is None or group != ALL_PUPILS:
            continue
        rows.append(
            {
                "trust": "England",
                "urn": None,
                "academy": "England (national)",
                "group": group,
                "level": "national",
                "measure": measure,
                "subject": subject,
                "term": term,
                "pupils": None,
                "score": value,
                "ci_low": value,
                "ci_high": value,
            }
        )
    return rows


def benchmark(blocks: list[pd.DataFrame], network: str, threshold: int) -> pd.DataFrame:
    """Academies and trusts of the members, the network and national rows, suppressed."""
    if not blocks:
        return pd.DataFrame(columns=list(COLUMNS))
    members = pd.concat(blocks, ignore_index=True)
    pooled = network_rows(members, network)
    table = pd.concat([members, pooled], ignore_index=True)
    table = suppress_network(table.drop(columns="_se"), threshold)
    keys = list(pooled[list(KEYS)].itertuples(index=False, name=None))
    national = pd.DataFrame(national_rows(keys), columns=list(COLUMNS))
    out = pd.concat([table, national], ignore_index=True) if len(national) else table
    return _ordered(out)


LEVEL_ORDER = {"academy": 0, "trust": 1, "network": 2, "national": 3}


def _ordered(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.assign(_level=rows["level"].map(LEVEL_ORDER))
    rows["_trust"] = rows["trust"].where(rows["level"].isin(["academy", "trust"]), "~")
    order = ["measure", "group", "subject", "term", "_trust", "_level", "academy"]
    rows = rows.sort_values(order, na_position="first", kind="stable")
    rows = rows.drop(columns=["_level", "_trust"]).reset_index(drop=True)[list(COLUMNS)]
    rows["urn"] = pd.Series([None if pd.isna(u) else int(u) for u in rows["urn"]], dtype=object)
    return rows


# --- disclosure control ----------------------------------------------------------------------


def suppress_network(rows: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Primary and secondary suppression over academies -> trusts -> network (module doc)."""
    rows = rows.reset_index(drop=True)
    hidden = {i for i, n in enumerate(rows["pupils"]) if pd.isna(n) or int(n) < threshold}
    partitions = _partitions(rows)
    changed = True
    while changed:
        changed = False
        for parent, children in partitions:
            extra = _complement(rows, parent, children, hidden)
            if extra is not None:
                hidden.add(extra)
                changed = True
    out = rows.astype({c: object for c in FIGURES})
    for i in hidden:
        for column in FIGURES:
            out.at[i, column] = SUPPRESSED
    return out


def _partitions(rows: pd.DataFrame) -> list[tuple[int, list[int]]]:
    """(total row, its part rows): each trust over its academies, the network over its trusts."""
    found = []
    for _key, part in rows.groupby(list(KEYS), dropna=False, sort=False):
        network = part.index[part["level"] == "network"].tolist()
        trusts = part[part["level"] == "trust"]
        if network:
            found.append((network[0], trusts.index.tolist()))
        for index, trust in trusts.iterrows():
            academies = part[(part["level"] == "academy") & (part["trust"] == trust["trust"])]
            found.append((index, academies.index.tolist()))
    return found


def _complement(rows: pd.DataFrame, parent: int, children: list[int], hidden: set[int]):
    """The one more cell to hide so no hidden cell of this total can be subtracted out."""
    if not children:
        return None
    unknown = [c for c in children if c in hidden]
    shown = sorted((c for c in children if c not in hidden), key=lambda c: rows.at[c, "pupils"])
    if parent not in hidden and len(unknown) == 1:
        return shown[0] if shown else parent
    if parent in hidden and not unknown:
        return shown[0]
    return None

"""Network outputs: shared benchmarks and place planning, computed from each member's store.

Each member trust's figures are computed from its own analytical store by the same code as
``trustlens measure`` (:func:`trustlens.analytics.trust_measures.measure_rows`); only the
academy and trust aggregates (:func:`trustlens.analytics.network.trust_block`) are combined,
pooled and suppressed (:func:`trustlens.analytics.network.benchmark`). The suppression
threshold is ``settings.SUPPRESSION_THRESHOLD``, for every viewer: these figures leave the
trust. Who may see what is :mod:`trustlens.networks.access`'s decision; this module is told.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
from django.conf import settings

from trustlens.analytics import engine, planning
from trustlens.analytics import network as net
from trustlens.analytics.trust_measures import DATASETS, Options, available_years, measure_rows
from trustlens.core.fragments import cached_per_store
from trustlens.ingest.store import AnalyticalStore
from trustlens.networks.access import NetworkAccess, active_members
from trustlens.networks.choices import BENCHMARK_MEASURES
from trustlens.networks.models import Membership, Network
from trustlens.organisations.models import Academy, Trust


class NotAMemberError(Exception):
    """The trust asked as is not an active member of the network (or does not share that)."""


@dataclass
class Benchmark:
    """A benchmark table and what went into it."""

    network: Network
    measure: str
    year: str
    rows: pd.DataFrame
    trusts: list[str] = field(default_factory=list)
    without_data: list[str] = field(default_factory=list)
    threshold: int = 6

    def records(self) -> list[dict]:
        """JSON-ready rows (trust, urn, academy, group, pupils, score, ci_low, ci_high...)."""
        from trustlens.analytics.trust_measures import to_records

        return to_records(self.rows)


def _store() -> AnalyticalStore:
    return AnalyticalStore(settings.STORE_DIR)


def _source(trust: Trust):
    store, con = _store(), engine.connect("duckdb")
    return lambda dataset: store.table(con, trust.slug, dataset)


def _has(trust: Trust, datasets) -> bool:
    held = set(_store().datasets(trust.slug))
    return set(datasets) <= held


#: Datasets each network measure reads from a member's store (besides ``academies``).
NEEDS = {
    "exits": ("enrolments", "pupils", "prior_attainment"),
    "finance": ("finance", "enrolments"),
}
#: Exit timing groups partition the cohort (Year 10 + Year 11 = all), so a suppressed one
#: could be subtracted out: the network shows the characteristic groups only.
EXIT_GROUPS_LEFT_OUT = ("Year 10", "Year 11", "Year 11, left before the January census")


def _needs(measure: str) -> tuple[str, ...]:
    from trustlens.analytics.trust_measures import PLANS

    return NEEDS.get(measure) or PLANS[measure][1]


def _measure_rows(trust: Trust, measure: str, year: str) -> pd.DataFrame:
    options = Options(academic_year=year, suppress=False, trust_label=trust.name)
    if measure == "exits":
        from trustlens.analytics.trust_measures import exits_rows

        rows = exits_rows(_source(trust), options)
        return rows[~rows["group"].isin(EXIT_GROUPS_LEFT_OUT)]
    if measure == "finance":
        from trustlens.analytics.network_finance import finance_rows

        source = _source(trust)
        roll = planning.census_roll(
            source("enrolments"), [planning.start_year(year)], _extract(source)
        )
        return finance_rows(engine.execute(source("finance")), roll, year)
    return measure_rows(measure, _source(trust), options)


def trust_rows(trust: Trust, measure: str, year: str) -> pd.DataFrame | None:
    """The trust's academy and trust aggregates for the measure (None: no data held)."""
    if not _has(trust, (*_needs(measure), "academies")):
        return None
    rows = _cached_measure_rows(trust, measure, year)
    if rows.empty:
        return None
    names = dict(Academy.objects.unscoped().filter(trust=trust).values_list("urn", "name"))
    return net.trust_block(trust.name, rows, names)


def _cached_measure_rows(trust: Trust, measure: str, year: str) -> pd.DataFrame:
    """The trust's measure rows, built once per live store manifest and threshold."""
    parts = (settings.SUPPRESSION_THRESHOLD, measure, year)
    return cached_per_store(
        trust.slug, "network-rows", parts, lambda: _measure_rows(trust, measure, year)
    )


def sharing(network: Network, measure: str) -> list[Membership]:
    """Active members that share ``measure`` (the only trusts in its outputs)."""
    return [m for m in active_members(network) if measure in m.shares]


def visible_measures(access: NetworkAccess) -> list[str]:
    """Measures the viewer may ask for: a partner, any shared; a member, what it shares."""
    members = active_members(access.network)
    if access.as_trust_id is not None:
        own = next(m for m in members if m.trust_id == access.as_trust_id)
        shared = set(own.shares)
    else:
        shared = {s for m in members for s in m.shares}
    return [m for m in BENCHMARK_MEASURES if m in shared]


def benchmark(
    network: Network, measure: str, year: str, as_trust: Trust | None = None
) -> Benchmark:
    """The network benchmark of ``measure`` for ``year``; ``as_trust`` must be a member that
    shares it (give to get), else :class:`NotAMemberError`. ``None``: a partner's view."""
    members = sharing(network, measure)
    if as_trust is not None:
        if not any(m.trust_id == as_trust.pk for m in active_members(network)):
            raise NotAMemberError(f"{as_trust.name} is not a member of the network {network.name}.")
        if not any(m.trust_id == as_trust.pk for m in members):
            raise NotAMemberError(f"{as_trust.name} does not share {measure} with {network.name}.")
    threshold = settings.SUPPRESSION_THRESHOLD
    blocks, used, missing = [], [], []
    for membership in members:
        block = trust_rows(membership.trust, measure, year)
        (missing if block is None else used).append(membership.trust.name)
        if block is not None:
            blocks.append(block)
    rows = net.benchmark(blocks, network.name, threshold)
    return Benchmark(network, measure, year, rows, used, missing, threshold)


def years_held(network: Network, measure: str) -> list[str]:
    """Academic years any sharing member holds for the measure (newest first)."""
    years: set[str] = set()
    held_in = ("finance",) if measure == "finance" else DATASETS[measure]
    for membership in sharing(network, measure):
        if _has(membership.trust, held_in):
            source = _source(membership.trust)
            if measure == "finance":
                years |= set(
                    engine.execute(source("finance").select("period").distinct())["period"]
                )
            elif measure == "exits":
                years |= _leaving_years(source("enrolments"))
            else:
                years |= set(available_years(source, held_in))
    return sorted(years, reverse=True)


def _leaving_years(enrolments) -> set[str]:
    """Academic years in which spells ended (the years exits can be measured for)."""
    ended = enrolments.filter(enrolments.end_date.notnull())
    start = ended.end_date.year() - (ended.end_date.month() < 9).cast("int64")
    found = engine.execute(ended.select(year=start).distinct())["year"]
    return {planning.year_label(int(y)) for y in found}


# --- place planning ----------------------------------------------------------------------------

#: Year groups an academy of each phase teaches (capacity = places per year group x these).
YEAR_GROUPS = {"primary": 7, "secondary": 5, "all_through": 12}


def planning_area(academy: Academy) -> str:
    """The local authority from the academy's LAESTAB (councils plan places by LA areas)."""
    return f"LA {str(academy.laestab)[:3]}" if academy.laestab else "Unknown area"


@dataclass
class PlacePlan:
    network: Network
    rows: pd.DataFrame
    trusts: list[str]
    level: float


def place_plan(network: Network, horizon: int = planning.DEFAULT_HORIZON) -> PlacePlan:
    """Forecasts per planning area from the members sharing their roll, with capacity."""
    rolls, capacity, used = [], {}, []
    for membership in sharing(network, "roll"):
        trust = membership.trust
        if not _has(trust, ("enrolments",)):
            continue
        academies = list(Academy.objects.unscoped().filter(trust=trust))
        areas = {a.urn: planning_area(a) for a in academies}
        rolls.append(planning.area_roll(_trust_roll(trust), areas))
        for area, places in _capacity(trust, academies, areas).items():
            capacity[area] = capacity.get(area, 0) + places
        used.append(trust.name)
    if not rolls:
        return PlacePlan(network, pd.DataFrame(), used, planning.DEFAULT_LEVEL)
    roll = pd.concat(rolls).groupby(["area", "year", "year_group"], as_index=False)["pupils"].sum()
    now = roll[roll["year"] == roll["year"].max()].groupby("area")["pupils"].sum().to_dict()
    rows = planning.places(planning.forecast(roll, horizon), capacity, now)
    if rows.empty:  # too few census years to forecast from: nothing to show, not a crash
        return PlacePlan(network, pd.DataFrame(), used, planning.DEFAULT_LEVEL)
    threshold = settings.SUPPRESSION_THRESHOLD
    small = rows["on_roll_now"].fillna(0) < threshold
    rows = rows.astype(object)
    rows.loc[small, ["on_roll_now", "forecast", "low", "high"]] = "c"
    return PlacePlan(network, rows, used, planning.DEFAULT_LEVEL)


def _extract(source) -> dt.date:
    """The extract date: the latest date in the enrolments, no later than today (open
    spells' year group refers to it)."""
    enrolments = source("enrolments")
    last = engine.execute(
        enrolments.select(start=enrolments.start_date.max(), end=enrolments.end_date.max())
    ).iloc[0]
    dates = [pd.Timestamp(d).date() for d in last if pd.notna(d)]
    return min(max(dates), dt.date.today()) if dates else dt.date.today()


def _trust_roll(trust: Trust) -> pd.DataFrame:
    """Census counts for the last ten years (built once per live store manifest)."""
    return cached_per_store(trust.slug, "network-roll", (), lambda: _build_trust_roll(trust))


def _build_trust_roll(trust: Trust) -> pd.DataFrame:
    source = _source(trust)
    extract = _extract(source)
    current = extract.year - (extract < dt.date(extract.year, 10, 1))
    return planning.census_roll(source("enrolments"), range(current - 9, current + 1), extract)


def _capacity(trust: Trust, academies: list[Academy], areas: dict[int, str]) -> dict[str, int]:
    """Places per area: each academy's latest published admission number x its year groups."""
    if not _has(trust, ("admissions",)):
        return {}
    table = engine.execute(_source(trust)("admissions"))
    latest = table.sort_values("entry_year").groupby("urn").tail(1)
    pans = dict(zip(latest["urn"], latest["pan"], strict=True))
    out: dict[str, int] = {}
    for academy in academies:
        if academy.urn in pans:
            places = int(pans[academy.urn]) * YEAR_GROUPS.get(academy.phase, 7)
            out[areas[academy.urn]] = out.get(areas[academy.urn], 0) + places
    return out

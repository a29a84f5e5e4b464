"""Read-side computations: profiles shown only from 5 respondents, the multilevel analysis of
a trust's year (profiles from the records, outcomes from the analytical store) and the
pseudonymised researcher extract."""

from __future__ import annotations

import hashlib
import hmac
import logging
from dataclasses import dataclass

import pandas as pd
from django.conf import settings

from trustlens.analytics import engine
from trustlens.analytics.practice import AREA_CODES, AREA_TITLES, PracticeAnalysis, analyse
from trustlens.analytics.practice_data import DATASETS, outcome_sums
from trustlens.analytics.stats.suppression import DEFAULT_THRESHOLD
from trustlens.core.fragments import cached_per_store
from trustlens.ingest.store import AnalyticalStore
from trustlens.organisations.models import Trust
from trustlens.practice.choices import MIN_RESPONDENTS
from trustlens.practice.models import DataSharingRecord, PracticeProfile

logger = logging.getLogger(__name__)


def shown_profiles(profiles) -> list[PracticeProfile]:
    """Profiles from at least MIN_RESPONDENTS respondents (the others are never shown)."""
    return [p for p in profiles if p.respondents >= MIN_RESPONDENTS]


def profile_table(profiles, year: str) -> list[dict]:
    """One row per area for ``year``: title, score (or None: too few) and respondents."""
    by_area = {p.area: p for p in profiles if p.academic_year == year}
    rows = []
    for code in AREA_CODES:
        p = by_area.get(code)
        shown = p is not None and p.respondents >= MIN_RESPONDENTS
        rows.append(
            {
                "area": code,
                "title": AREA_TITLES[code],
                "score": p.score if shown else None,
                "respondents": p.respondents if p else 0,
                "source": p.get_source_display() if p else "",
            }
        )
    return rows


def profile_frame(profiles) -> pd.DataFrame:
    """urn, area, score of the profiles that may be analysed."""
    rows = [
        {"urn": p.academy.urn, "area": p.area, "score": p.score} for p in shown_profiles(profiles)
    ]
    return pd.DataFrame(rows, columns=["urn", "area", "score"])


def _source(trust: Trust):
    store = AnalyticalStore(settings.STORE_DIR)
    con = engine.connect("duckdb", threads=1)
    held = set(store.datasets(trust.slug))
    return store, con, held


def outcomes_for(trust: Trust, year: str, outcome: str) -> pd.DataFrame | None:
    """Per-academy outcome sums from the store, or None when its datasets are missing."""
    store, con, held = _source(trust)
    if not set(DATASETS[outcome]) <= held:
        return None
    return outcome_sums(lambda name: store.table(con, trust.slug, name), year, outcome)


@dataclass
class TrustAnalysis:
    analysis: PracticeAnalysis | None
    missing: str | None = None


def analysis_for(trust: Trust, year: str, outcome: str, profiles) -> TrustAnalysis:
    """The ten-area analysis, or why there is none (no outcomes, too few academies)."""
    try:
        sums = cached_per_store(  # once per live store manifest, not per request
            trust.slug,
            "practice-outcomes",
            (year, outcome),
            lambda: outcomes_for(trust, year, outcome),
        )
    except Exception:  # noqa: BLE001 - a page says what went wrong rather than failing
        logger.exception("practice outcomes of %s %s %s failed", trust.slug, year, outcome)
        return TrustAnalysis(None, f"The {outcome} outcomes for {year} could not be computed.")
    if sums is None:
        return TrustAnalysis(None, f"The store holds no {outcome} data for {trust.name}.")
    frame = profile_frame([p for p in profiles if p.academic_year == year])
    return TrustAnalysis(analyse(sums, frame, outcome))


def pseudonym(record: DataSharingRecord, urn: int) -> str:
    """A stable code per academy and sharing record (HMAC-SHA256 with the record's salt)."""
    digest = hmac.new(record.salt.encode(), str(urn).encode(), hashlib.sha256).hexdigest()
    return f"A{digest[:10]}"


def extract_rows(record: DataSharingRecord) -> pd.DataFrame:
    """Academy-level profile and outcomes: pseudonyms, suppressed ("c") small counts."""
    year = record.academic_year
    profiles = PracticeProfile.objects.unscoped().filter(
        academy__trust=record.trust, academic_year=year
    )
    rows: dict[int, dict] = {}
    for p in profiles.select_related("academy"):
        row = rows.setdefault(p.academy.urn, {"academy": pseudonym(record, p.academy.urn)})
        row["academic_year"] = year
        row[f"{p.area}_score"] = round(p.score, 2) if p.respondents >= MIN_RESPONDENTS else "c"
        row[f"{p.area}_respondents"] = p.respondents if p.respondents >= MIN_RESPONDENTS else "c"
    for outcome in ("va", "attendance", "p8"):
        sums = outcomes_for(record.trust, year, outcome)
        for s in [] if sums is None else sums.to_dict("records"):
            if s["urn"] in rows:
                small = s["n"] < DEFAULT_THRESHOLD
                rows[s["urn"]][f"{outcome}_pupils"] = "c" if small else int(s["n"])
                rows[s["urn"]][f"{outcome}_mean"] = "c" if small else round(s["s_y"] / s["n"], 3)
    frame = pd.DataFrame(list(rows.values()))
    return frame.sort_values("academy").reset_index(drop=True) if len(frame) else frame

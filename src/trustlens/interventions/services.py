"""Writes for interventions: the register, participants, evaluations and the two import files.

Who may write: a user with pupil-level scope (trust executive, regional or cluster lead,
headteacher, data manager) over *every* academy of the intervention. Reads elsewhere go
through ``restrict``; the ``unscoped()`` calls here are system work (building an evaluation
from the whole trust's comparison pool, loading an import) after that check.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import polars as pl
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction

from trustlens.analytics.impact import OutcomeSpec, evaluate, evaluation_frame
from trustlens.analytics.impact.evaluation import EvaluationResult
from trustlens.analytics.impact.frame import Tables
from trustlens.core.access import require
from trustlens.core.audit import changed_fields, log_change
from trustlens.core.models import AuditEvent
from trustlens.core.scoping import scope_of
from trustlens.interventions.choices import Comparison, PupilSource
from trustlens.interventions.models import (
    Evaluation,
    Intervention,
    InterventionAcademy,
    InterventionPupil,
)
from trustlens.organisations.models import Academy, Trust
from trustlens.pupils.models import Enrolment, Pupil

Action = AuditEvent.Action


class InterventionImportError(ValueError):
    """Rows of an import that cannot be loaded; ``issues`` name file, row, column, value, reason."""

    def __init__(self, issues: list[dict]) -> None:
        super().__init__(
            "; ".join(f"{i['file']} row {i['row']}: {i['value']} {i['reason']}" for i in issues[:5])
        )
        self.issues = issues


# --- permissions ---------------------------------------------------------------------------


REFUSED = "You can only change interventions in academies whose pupils you can see."


def check_can_manage(user: Any, academy_ids: Iterable[int]) -> None:
    """Interventions are pupil-level: only roles that see every academy's pupils change them."""
    require(user, "manage_pupils", set(academy_ids), REFUSED)


# --- the register --------------------------------------------------------------------------


def next_intervention_id(trust: Trust) -> str:
    """A fresh reference for an intervention registered in the app: INT-0001, INT-0002..."""
    taken = set(
        Intervention.objects.unscoped()
        .filter(trust=trust)
        .values_list("intervention_id", flat=True)
    )
    number = len(taken) + 1
    while f"INT-{number:04d}" in taken:
        number += 1
    return f"INT-{number:04d}"


@transaction.atomic
def save_intervention(
    user: Any, intervention: Intervention, academies: list[Academy]
) -> Intervention:
    """Create or update an intervention run in ``academies`` (all of one trust)."""
    before = (
        Intervention.objects.unscoped().filter(pk=intervention.pk).first()
        if intervention.pk
        else None
    )
    previous = before.academy_ids if before else set()
    check_can_manage(user, {a.pk for a in academies} | previous)
    trusts = {a.trust_id for a in academies}
    if len(trusts) != 1:
        raise PermissionDenied("An intervention's academies must all be in one trust.")
    intervention.trust_id = trusts.pop()
    intervention.intervention_id = intervention.intervention_id or next_intervention_id(
        intervention.trust
    )
    if before is None:
        intervention.created_by = user
    intervention.save()
    set_academies(intervention, academies)
    changes = changed_fields(before, intervention) | _academy_change(previous, academies)
    log_change(user, Action.UPDATE if before else Action.CREATE, intervention, changes)
    return intervention


def set_academies(intervention: Intervention, academies: Iterable[Academy]) -> None:
    """Make ``academies`` exactly the academies the intervention runs in."""
    wanted = {a.pk for a in academies}
    InterventionAcademy.objects.filter(intervention=intervention).exclude(
        academy_id__in=wanted
    ).delete()
    held = intervention.academy_ids
    InterventionAcademy.objects.bulk_create(
        [
            InterventionAcademy(intervention=intervention, academy_id=pk)
            for pk in sorted(wanted - held)
        ]
    )


def _academy_change(previous: set[int], academies: list[Academy]) -> dict:
    now = {a.pk for a in academies}
    return {} if now == previous else {"academies": [sorted(previous), sorted(now)]}


@transaction.atomic
def delete_intervention(user: Any, intervention: Intervention) -> None:
    check_can_manage(user, intervention.academy_ids)
    log_change(user, Action.DELETE, intervention)
    intervention.delete()


# --- participants --------------------------------------------------------------------------


def _current_enrolments(pupils: Iterable[Pupil], academy_ids: set[int]) -> dict[int, int]:
    """pupil pk -> academy pk of the pupil's enrolment at one of ``academy_ids`` (open ones first)."""
    enrolments = (
        Enrolment.objects.unscoped()
        .filter(pupil__in=list(pupils), academy_id__in=academy_ids)
        .order_by("pupil_id", "end_date", "-start_date")
    )
    found: dict[int, int] = {}
    for enrolment in enrolments:
        if enrolment.end_date is None or enrolment.pupil_id not in found:
            found.setdefault(enrolment.pupil_id, enrolment.academy_id)
    return found


@transaction.atomic
def add_participants(
    user: Any, intervention: Intervention, pupils: Iterable[Pupil], source: str = PupilSource.FILTER
) -> int:
    """Add pupils on the roll of the intervention's academies (in the user's scope); returns how many were new."""
    academy_ids = intervention.academy_ids
    check_can_manage(user, academy_ids)
    academy_of = _current_enrolments(pupils, academy_ids & scope_of(user).pupil_academy_ids)
    existing = set(intervention.participants.unscoped().values_list("pupil_id", flat=True))
    new = [
        InterventionPupil(intervention=intervention, pupil_id=pk, academy_id=academy, source=source)
        for pk, academy in academy_of.items()
        if pk not in existing
    ]
    InterventionPupil.objects.bulk_create(new)
    if new:
        log_change(
            user,
            Action.UPDATE,
            intervention,
            {"participants_added": [len(existing), len(existing) + len(new)]},
        )
    return len(new)


@transaction.atomic
def remove_participants(user: Any, intervention: Intervention, pupil_pks: Iterable[int]) -> int:
    check_can_manage(user, intervention.academy_ids)
    removed, _ = intervention.participants.unscoped().filter(pupil_id__in=list(pupil_pks)).delete()
    if removed:
        log_change(user, Action.UPDATE, intervention, {"participants_removed": [str(removed), ""]})
    return removed


def pupils_by_ids(
    user: Any, intervention: Intervention, pupil_ids: Iterable[str]
) -> tuple[list[Pupil], list[str]]:
    """Pupils of the intervention's academies (in the user's scope) by surrogate id, and ids not found."""
    wanted = {p.strip() for p in pupil_ids if p.strip()}
    pupils = list(
        Pupil.objects.restrict(user).filter(
            pupil_id__in=wanted,
            trust=intervention.trust,
            enrolments__academy_id__in=intervention.academy_ids,
        )
    )
    found = {p.pupil_id for p in pupils}
    return pupils, sorted(wanted - found)


def pupils_by_filter(user: Any, intervention: Intervention, criteria: dict) -> list[Pupil]:
    """Pupils on the roll of one of the intervention's academies who meet ``criteria``.

    ``criteria``: academy (required), year_group, disadvantaged / sen / eal ("yes", "no" or ""),
    prior_below (KS2 scaled score, read from the analytical store's prior attainment).
    """
    enrolments = Enrolment.objects.restrict(user).filter(
        academy=criteria["academy"], end_date__isnull=True
    )
    if criteria.get("year_group") is not None:
        enrolments = enrolments.filter(year_group=criteria["year_group"])
    pupils = Pupil.objects.restrict(user).filter(pk__in=enrolments.values("pupil_id"))
    flags = {"disadvantaged": "disadvantaged", "eal": "eal"}
    for key, field in flags.items():
        if criteria.get(key) in ("yes", "no"):
            pupils = pupils.filter(**{field: criteria[key] == "yes"})
    if criteria.get("sen") in ("yes", "no"):
        pupils = pupils.exclude(sen="N") if criteria["sen"] == "yes" else pupils.filter(sen="N")
    pupils = list(pupils)
    if criteria.get("prior_below") is not None:
        below = _prior_below(
            intervention, [p.pupil_id for p in pupils], float(criteria["prior_below"])
        )
        pupils = [p for p in pupils if p.pupil_id in below]
    return pupils


def _prior_below(intervention: Intervention, pupil_ids: list[str], threshold: float) -> set[str]:
    """Pupils whose KS2 scaled score in the outcome's subject (else the mean) is below ``threshold``."""
    from trustlens.analytics.impact.frame import prior_candidates

    table = store_tables(intervention.trust.slug)("prior_attainment")
    if table is None or not pupil_ids:
        return set()
    frame = table.filter(table.pupil_id.isin(pupil_ids)).to_pandas()
    measure = prior_candidates(intervention.subject)[0]
    columns = {"ks2_reading": ["ks2_reading_scaled"], "ks2_maths": ["ks2_maths_scaled"]}.get(
        measure, ["ks2_reading_scaled", "ks2_maths_scaled"]
    )
    score = frame[columns].mean(axis=1, skipna=False)
    return set(frame.loc[score < threshold, "pupil_id"])


# --- evaluation ----------------------------------------------------------------------------


def store_tables(trust_slug: str) -> Tables:
    """The trust's analytical store as ``dataset -> ibis.Table`` (None for a dataset never written)."""
    from trustlens.analytics.engine import connect
    from trustlens.ingest.store import AnalyticalStore

    store = AnalyticalStore(settings.STORE_DIR)
    con = connect()
    held = set(store.datasets(trust_slug))

    def table(dataset: str):
        return store.table(con, trust_slug, dataset) if dataset in held else None

    return table


def outcome_spec(intervention: Intervention) -> OutcomeSpec:
    return OutcomeSpec(
        subject=intervention.subject,
        post_year=intervention.post_year,
        post_term=intervention.post_term,
        pre_year=intervention.pre_year or None,
        pre_term=intervention.pre_term or None,
        scale=intervention.scale or None,
    )


def programme_urns(intervention: Intervention) -> set[int]:
    """URNs of every academy in the trust that runs an intervention of this programme."""
    return set(
        Academy.objects.unscoped()
        .filter(
            interventions__trust=intervention.trust, interventions__programme=intervention.programme
        )
        .values_list("urn", flat=True)
    )


def run_evaluation(
    intervention: Intervention, tables: Tables, exclude_urns: Iterable[int] = ()
) -> tuple[EvaluationResult, dict]:
    """Evaluate against the trust's non-participants (less ``exclude_urns``); no writes."""
    participants = InterventionPupil.objects.unscoped().filter(intervention=intervention)
    pupil_ids = list(participants.values_list("pupil__pupil_id", flat=True))
    built = evaluation_frame(tables, outcome_spec(intervention), pupil_ids, exclude_urns)
    result = evaluate(
        built.frame,
        n_registered=len(pupil_ids),
        cost_fixed=float(intervention.cost_fixed),
        cost_per_pupil=float(intervention.cost_per_pupil),
        n_academies=max(participants.values("academy_id").distinct().count(), 1),
    )
    return result, {"prior_measure": built.prior_measure, "n_not_in_store": built.n_not_in_store}


def _money(value: float | None) -> Decimal | None:
    return None if value is None else Decimal(str(round(value, 2)))


def _save(
    intervention: Intervention, result: EvaluationResult, extra: dict, comparison: str, user: Any
) -> Evaluation:
    data = result.to_dict() | extra | {"comparison": comparison}
    evaluation = Evaluation.objects.create(
        intervention=intervention,
        comparison=comparison,
        computed_by=user if getattr(user, "is_authenticated", False) else None,
        design=result.design,
        n_registered=result.n_registered,
        n_intervention=result.n_intervention,
        n_comparison=result.n_comparison,
        effect_size=data["effect_size"],
        ci_low=data["ci_low"],
        ci_high=data["ci_high"],
        months=result.months,
        cost_per_pupil=_money(data["cost_per_pupil"]),
        cost_per_month=_money(data["cost_per_month"]),
        verdict=result.verdict,
        summary=result.summary,
        balance=data["balance"],
        cautions=data["cautions"],
        result=data,
    )
    log_change(user, Action.CREATE, evaluation, {"effect_size": ["", str(data["effect_size"])]})
    return evaluation


@transaction.atomic
def evaluate_intervention(
    intervention: Intervention, user: Any = None, tables: Tables | None = None
) -> Evaluation:
    """Evaluate and store the result; also against non-user academies when the programme runs in several.

    ``user=None`` is the system (the CLI); a user must be able to manage the intervention.
    """
    if user is not None:
        check_can_manage(user, intervention.academy_ids)
    tables = tables or store_tables(intervention.trust.slug)
    result, extra = run_evaluation(intervention, tables)
    evaluation = _save(intervention, result, extra, Comparison.TRUST, user)
    users = programme_urns(intervention)
    if len(users) >= 2:
        result, extra = run_evaluation(intervention, tables, exclude_urns=users)
        _save(
            intervention,
            result,
            extra | {"excluded_urns": sorted(users)},
            Comparison.NON_USERS,
            user,
        )
    return evaluation


# --- importing interventions.csv and intervention_pupils.csv ------------------------------


def intervention_keys(trust: Trust) -> dict[str, set]:
    """intervention_id values the trust already holds (foreign keys of intervention_pupils.csv)."""
    ids = (
        Intervention.objects.unscoped()
        .filter(trust=trust)
        .values_list("intervention_id", flat=True)
    )
    return {"intervention_id": set(ids)}


def _money_or_zero(value: float | None) -> Decimal:
    return Decimal(str(round(value or 0, 2)))


def load_interventions(target: Any, frame: pl.DataFrame) -> int:
    """Add or update interventions by intervention_id (loader for the importer's registry)."""
    academies = {a.urn: a for a in Academy.objects.unscoped().filter(trust=target.trust)}
    for row in frame.iter_rows(named=True):
        intervention, created = Intervention.objects.unscoped().get_or_create(
            trust=target.trust, intervention_id=row["intervention_id"], defaults=_fields(row)
        )
        if not created:
            before = Intervention.objects.unscoped().get(pk=intervention.pk)
            for name, value in _fields(row).items():
                setattr(intervention, name, value)
            intervention.save()
        set_academies(intervention, [academies[row["urn"]]])
        changes = {} if created else changed_fields(before, intervention)
        log_change(target.user, Action.CREATE if created else Action.UPDATE, intervention, changes)
    return frame.height


def _fields(row: dict) -> dict:
    return {
        "name": row["name"],
        "subject": row["subject"],
        "pre_year": row["pre_year"] or "",
        "pre_term": row["pre_term"] or "",
        "post_year": row["post_year"],
        "post_term": row["post_term"],
        "cost_fixed": _money_or_zero(row["cost_fixed"]),
        "cost_per_pupil": _money_or_zero(row["cost_per_pupil"]),
        "programme": row["programme"],
    }


def load_intervention_pupils(target: Any, frame: pl.DataFrame) -> int:
    """Replace the participants of each intervention in the file (loader for the registry).

    Every pupil must be on the roll of one of the intervention's academies; otherwise nothing
    is loaded and ``InterventionImportError`` names each row.
    """
    interventions = {
        i.intervention_id: i for i in Intervention.objects.unscoped().filter(trust=target.trust)
    }
    pupils = {
        p.pupil_id: p
        for p in Pupil.objects.unscoped().filter(
            trust=target.trust, pupil_id__in=frame["pupil_id"].to_list()
        )
    }
    rows, issues = [], []
    for index, row in enumerate(frame.iter_rows(named=True)):
        intervention, pupil = interventions[row["intervention_id"]], pupils[row["pupil_id"]]
        rows.append((index, intervention, pupil))
    academy_of = _academies_of(rows)
    for index, intervention, pupil in rows:
        if (intervention.pk, pupil.pk) not in academy_of:
            issues.append(
                {
                    "file": "intervention_pupils.csv",
                    "row": index + 2,
                    "column": "pupil_id",
                    "value": pupil.pupil_id,
                    "reason": f"not on the roll of an academy running {intervention.intervention_id}",
                }
            )
    if issues:
        raise InterventionImportError(issues)
    for intervention in {i for _, i, _ in rows}:
        intervention.participants.unscoped().delete()
        log_change(
            target.user, Action.UPDATE, intervention, {"participants": ["replaced by import", ""]}
        )
    InterventionPupil.objects.bulk_create(
        [
            InterventionPupil(
                intervention=i,
                pupil=p,
                academy_id=academy_of[(i.pk, p.pk)],
                source=PupilSource.IMPORT,
            )
            for _, i, p in rows
        ]
    )
    return len(rows)


def _academies_of(rows: list[tuple[int, Intervention, Pupil]]) -> dict[tuple[int, int], int]:
    """(intervention pk, pupil pk) -> the academy where the pupil takes part."""
    found: dict[tuple[int, int], int] = {}
    for intervention in {i for _, i, _ in rows}:
        academy_ids = intervention.academy_ids
        members = [p for _, i, p in rows if i.pk == intervention.pk]
        for pupil_pk, academy_pk in _current_enrolments(members, academy_ids).items():
            found[(intervention.pk, pupil_pk)] = academy_pk
    return found

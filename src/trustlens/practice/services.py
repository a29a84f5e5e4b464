"""All writes of the practice app: anonymous survey responses, profiles, data-sharing records,
imported profiles (``practice_profile.csv``) and the profile's store snapshot.

Anonymity: a response is saved with a random id, no user and no time; the person's completion
is a separate row (so nobody answers twice) written in the same transaction, and it is the
completion that the audit log records. Nothing links the two.
"""

from __future__ import annotations

import logging
import secrets
from collections import defaultdict
from statistics import fmean

import polars as pl
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from trustlens.core.access import require
from trustlens.core.audit import log_change, save_audited
from trustlens.core.scoping import scope_of
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.standard import PRACTICE_PROFILE
from trustlens.ingest.store import conform
from trustlens.organisations.models import Academy, Trust
from trustlens.practice.choices import ProfileSource, RespondentRole
from trustlens.practice.instrument import CURRENT, instrument
from trustlens.practice.models import (
    DataSharingRecord,
    PracticeProfile,
    SurveyCompletion,
    SurveyResponse,
)

logger = logging.getLogger(__name__)
SURVEY_REFUSAL = "Only staff of this academy complete its practice survey (not trustees)."


#: Roles that answer the survey for the academies they work in (not trustees or the DPO).
NON_STAFF_ROLES = frozenset({"trustee", "dpo"})


def can_take_survey(user, academy: Academy) -> bool:
    """Staff whose scope covers the academy: its leaders, teachers and data managers, and
    the roles above it (trust, regional and cluster leads)."""
    scope = scope_of(user)
    return academy.pk in scope.academy_ids and bool(set(scope.roles) - NON_STAFF_ROLES)


def respondent_role(user, academy: Academy) -> str:
    leads = academy.pk in scope_of(user).lead_academy_ids
    return RespondentRole.LEADER if leads else RespondentRole.TEACHER


def has_completed(user, academy: Academy, year: str, version: str = CURRENT) -> bool:
    return (
        SurveyCompletion.objects.restrict(user)
        .filter(academy=academy, user=user, academic_year=year, instrument_version=version)
        .exists()
    )


def _clean_answers(role: str, answers: dict, version: str) -> dict[str, int]:
    """Every item for ``role`` answered 1-5, else a ValidationError naming the items."""
    cleaned, errors = {}, {}
    for item in instrument(version).items_for(role):
        value = answers.get(item.code)
        try:
            number = int(value)
        except (TypeError, ValueError):
            errors[item.code] = "Choose a point on the 1 to 5 scale."
            continue
        if not 1 <= number <= 5:
            errors[item.code] = f"{number} is not on the 1 to 5 scale."
        cleaned[item.code] = number
    if errors:
        raise ValidationError(errors)
    return cleaned


def submit_response(
    user, academy: Academy, answers: dict, comments: str, year: str, version: str = CURRENT
) -> SurveyResponse:
    """Save one anonymous response and the person's completion; refuse a second one."""
    if not can_take_survey(user, academy):
        raise PermissionDenied(SURVEY_REFUSAL)
    role = respondent_role(user, academy)
    cleaned = _clean_answers(role, answers, version)
    if has_completed(user, academy, year, version):
        raise ValidationError("You have already completed this survey for this academy and year.")
    with transaction.atomic():
        completion = SurveyCompletion.objects.create(
            academy=academy, user=user, academic_year=year, instrument_version=version
        )
        log_change(user, "create", completion)
        response = SurveyResponse.objects.create(
            academy=academy,
            academic_year=year,
            instrument_version=version,
            role=role,
            answers=cleaned,
            comments=comments.strip(),
        )
        rebuild_profile(academy, year)
    transaction.on_commit(lambda: publish_profiles(academy.trust))
    return response


def area_means(responses) -> dict[str, list[float]]:
    """Area code -> each response's mean over that area's items."""
    per_area: dict[str, list[float]] = defaultdict(list)
    for response in responses:
        items = instrument(response.instrument_version).items
        by_area: dict[str, list[int]] = defaultdict(list)
        for item in items:
            if item.code in response.answers:
                by_area[item.area].append(int(response.answers[item.code]))
        for area, values in by_area.items():
            per_area[area].append(fmean(values))
    return per_area


def rebuild_profile(academy: Academy, year: str) -> int:
    """The academy's survey profile for ``year`` from its responses (system work)."""
    responses = SurveyResponse.objects.unscoped().filter(academy=academy, academic_year=year)
    written = 0
    for area, values in area_means(responses).items():
        PracticeProfile.objects.unscoped().update_or_create(
            academy=academy,
            academic_year=year,
            area=area,
            defaults={
                "score": fmean(values),
                "respondents": len(values),
                "source": ProfileSource.SURVEY,
            },
        )
        written += 1
    return written


# --- import and store ---------------------------------------------------------------------


def load_profiles(target: LoadTarget, frame: pl.DataFrame) -> int:
    """practice_profile.csv: replace each (academy, year) in the file with the file's rows."""
    trust: Trust = target.trust
    academies = {a.urn: a for a in Academy.objects.unscoped().filter(trust=trust)}
    slices = frame.select("urn", "academic_year").unique().iter_rows()
    for urn, year in slices:
        PracticeProfile.objects.unscoped().filter(
            academy=academies[urn], academic_year=year
        ).delete()
    PracticeProfile.objects.bulk_create(
        PracticeProfile(
            academy=academies[row["urn"]],
            academic_year=row["academic_year"],
            area=row["area"],
            score=row["score"],
            respondents=row["respondents"],
            source=ProfileSource.IMPORT,
        )
        for row in frame.iter_rows(named=True)
    )
    return frame.height


def profile_frame(trust: Trust) -> pl.DataFrame:
    """The trust's profiles as the analytical store holds them (every source)."""
    rows = (
        PracticeProfile.objects.unscoped()
        .filter(academy__trust=trust)
        .values_list("academic_year", "academy__urn", "area", "score", "respondents")
    )
    schema = PRACTICE_PROFILE.store_schema()
    if not rows:
        return pl.DataFrame(schema=schema)
    return conform(pl.DataFrame(list(rows), schema=list(schema), orient="row"), schema)


def publish_profiles(trust: Trust) -> None:
    """Write the trust's profiles to the store (the CLI and the extract read them there)."""
    from trustlens.imports.services import analytical_store

    spec = PRACTICE_PROFILE
    try:
        with analytical_store().transaction(trust.slug, import_id="practice") as tx:
            tx.write_partitions(
                spec.name,
                profile_frame(trust),
                spec.store_schema(),
                spec.partition_by,
                spec.year_column,
                replace_all=True,
                file_by=spec.file_by,
            )
            tx.commit()
    except Exception:  # noqa: BLE001 - the records are saved; the store catches up next import
        logger.exception("could not write practice profiles of %s to the store", trust.slug)


# --- data sharing -------------------------------------------------------------------------


def save_sharing(user, record: DataSharingRecord) -> DataSharingRecord:
    """A new or changed data-sharing record (the trust's executives only), audited."""
    require(user, "configure", record.trust_id)
    if record.expires_on and record.expires_on <= timezone.localdate():
        raise ValidationError({"expires_on": "The expiry date must be in the future."})
    if not record.salt:
        record.salt = secrets.token_hex(16)
        record.created_by = user
    return save_audited(user, record)

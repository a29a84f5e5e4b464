"""Grouping helpers: attach pupil characteristics and the organisation tree to pupil rows.

Pupil groups follow the DfE performance-table breakdowns (disadvantaged, SEN support ``K`` and
EHC plan ``E``, EAL, sex, low/middle/high prior attainment); the organisation levels are the
trust's own (academy, cluster, region, trust). Source for the breakdowns: DfE *Secondary
accountability measures* and *Primary school accountability* guidance, "pupil groups".
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis

PUPIL_GROUP_KEYS = ("disadvantaged", "sen", "eal", "sex", "looked_after", "ethnicity")
ORGANISATION_KEYS = ("cluster", "region", "name", "phase", "joined_trust")


def needs_pupils(by: Sequence[str]) -> bool:
    """True when a grouping uses a pupil characteristic."""
    return any(key in PUPIL_GROUP_KEYS or key == "birth_month" for key in by)


def needs_academies(by: Sequence[str]) -> bool:
    """True when a grouping uses the organisation tree (cluster, region...)."""
    return any(key in ORGANISATION_KEYS for key in by)


def with_pupils(table: ibis.Table, pupils: ibis.Table | None) -> ibis.Table:
    """Left-join pupil characteristics on ``pupil_id`` (only columns not already present)."""
    if pupils is None:
        return table
    keep = [c for c in pupils.columns if c == "pupil_id" or c not in table.columns]
    return table.left_join(pupils.select(keep), "pupil_id").drop("pupil_id_right")


def with_academies(table: ibis.Table, academies: ibis.Table | None) -> ibis.Table:
    """Left-join the organisation tree (cluster, region, name...) on ``urn``."""
    if academies is None:
        return table
    keep = [c for c in academies.columns if c == "urn" or c not in table.columns]
    return table.left_join(academies.select(keep), "urn").drop("urn_right")


def with_groups(
    table: ibis.Table,
    by: Sequence[str],
    pupils: ibis.Table | None = None,
    academies: ibis.Table | None = None,
) -> ibis.Table:
    """Attach what ``by`` needs; raise if a needed table was not supplied."""
    if needs_pupils(by) and not set(by) <= set(table.columns):
        if pupils is None:
            raise ValueError(f"grouping by {list(by)} needs the pupils table")
        table = with_pupils(table, pupils)
    if needs_academies(by) and not set(by) <= set(table.columns):
        if academies is None:
            raise ValueError(f"grouping by {list(by)} needs the academies table")
        table = with_academies(table, academies)
    return table

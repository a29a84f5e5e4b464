"""The two import files of interventions, as data-standard specifications.

``interventions.csv``: one row per intervention, in one academy (``urn``). A programme run in
several academies is one intervention per academy (its own intervention_id, the same
``programme``): the what-works library compares and pools them by programme. (An intervention
shared by several academies can be registered in the app.) ``intervention_pupils.csv``: the pupils taking part. Both are records-only (not written to the
analytical store) and are registered with the importer in ``apps.InterventionsConfig.ready``.
Pure Polars: no Django here, so the importer can validate without the records database.
"""

from __future__ import annotations

import polars as pl

from trustlens.ingest.schema import (
    Check,
    Column,
    DatasetSpec,
    ForeignKey,
    Kind,
    StoreMode,
    optional,
    raw,
)
from trustlens.ingest.standard import ACADEMY_FK, PUPIL_FK, PUPIL_ID, TERMS, URN
from trustlens.interventions.choices import Programme

C = pl.col
INTERVENTION_ID = Column(
    "intervention_id",
    Kind.TEXT,
    "The trust's reference for the intervention, unique in the trust",
    max_length=40,
)
MONEY = {"minimum": 0, "maximum": 10_000_000}


def _year_index(column: str) -> pl.Expr:
    return C(column).str.slice(0, 4).cast(pl.Int32, strict=False)


def _term_index(column: str) -> pl.Expr:
    return C(column).replace_strict(
        {t: i for i, t in enumerate(TERMS)}, default=None, return_dtype=pl.Int32
    )


def _window_order() -> pl.Expr:
    """True where the pre-test window is not before the post-test window."""
    pre = _year_index("pre_year") * 10 + _term_index("pre_term")
    post = _year_index("post_year") * 10 + _term_index("post_term")
    return (pre >= post).fill_null(False)


def _shown(*names: str) -> pl.Expr:
    parts: list[pl.Expr] = []
    for i, name in enumerate(names):
        parts += [pl.lit(("" if i == 0 else ", ") + f"{name}="), raw(name).fill_null("")]
    return pl.concat_str(parts)


def _intervention_checks() -> list[Check]:
    return [
        Check(
            "pre_term",
            "a pre-test year needs a term (and a term needs a year)",
            lambda: C("pre_year").is_null() != C("pre_term").is_null(),
            lambda: _shown("pre_year", "pre_term"),
        ),
        Check(
            "post_year",
            "the post-test window is not after the pre-test window",
            _window_order,
            lambda: _shown("pre_year", "pre_term", "post_year", "post_term"),
        ),
    ]


INTERVENTIONS = DatasetSpec(
    name="interventions",
    title="Interventions",
    description="The interventions register: one row per intervention, run in the academy urn (a "
    "programme used in several academies is one intervention per academy, each with its own "
    "intervention_id and the same programme). Rows add or update interventions by intervention_id. "
    "The outcome is the subject's assessment_results in the post-test window; the pre-test window "
    "is optional but makes the evaluation stronger.",
    columns=(
        INTERVENTION_ID,
        Column("name", Kind.TEXT, "Name of the intervention", max_length=200),
        URN,
        Column(
            "subject",
            Kind.TEXT,
            "Outcome subject, as in assessment_results (e.g. Reading, Maths)",
            max_length=50,
        ),
        optional(
            "pre_year",
            Kind.ACADEMIC_YEAR,
            'Pre-test academic year, e.g. "2024/25" (blank: no pre-test)',
        ),
        optional("pre_term", Kind.CHOICE, "Pre-test term", choices=TERMS),
        Column("post_year", Kind.ACADEMIC_YEAR, 'Post-test academic year, e.g. "2024/25"'),
        Column("post_term", Kind.CHOICE, "Post-test term", choices=TERMS),
        optional(
            "cost_fixed",
            Kind.FLOAT,
            "Fixed cost in pounds (training, licences, materials), whole intervention",
            **MONEY,
        ),
        optional(
            "cost_per_pupil",
            Kind.FLOAT,
            "Cost per participating pupil in pounds (staff time, resources)",
            **MONEY,
        ),
        Column("programme", Kind.CHOICE, "Programme type", choices=tuple(Programme.values)),
    ),
    key=("intervention_id",),
    foreign_keys=(ACADEMY_FK,),
    checks=_intervention_checks,
    store_mode=StoreMode.NONE,
    records=True,
    rules_text=(
        "pre_year and pre_term are given together or not at all",
        "the post-test window comes after the pre-test window",
    ),
)

INTERVENTION_PUPILS = DatasetSpec(
    name="intervention_pupils",
    title="Intervention pupils",
    description="The pupils taking part in each intervention. The participants of every "
    "intervention in the file are replaced by the file's. A pupil must be on the roll of one of "
    "the intervention's academies.",
    columns=(
        Column(
            "intervention_id",
            Kind.TEXT,
            "An intervention_id from interventions.csv (or one already held)",
            max_length=40,
        ),
        PUPIL_ID,
    ),
    key=("intervention_id", "pupil_id"),
    foreign_keys=(
        ForeignKey(
            ("intervention_id",),
            "interventions",
            ("intervention_id",),
            "no intervention with this intervention_id (add it to interventions.csv)",
        ),
        PUPIL_FK,
    ),
    store_mode=StoreMode.NONE,
    urn_column=None,
    records=True,
)

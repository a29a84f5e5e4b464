"""The core data standard: one file (CSV or XLSX sheet) per dataset.

docs/data-standard.md is generated from these specifications (``trustlens.ingest.docs``) and a
test keeps the two in step. Column names are the issue's minimum; optional extras are marked.
Vocabulary follows the DfE (school census codes, KS2/KS4 measures); sources are cited per rule.
"""

from __future__ import annotations

import datetime as dt

import polars as pl

from trustlens.ingest.schema import (
    Check,
    Column,
    DatasetSpec,
    ForeignKey,
    Kind,
    StoreMode,
    academic_year_of,
    academic_year_of_month,
    optional,
    raw,
)
from trustlens.standard_codes import LEAVING_REASONS

C = pl.col
PHASES = ("primary", "secondary", "all-through", "special", "alternative")
ACADEMY_TYPES = ("converter", "sponsored", "free_school", "special", "alternative", "other")
TERMS = ("autumn", "spring", "summer")
SCALES = ("scaled", "gcse", "band", "percent")
BANDS = ("WTS", "EXS", "GDS", "PKF", "BLW")
#: DfE school census SEN primary need codes.
SEN_NEEDS = (
    "SPLD",
    "MLD",
    "SLD",
    "PMLD",
    "SEMH",
    "SLCN",
    "HI",
    "VI",
    "MSI",
    "PD",
    "ASD",
    "OTH",
    "NSA",
)
#: Ranges of assessment_results ``value`` per scale (in-year standardised scores run 70-141).
SCALE_RANGES = {"scaled": (70.0, 141.0), "gcse": (0.0, 9.0), "percent": (0.0, 100.0)}

URN = Column(
    "urn", Kind.INT, "Unique reference number of the academy (GIAS)", minimum=100000, maximum=999999
)
PUPIL_ID = Column(
    "pupil_id", Kind.TEXT, "The trust's surrogate pupil id (never a name or UPN)", max_length=40
)
YEAR = Column("academic_year", Kind.ACADEMIC_YEAR, 'Academic year, e.g. "2023/24"')
TERM = Column("term", Kind.CHOICE, "Term of the academic year", choices=TERMS)
KS2_SCALED = {"minimum": 80, "maximum": 120}
#: The KS2 starting points value added is measured from (prior attainment and KS4 files).
KS2_PRIOR = (
    optional("ks2_reading_scaled", Kind.FLOAT, "KS2 reading scaled score", **KS2_SCALED),
    optional("ks2_maths_scaled", Kind.FLOAT, "KS2 maths scaled score", **KS2_SCALED),
)

ACADEMY_FK = ForeignKey(
    ("urn",),
    "academies",
    ("urn",),
    "no academy with this URN in the trust (add it to academies.csv)",
)
PUPIL_FK = ForeignKey(
    ("pupil_id",),
    "pupils",
    ("pupil_id",),
    "no pupil with this pupil_id in the trust (add it to pupils.csv)",
)


def _both(*names: str) -> pl.Expr:
    expr = pl.lit(True)
    for name in names:
        expr = expr & C(name).is_not_null()
    return expr


def _pair(*names: str) -> pl.Expr:
    """Show the values of several columns as 'a=1, b=2' in the error report."""
    parts: list[pl.Expr] = []
    for i, name in enumerate(names):
        parts += [pl.lit(("" if i == 0 else ", ") + f"{name}="), raw(name).fill_null("")]
    return pl.concat_str(parts)


def _not_in_future(column: str) -> Check:
    return Check(column, "in the future", lambda: C(column) > pl.lit(dt.date.today()))


def _academy_checks() -> list[Check]:
    return [
        Check(
            "cluster",
            "a cluster needs a region",
            lambda: C("cluster").is_not_null() & C("region").is_null(),
        ),
        Check(
            "region",
            "a region needs a cluster (academies belong to a region through their cluster)",
            lambda: C("region").is_not_null() & C("cluster").is_null(),
        ),
        _not_in_future("ofsted_date"),
    ]


def _pupil_checks() -> list[Check]:
    born = C("date_of_birth")
    return [
        Check(
            "date_of_birth",
            "impossible for a pupil (before 1990 or in the future)",
            lambda: (born < pl.lit(dt.date(1990, 1, 1))) | (born > pl.lit(dt.date.today())),
        ),
        Check(
            "sen_primary_need",
            "a primary need is given but sen is N",
            lambda: (C("sen") == "N") & C("sen_primary_need").is_not_null(),
            lambda: _pair("sen", "sen_primary_need"),
        ),
        Check(
            "upn",
            "the same UPN is on another row",
            lambda: C("upn").is_not_null() & C("upn").is_duplicated(),
        ),
    ]


def _pupil_derived() -> dict[str, pl.Expr]:
    return {
        "birth_year": C("date_of_birth").dt.year().cast(pl.Int64),
        "birth_month": C("date_of_birth").dt.month().cast(pl.Int64),
    }


def _enrolment_checks() -> list[Check]:
    return [
        Check(
            "end_date",
            "before start_date",
            lambda: C("end_date") < C("start_date"),
            lambda: _pair("start_date", "end_date"),
        ),
        Check(
            "leaving_reason",
            "a leaving reason needs an end_date",
            lambda: C("leaving_reason").is_not_null() & C("end_date").is_null(),
        ),
    ]


def _ks4_checks() -> list[Check]:
    elements = ("a8_english", "a8_maths", "a8_ebacc", "a8_open")
    total = C("a8_english") + C("a8_maths") + C("a8_ebacc") + C("a8_open")
    return [
        Check(
            "attainment8",
            "not the sum of a8_english, a8_maths, a8_ebacc and a8_open",
            lambda: _both("attainment8", *elements) & ((total - C("attainment8")).abs() > 0.05),
            lambda: _pair("attainment8", *elements),
        ),
        Check(
            "eng_maths_5plus",
            "grade 5+ in English and maths implies grade 4+",
            lambda: (C("eng_maths_5plus") == True) & (C("eng_maths_4plus") == False),  # noqa: E712
            lambda: _pair("eng_maths_4plus", "eng_maths_5plus"),
        ),
    ]


def _window_checks() -> list[Check]:
    return [
        Check(
            "closes",
            "before opens",
            lambda: C("closes") < C("opens"),
            lambda: _pair("opens", "closes"),
        )
    ]


def result_number() -> pl.Expr:
    """assessment_results ``value`` as a number for the numeric scales ("U" = 0 for GCSE)."""
    text = raw("value")
    value = (
        pl.when((C("scale") == "gcse") & text.is_in(["U", "u"]))
        .then(0.0)
        .otherwise(text.cast(pl.Float64, strict=False))
    )
    return pl.when((C("scale") != "band") & value.is_finite()).then(value)


BAND_SPELLINGS = {
    spelling: band for band in BANDS for spelling in (band, band.lower(), band.title())
}


def result_band() -> pl.Expr:
    band = raw("value").replace_strict(BAND_SPELLINGS, default=None, return_dtype=pl.String)
    return pl.when(C("scale") == "band").then(band)


def _result_checks() -> list[Check]:
    value, scale, text = C("value"), C("scale"), raw("value")
    checks = [
        Check(
            "value",
            "not a number (scale is scaled, gcse or percent)",
            lambda: scale.is_in(tuple(SCALE_RANGES)) & text.is_not_null() & value.is_null(),
        ),
        Check(
            "value",
            f"not a band ({', '.join(BANDS)})",
            lambda: (scale == "band") & text.is_not_null() & C("band").is_null(),
        ),
    ]
    for name, (low, high) in SCALE_RANGES.items():
        checks.append(
            Check(
                "value",
                f"out of range for scale {name} ({low:g} to {high:g})",
                lambda n=name, lo=low, hi=high: (
                    (scale == n) & ((value < lo) | (value > hi)).fill_null(False)
                ),
            )
        )
    return checks


def _result_derived() -> dict[str, pl.Expr]:
    return {"value": result_number(), "band": result_band()}


def _attendance_checks() -> list[Check]:
    possible = C("possible_sessions")
    return [
        Check(
            "attended_sessions",
            "more sessions attended than possible",
            lambda: C("attended_sessions") > possible,
            lambda: _pair("attended_sessions", "possible_sessions"),
        ),
        Check(
            "authorised_absence",
            "more absence than possible sessions",
            lambda: (C("authorised_absence") + C("unauthorised_absence")) > possible,
            lambda: _pair("authorised_absence", "unauthorised_absence", "possible_sessions"),
        ),
        Check(
            "attended_sessions",
            "attended plus absent is more than possible",
            lambda: (
                (C("attended_sessions") + C("authorised_absence") + C("unauthorised_absence"))
                > possible
            ),
            lambda: _pair(
                "attended_sessions",
                "authorised_absence",
                "unauthorised_absence",
                "possible_sessions",
            ),
        ),
    ]


def _suspension_checks() -> list[Check]:
    return [
        Check(
            "days",
            "a suspension needs its length in days",
            lambda: (C("kind") == "suspension") & C("days").is_null(),
        ),
        _not_in_future("start_date"),
    ]


def _period_year() -> pl.Expr:
    period = C("period")
    return pl.when(period.str.contains("/")).then(period).otherwise(academic_year_of_month(period))


ACADEMIES = DatasetSpec(
    name="academies",
    title="Academies",
    description="The trust's academies and where they sit in the trust (region, cluster). Rows are "
    "added or updated by URN; academies not in the file are left as they are.",
    columns=(
        URN,
        optional(
            "laestab",
            Kind.INT,
            "LA code x 10000 + establishment number (DfE)",
            minimum=1000000,
            maximum=9999999,
        ),
        Column("name", Kind.TEXT, "Academy name", max_length=200),
        Column("phase", Kind.CHOICE, "Phase of education", choices=PHASES),
        optional(
            "academy_type",
            Kind.CHOICE,
            "Type of academy",
            optional_column=True,
            choices=ACADEMY_TYPES,
        ),
        optional(
            "region",
            Kind.TEXT,
            "The trust's region (created if new); give region and cluster together, or neither",
            max_length=100,
        ),
        optional(
            "cluster",
            Kind.TEXT,
            "The cluster within the region (created if new); blank for none",
            max_length=100,
        ),
        optional("joined_trust", Kind.DATE, "Date the academy joined the trust"),
        optional(
            "ofsted_grade",
            Kind.CHOICE,
            "Latest Ofsted overall effectiveness: 1 outstanding, 2 good, 3 requires improvement, 4 inadequate; blank if not inspected",
            choices=("1", "2", "3", "4"),
        ),
        optional("ofsted_date", Kind.DATE, "Date of that inspection"),
    ),
    key=("urn",),
    checks=_academy_checks,
    store_mode=StoreMode.SNAPSHOT,
    records=True,
)

PUPILS = DatasetSpec(
    name="pupils",
    title="Pupils",
    description="One row per pupil. Names, UPN and date of birth stay in the records database; the "
    "analytical store keeps pupil_id, characteristics, and year and month of birth only. Rows are "
    "added or updated by pupil_id; pupils are never deleted by an import.",
    columns=(
        PUPIL_ID,
        optional(
            "upn",
            Kind.UPN,
            "Unique pupil number (records database only)",
            store=False,
        ),
        Column(
            "surname",
            Kind.TEXT,
            "Legal surname (records database only)",
            max_length=100,
            store=False,
        ),
        Column(
            "forename", Kind.TEXT, "Forename (records database only)", max_length=100, store=False
        ),
        Column(
            "date_of_birth",
            Kind.DATE,
            "Date of birth (records database only; the store keeps year and month)",
            store=False,
        ),
        Column("sex", Kind.CHOICE, "Sex as recorded in the school census", choices=("F", "M")),
        Column(
            "disadvantaged",
            Kind.FLAG,
            "Disadvantaged: FSM in the last 6 years or looked after (pupil premium)",
        ),
        Column(
            "sen",
            Kind.CHOICE,
            "SEN provision: N none, K SEN support, E EHC plan",
            choices=("N", "K", "E"),
        ),
        optional(
            "sen_primary_need",
            Kind.CHOICE,
            "Census primary need code when sen is K or E",
            choices=SEN_NEEDS,
        ),
        Column("eal", Kind.FLAG, "First language other than English"),
        Column("looked_after", Kind.FLAG, "Looked-after child"),
        optional(
            "ethnicity",
            Kind.TEXT,
            "Census ethnicity code, e.g. WBRI (optional)",
            optional_column=True,
            max_length=10,
        ),
    ),
    key=("pupil_id",),
    checks=_pupil_checks,
    derived=_pupil_derived,
    store_mode=StoreMode.SNAPSHOT,
    urn_column=None,
    records=True,
    store_schema_extra={"birth_year": pl.Int64(), "birth_month": pl.Int64()},
)

ENROLMENTS = DatasetSpec(
    name="enrolments",
    title="Enrolments",
    description="Each academy's roll history: one row per pupil per spell at an academy. The file is "
    "the whole history of every academy in it: an academy's enrolments are replaced by the file's.",
    columns=(
        PUPIL_ID,
        URN,
        Column(
            "year_group",
            Kind.INT,
            "National curriculum year: 0 reception, -1 and -2 nursery, 1 to 14",
            minimum=-2,
            maximum=14,
        ),
        Column("start_date", Kind.DATE, "First day on roll"),
        optional("end_date", Kind.DATE, "Last day on roll; blank while on roll"),
        optional(
            "leaving_reason",
            Kind.CHOICE,
            "Why the pupil left (blank while on roll); 'unknown' with no onward school is the unexplained-exit signal",
            choices=LEAVING_REASONS,
        ),
    ),
    key=("pupil_id", "urn", "start_date"),
    foreign_keys=(PUPIL_FK, ACADEMY_FK),
    checks=_enrolment_checks,
    partition_by=("urn",),
    file_by=(),
    records=True,
)

CLASSES = DatasetSpec(
    name="classes",
    title="Classes",
    description="Teaching groups (classes and sets). class_id is the trust's own id, unique in the "
    "trust. The classes of each academy and academic year in the file replace the ones held.",
    columns=(
        Column("class_id", Kind.TEXT, "The trust's id for the class", max_length=40),
        URN,
        YEAR,
        Column("name", Kind.TEXT, "Class name as the academy uses it, e.g. 9X1", max_length=50),
        optional(
            "subject",
            Kind.TEXT,
            "Subject (blank for a form or primary class)",
            max_length=50,
        ),
        Column("year_group", Kind.INT, "Year group", minimum=-2, maximum=14),
        optional(
            "teacher",
            Kind.TEXT,
            "Class teacher's name as shown on pages, e.g. Ms A Patel (no login needed; "
            "a file without the column keeps the names held)",
            optional_column=True,
            max_length=100,
        ),
    ),
    key=("class_id",),
    foreign_keys=(ACADEMY_FK,),
    checks=lambda: [
        Check(
            "name",
            "the same class name is on another row for this academy and year",
            lambda: (
                pl.struct("urn", "academic_year", "name").is_duplicated()
                & _both("urn", "academic_year", "name")
            ),
        )
    ],
    store_mode=StoreMode.NONE,
    records=True,
)

CLASS_MEMBERS = DatasetSpec(
    name="class_members",
    title="Class members",
    description="Pupils in each class. The members of every class in the file replace the ones held.",
    columns=(Column("class_id", Kind.TEXT, "A class_id from classes.csv", max_length=40), PUPIL_ID),
    key=("class_id", "pupil_id"),
    foreign_keys=(
        ForeignKey(
            ("class_id",),
            "classes",
            ("class_id",),
            "no class with this class_id (add it to classes.csv)",
        ),
        PUPIL_FK,
    ),
    store_mode=StoreMode.NONE,
    urn_column=None,
    records=True,
)

PRIOR_ATTAINMENT = DatasetSpec(
    name="prior_attainment",
    title="Prior attainment",
    description="Each pupil's key stage 2 (and key stage 1) starting point, for value added. Rows are "
    "added or updated by pupil_id.",
    columns=(
        PUPIL_ID,
        *KS2_PRIOR,
        optional("ks1_aps", Kind.FLOAT, "KS1 average point score", minimum=0, maximum=27),
    ),
    key=("pupil_id",),
    foreign_keys=(PUPIL_FK,),
    store_mode=StoreMode.SNAPSHOT,
    urn_column=None,
)

KS2 = DatasetSpec(
    name="ks2",
    title="Key stage 2 results",
    description="Statutory KS2 outcomes per pupil (STA scaled scores 80-120; writing teacher assessment).",
    columns=(
        PUPIL_ID,
        URN,
        YEAR,
        optional("reading_scaled", Kind.FLOAT, "Reading scaled score", **KS2_SCALED),
        optional("maths_scaled", Kind.FLOAT, "Maths scaled score", **KS2_SCALED),
        optional(
            "gps_scaled",
            Kind.FLOAT,
            "Grammar, punctuation and spelling scaled score",
            **KS2_SCALED,
        ),
        optional("writing_ta", Kind.CHOICE, "Writing teacher assessment", choices=BANDS),
        optional(
            "ks1_aps",
            Kind.FLOAT,
            "KS1 average point score (prior attainment for KS2 progress)",
            minimum=0,
            maximum=27,
        ),
    ),
    key=("pupil_id", "academic_year"),
    foreign_keys=(PUPIL_FK, ACADEMY_FK),
    partition_by=("academic_year", "urn"),
    file_by=("academic_year",),
    year_column="academic_year",
)

KS4 = DatasetSpec(
    name="ks4",
    title="Key stage 4 results",
    description="Statutory KS4 outcomes per pupil: Attainment 8 and its elements (DfE secondary "
    "accountability guidance: English and maths double weighted, three EBacc and three open slots).",
    columns=(
        PUPIL_ID,
        URN,
        YEAR,
        *KS2_PRIOR,
        Column("attainment8", Kind.FLOAT, "Attainment 8 score", minimum=0, maximum=90),
        Column(
            "a8_english", Kind.FLOAT, "English element (double weighted)", minimum=0, maximum=18
        ),
        Column("a8_maths", Kind.FLOAT, "Maths element (double weighted)", minimum=0, maximum=18),
        Column("a8_ebacc", Kind.FLOAT, "EBacc element (three slots)", minimum=0, maximum=27),
        Column("a8_open", Kind.FLOAT, "Open element (three slots)", minimum=0, maximum=27),
        Column("eng_maths_4plus", Kind.FLAG, "Grade 4 or above in English and maths"),
        Column("eng_maths_5plus", Kind.FLAG, "Grade 5 or above in English and maths"),
        optional(
            "ebacc_entered",
            Kind.FLAG,
            "Entered for the EBacc",
            optional_column=True,
        ),
    ),
    key=("pupil_id", "academic_year"),
    foreign_keys=(PUPIL_FK, ACADEMY_FK),
    checks=_ks4_checks,
    partition_by=("academic_year", "urn"),
    file_by=("academic_year",),
    year_column="academic_year",
    rules_text=(
        "attainment8 equals the sum of its four elements (to 0.05)",
        "eng_maths_5plus = Y implies eng_maths_4plus = Y",
    ),
)

ASSESSMENT_WINDOWS = DatasetSpec(
    name="assessment_windows",
    title="Assessment windows",
    description="The trust's assessment calendar. The windows of each academic year in the file "
    "replace the ones held for that year. Only trust-wide importers can change it.",
    columns=(
        YEAR,
        TERM,
        Column("opens", Kind.DATE, "First day results may be entered"),
        Column("closes", Kind.DATE, "Deadline for results"),
    ),
    key=("academic_year", "term"),
    checks=_window_checks,
    store_mode=StoreMode.SNAPSHOT,
    urn_column=None,
    trust_level=True,
    records=True,
)

ASSESSMENT_RESULTS = DatasetSpec(
    name="assessment_results",
    title="Assessment results",
    description="In-year assessment results, one row per pupil, subject and window. Re-importing an "
    "academy's window (academy, academic_year, term) replaces it. In the store, value is a number "
    "(null for bands) and band holds WTS/EXS/GDS/PKF/BLW (null otherwise).",
    columns=(
        PUPIL_ID,
        URN,
        YEAR,
        TERM,
        Column("subject", Kind.TEXT, "Subject, e.g. Reading, Maths, English", max_length=50),
        Column("year_group", Kind.INT, "Year group when assessed", minimum=0, maximum=13),
        Column(
            "scale",
            Kind.CHOICE,
            "scaled (standardised score), gcse (grade 0-9 with decimals; U = 0), band, percent",
            choices=SCALES,
        ),
        Column("value", Kind.TEXT, "The result: a number, or a band for scale band", max_length=20),
    ),
    key=("pupil_id", "urn", "academic_year", "term", "subject"),
    foreign_keys=(
        PUPIL_FK,
        ACADEMY_FK,
        ForeignKey(
            ("academic_year", "term"),
            "assessment_windows",
            ("academic_year", "term"),
            "no assessment window for this academic_year and term (add it to assessment_windows.csv)",
        ),
    ),
    checks=_result_checks,
    derived=_result_derived,
    partition_by=("academic_year", "urn", "term"),
    file_by=("academic_year", "urn"),
    year_column="academic_year",
    store_schema_extra={"value": pl.Float64(), "band": pl.String()},
    rules_text=tuple(f"scale {k}: value {lo:g} to {hi:g}" for k, (lo, hi) in SCALE_RANGES.items())
    + (f"scale band: value one of {', '.join(BANDS)}",),
)

ATTENDANCE = DatasetSpec(
    name="attendance",
    title="Attendance",
    description="Sessions per pupil per term (DfE: possible sessions = attended + authorised + unauthorised absence).",
    columns=(
        PUPIL_ID,
        URN,
        YEAR,
        TERM,
        Column(
            "possible_sessions", Kind.INT, "Possible sessions (two a day)", minimum=0, maximum=400
        ),
        Column(
            "attended_sessions",
            Kind.INT,
            "Sessions attended (including approved educational activity)",
            minimum=0,
            maximum=400,
        ),
        Column(
            "authorised_absence", Kind.INT, "Authorised absence sessions", minimum=0, maximum=400
        ),
        Column(
            "unauthorised_absence",
            Kind.INT,
            "Unauthorised absence sessions",
            minimum=0,
            maximum=400,
        ),
    ),
    key=("pupil_id", "urn", "academic_year", "term"),
    foreign_keys=(PUPIL_FK, ACADEMY_FK),
    checks=_attendance_checks,
    partition_by=("academic_year", "urn", "term"),
    file_by=("academic_year",),
    year_column="academic_year",
    rules_text=(
        "attended_sessions <= possible_sessions",
        "authorised + unauthorised absence <= possible_sessions",
        "attended + authorised + unauthorised <= possible_sessions",
    ),
)

SUSPENSIONS = DatasetSpec(
    name="suspensions",
    title="Suspensions and permanent exclusions",
    description="One row per suspension or permanent exclusion. The academic year is worked out from "
    "start_date; re-importing an academy's year replaces it.",
    columns=(
        PUPIL_ID,
        URN,
        Column("start_date", Kind.DATE, "First day of the suspension or exclusion"),
        optional(
            "days",
            Kind.FLOAT,
            "Length in school days (half days allowed); blank for a permanent exclusion",
            minimum=0.5,
            maximum=45,
        ),
        Column(
            "kind",
            Kind.CHOICE,
            "suspension or permanent_exclusion",
            choices=("suspension", "permanent_exclusion"),
        ),
        optional(
            "reason",
            Kind.TEXT,
            "Reason (DfE exclusion reason code or words)",
            max_length=100,
        ),
    ),
    key=("pupil_id", "urn", "start_date", "kind"),
    foreign_keys=(PUPIL_FK, ACADEMY_FK),
    checks=_suspension_checks,
    derived=lambda: {"academic_year": academic_year_of(C("start_date"))},
    partition_by=("academic_year", "urn"),
    file_by=("academic_year",),
    year_column="academic_year",
    store_schema_extra={"academic_year": pl.String()},
)

STAFF = DatasetSpec(
    name="staff",
    title="Staff",
    description="Staff contracts by academy (no names): FTE and days of absence. With academic_year "
    "the academy's year is replaced; without it, all the academy's staff rows are.",
    columns=(
        Column("staff_id", Kind.TEXT, "The trust's staff id", max_length=40),
        URN,
        Column(
            "role",
            Kind.TEXT,
            "Role, e.g. teacher, teaching assistant, support, leadership",
            max_length=50,
        ),
        Column("fte", Kind.FLOAT, "Full-time equivalent", minimum=0, maximum=1),
        Column(
            "absence_days", Kind.FLOAT, "Days of sickness or other absence", minimum=0, maximum=366
        ),
        optional(
            "academic_year",
            Kind.ACADEMIC_YEAR,
            "Academic year (optional column)",
            optional_column=True,
        ),
    ),
    key=("staff_id", "urn", "role", "academic_year"),
    foreign_keys=(ACADEMY_FK,),
    partition_by=("academic_year", "urn"),
    file_by=("academic_year",),
    year_column="academic_year",
)

COVER = DatasetSpec(
    name="cover",
    title="Cover",
    description="Lessons taught by cover or temporary staff, per academy and term.",
    columns=(
        URN,
        YEAR,
        TERM,
        Column("lessons_total", Kind.INT, "Lessons timetabled", minimum=0),
        Column("lessons_covered", Kind.INT, "Lessons covered", minimum=0),
    ),
    key=("urn", "academic_year", "term"),
    foreign_keys=(ACADEMY_FK,),
    checks=lambda: [
        Check(
            "lessons_covered",
            "more than lessons_total",
            lambda: C("lessons_covered") > C("lessons_total"),
            lambda: _pair("lessons_covered", "lessons_total"),
        )
    ],
    partition_by=("academic_year", "urn", "term"),
    file_by=("academic_year",),
    year_column="academic_year",
)

ADMISSIONS = DatasetSpec(
    name="admissions",
    title="Admissions",
    description="Applications for each entry year: published admission number and preferences.",
    columns=(
        URN,
        Column(
            "entry_year",
            Kind.ACADEMIC_YEAR,
            'Academic year of entry, e.g. "2025/26" (a plain 2025 is read as 2025/26)',
        ),
        Column("pan", Kind.INT, "Published admission number", minimum=0),
        Column("first_preferences", Kind.INT, "First-preference applications", minimum=0),
        Column(
            "total_preferences",
            Kind.INT,
            "Applications naming the academy at any preference",
            minimum=0,
        ),
    ),
    key=("urn", "entry_year"),
    foreign_keys=(ACADEMY_FK,),
    checks=lambda: [
        Check(
            "first_preferences",
            "more than total_preferences",
            lambda: C("first_preferences") > C("total_preferences"),
            lambda: _pair("first_preferences", "total_preferences"),
        )
    ],
    partition_by=("entry_year", "urn"),
    file_by=("entry_year",),
    year_column="entry_year",
)

FINANCE = DatasetSpec(
    name="finance",
    title="Finance",
    description="Budget against actual by line, per academy and period (a whole academic year "
    '"2024/25" or a month "2024-09"). Negative amounts are allowed (income lines, adjustments).',
    columns=(
        URN,
        Column("period", Kind.PERIOD, 'Academic year ("2024/25") or month ("2024-09")'),
        Column("line", Kind.TEXT, "Budget line, e.g. Teaching staff, GAG income", max_length=100),
        Column("budget", Kind.FLOAT, "Budget (GBP)"),
        optional("actual", Kind.FLOAT, "Actual (GBP); blank if not yet known"),
    ),
    key=("urn", "period", "line"),
    foreign_keys=(ACADEMY_FK,),
    derived=lambda: {"academic_year": _period_year()},
    partition_by=("academic_year", "urn", "period"),
    file_by=("academic_year",),
    year_column="academic_year",
    store_schema_extra={"academic_year": pl.String()},
)

SAFEGUARDING = DatasetSpec(
    name="safeguarding",
    title="Safeguarding",
    description="Monthly counts only, never pupil detail.",
    columns=(
        URN,
        Column("month", Kind.MONTH, 'Month, e.g. "2024-09"'),
        Column("referrals", Kind.INT, "Referrals to children's social care", minimum=0),
        Column("cp_plans", Kind.INT, "Pupils with a child protection plan", minimum=0),
    ),
    key=("urn", "month"),
    foreign_keys=(ACADEMY_FK,),
    derived=lambda: {"academic_year": academic_year_of_month(C("month"))},
    partition_by=("academic_year", "urn", "month"),
    file_by=("academic_year",),
    year_column="academic_year",
    store_schema_extra={"academic_year": pl.String()},
)

#: Core datasets in dependency (import) order.
CORE_DATASETS: tuple[tuple[DatasetSpec, int], ...] = (
    (ACADEMIES, 10),
    (PUPILS, 20),
    (ASSESSMENT_WINDOWS, 25),
    (ENROLMENTS, 30),
    (CLASSES, 40),
    (CLASS_MEMBERS, 50),
    (PRIOR_ATTAINMENT, 60),
    (KS2, 100),
    (KS4, 100),
    (ASSESSMENT_RESULTS, 100),
    (ATTENDANCE, 100),
    (SUSPENSIONS, 100),
    (STAFF, 100),
    (COVER, 100),
    (ADMISSIONS, 100),
    (FINANCE, 100),
    (SAFEGUARDING, 100),
)

#: Columns read leniently before checking (a plain start year 2025 -> "2025/26").
START_YEAR_COLUMNS = {("admissions", "entry_year")}

#: The practice survey's ten areas (the same codes as ``trustlens.analytics.practice.AREAS``;
#: ingest and analytics are siblings, so the codes are restated here and a test keeps them equal).
PRACTICE_AREAS = (
    "tl_vision",
    "learning_needs",
    "behaviour",
    "improvement_support",
    "consistency",
    "quality_assurance",
    "leadership",
    "staff_development",
    "pedagogy",
    "variation",
)

PRACTICE_PROFILE = DatasetSpec(
    name="practice_profile",
    title="Practice profile",
    description="Each academy's mean score (1-5) on the ten practice areas in a year, with how "
    "many staff responded, from another survey tool. Registered by the practice app; a "
    "re-import replaces the academy's year. Scores from fewer than 5 respondents are kept but "
    "never shown or analysed.",
    columns=(
        YEAR,
        URN,
        Column("area", Kind.CHOICE, "Practice area code", choices=PRACTICE_AREAS),
        Column("score", Kind.FLOAT, "Mean score on the 1-5 scale", minimum=1, maximum=5),
        Column("respondents", Kind.INT, "Staff who responded", minimum=0, maximum=100000),
    ),
    key=("academic_year", "urn", "area"),
    foreign_keys=(ACADEMY_FK,),
    partition_by=("academic_year", "urn"),
    file_by=("academic_year",),
    year_column="academic_year",
)

#: Expertise levels of ``staff_expertise.csv`` (the people app's levels), weakest first.
EXPERTISE_LEVELS = ("developing", "secure", "expert", "accredited")
EXPERTISE_AREAS = (
    "subject", "phase", "send", "leadership", "curriculum", "pastoral", "data", "other",
)  # fmt: skip

STAFF_EXPERTISE = DatasetSpec(
    name="staff_expertise",
    title="Staff expertise",
    description="The expertise register: one row per person and area of expertise, with their "
    "days available per term for work beyond their academy and their consent to be deployed. "
    "Rows add to or update the register (by staff_id, area and topic); nothing is removed. "
    "Registered by the people app.",
    columns=(
        Column("staff_id", Kind.TEXT, "The trust's staff id (as in staff.csv)", max_length=40),
        URN,
        Column("name", Kind.TEXT, "Name as shown on the directory", max_length=120),
        optional("job_title", Kind.TEXT, "Job title", optional_column=True, max_length=120),
        optional("leader", Kind.FLAG, "A senior or middle leader", optional_column=True),
        Column(
            "days_available",
            Kind.FLOAT,
            "Days per term for work beyond their academy",
            minimum=0,
            maximum=65,
        ),  # fmt: skip
        Column("consent_to_deploy", Kind.FLAG, "Agrees to be deployed to another academy"),
        Column("area", Kind.CHOICE, "Area of expertise", choices=EXPERTISE_AREAS),
        Column("topic", Kind.TEXT, 'Exactly what, e.g. "maths", "early reading"', max_length=80),
        Column("level", Kind.CHOICE, "Level, weakest first", choices=EXPERTISE_LEVELS),
        optional(
            "accreditation", Kind.TEXT, "e.g. SLE, NPQLT", optional_column=True, max_length=80
        ),
        optional(
            "evidence", Kind.TEXT, "QA findings, outcomes, qualifications", optional_column=True
        ),
    ),
    key=("staff_id", "area", "topic"),
    foreign_keys=(ACADEMY_FK,),
    store_mode=StoreMode.NONE,
    records=True,
)

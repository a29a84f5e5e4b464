"""Referential integrity and keys: every pupil_id, URN, class_id and window a file names exists."""

from __future__ import annotations

import polars as pl
import pytest

PUPIL_FILES = (
    "enrolments",
    "class_members",
    "prior_attainment",
    "ks2",
    "ks4",
    "assessment_results",
    "attendance",
    "suspensions",
    "intervention_pupils",
)
URN_FILES = (
    "enrolments",
    "classes",
    "ks2",
    "ks4",
    "assessment_results",
    "attendance",
    "suspensions",
    "staff",
    "cover",
    "admissions",
    "finance",
    "safeguarding",
    "interventions",
)
#: Each dataset's key (trustlens data standard): no two rows share one.
KEYS = {
    "academies": ("urn",),
    "pupils": ("pupil_id",),
    "enrolments": ("pupil_id", "urn", "start_date"),
    "classes": ("class_id",),
    "class_members": ("class_id", "pupil_id"),
    "prior_attainment": ("pupil_id",),
    "ks2": ("pupil_id", "academic_year"),
    "ks4": ("pupil_id", "academic_year"),
    "assessment_windows": ("academic_year", "term"),
    "assessment_results": ("pupil_id", "urn", "academic_year", "term", "subject"),
    "attendance": ("pupil_id", "urn", "academic_year", "term"),
    "suspensions": ("pupil_id", "urn", "start_date", "kind"),
    "staff": ("staff_id", "urn", "role", "academic_year"),
    "cover": ("urn", "academic_year", "term"),
    "admissions": ("urn", "entry_year"),
    "finance": ("urn", "period", "line"),
    "safeguarding": ("urn", "month"),
    "interventions": ("intervention_id",),
    "intervention_pupils": ("intervention_id", "pupil_id"),
}
UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def _missing(frame: pl.DataFrame, column: str, known: pl.Series) -> int:
    """How many distinct values of ``column`` are not in ``known``."""
    values = frame.select(pl.col(column).drop_nulls().unique())
    return values.join(known.to_frame(column), on=column, how="anti").height


@pytest.mark.parametrize("name", PUPIL_FILES)
def test_every_pupil_id_is_a_pupil(trust, name):
    assert not _missing(trust.read(name), "pupil_id", trust.read("pupils")["pupil_id"])


@pytest.mark.parametrize("name", URN_FILES)
def test_every_urn_is_an_academy(trust, name):
    assert not _missing(trust.read(name), "urn", trust.read("academies")["urn"])


def test_class_and_intervention_ids_exist(trust):
    assert not _missing(trust.read("class_members"), "class_id", trust.read("classes")["class_id"])
    ids = trust.read("interventions")["intervention_id"]
    assert not _missing(trust.read("intervention_pupils"), "intervention_id", ids)


def test_results_sit_in_windows_of_the_calendar(trust):
    windows = trust.read("assessment_windows").select("academic_year", "term")
    used = trust.read("assessment_results").select("academic_year", "term").unique()
    assert used.join(windows, on=["academic_year", "term"], how="anti").height == 0


@pytest.mark.parametrize("name", KEYS)
def test_keys_are_unique(trust, name):
    frame = trust.read(name)
    assert frame.select(KEYS[name]).is_duplicated().sum() == 0


def test_results_and_attendance_belong_to_an_enrolment(trust):
    enrolled = trust.read("enrolments").select("pupil_id", "urn").unique()
    for name in ("assessment_results", "attendance", "ks2", "ks4", "suspensions"):
        rows = trust.read(name).select("pupil_id", "urn").unique()
        assert rows.join(enrolled, on=["pupil_id", "urn"], how="anti").height == 0, name


def test_upns_have_the_dfe_format_and_check_letter(trust):
    upns = trust.read("pupils")["upn"]
    assert upns.str.contains(r"^[A-Z]\d{12}$").all() and upns.n_unique() == len(upns)
    for upn in upns.head(500):
        total = sum(int(d) * w for d, w in zip(upn[1:], range(2, 14), strict=True))
        assert upn[0] == UPN_LETTERS[total % 23]


def test_enrolment_dates_and_reasons_agree(trust):
    enrolments = trust.read("enrolments")
    closed = enrolments.filter(pl.col("end_date").is_not_null())
    assert (closed["end_date"] >= closed["start_date"]).all()
    assert closed["leaving_reason"].null_count() == 0
    open_ = enrolments.filter(pl.col("end_date").is_null())
    assert open_["leaving_reason"].null_count() == open_.height
    today = trust.json["today"]
    for name, column in (("enrolments", "start_date"), ("suspensions", "start_date")):
        assert (trust.read(name)[column].cast(pl.String) <= today).all()


def test_permanent_exclusions_end_an_enrolment(trust):
    excluded = trust.read("suspensions").filter(pl.col("kind") == "permanent_exclusion")
    ended = trust.read("enrolments").filter(pl.col("leaving_reason") == "permanent_exclusion")
    pairs = excluded.select("pupil_id", "urn", date=pl.col("start_date"))
    ends = ended.select("pupil_id", "urn", date=pl.col("end_date"))
    assert pairs.sort(pl.all()).equals(ends.sort(pl.all()))


def test_class_members_are_on_roll_in_that_academy(trust):
    classes = trust.read("classes").select("class_id", "urn")
    members = trust.read("class_members").join(classes, on="class_id")
    on_roll = (
        trust.read("enrolments").filter(pl.col("end_date").is_null()).select("pupil_id", "urn")
    )
    assert members.join(on_roll, on=["pupil_id", "urn"], how="anti").height == 0
    assert (trust.read("classes")["academic_year"] == trust.json["current_academic_year"]).all()


def test_every_class_has_a_teachers_name(trust):
    """classes.csv names each class's teacher (issue 12: classes showed "Teacher –")."""
    teachers = trust.read("classes")["teacher"]
    assert teachers.null_count() == 0 and teachers.n_unique() > 1
    assert teachers.str.contains(r"^(Ms|Mr|Mrs|Miss|Dr) [A-Z] [A-Z]").all()

"""docs/data-standard.md says what the validator does: its reference is the specs, rendered."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustlens.ingest import registry
from trustlens.ingest.docs import generated_section, render_reference
from trustlens.ingest.schema import Kind

DOC = Path(__file__).resolve().parents[2] / "docs" / "data-standard.md"

#: The issue's minimum columns ("keep these names"), dataset by dataset.
MINIMUM = {
    "academies": "urn laestab name phase region cluster joined_trust ofsted_grade ofsted_date",
    "pupils": "pupil_id upn surname forename date_of_birth sex disadvantaged sen sen_primary_need eal looked_after",
    "enrolments": "pupil_id urn year_group start_date end_date leaving_reason",
    "ks2": "pupil_id urn academic_year reading_scaled maths_scaled gps_scaled writing_ta ks1_aps",
    "ks4": "pupil_id urn academic_year ks2_reading_scaled ks2_maths_scaled attainment8 a8_english a8_maths "
    "a8_ebacc a8_open eng_maths_4plus eng_maths_5plus",
    "assessment_windows": "academic_year term opens closes",
    "assessment_results": "pupil_id urn academic_year term subject year_group scale value",
    "attendance": "pupil_id urn academic_year term possible_sessions attended_sessions authorised_absence "
    "unauthorised_absence",
    "suspensions": "pupil_id urn start_date days kind reason",
    "staff": "staff_id urn role fte absence_days",
    "cover": "urn academic_year term lessons_total lessons_covered",
    "admissions": "urn entry_year pan first_preferences total_preferences",
    "finance": "urn period line budget actual",
    "safeguarding": "urn month referrals cp_plans",
}

#: Allowed values the issue fixes.
CHOICES = {
    ("academies", "phase"): {"primary", "secondary", "all-through", "special", "alternative"},
    ("pupils", "sex"): {"F", "M"},
    ("pupils", "sen"): {"N", "K", "E"},
    ("assessment_windows", "term"): {"autumn", "spring", "summer"},
    ("assessment_results", "scale"): {"scaled", "gcse", "band", "percent"},
    ("suspensions", "kind"): {"suspension", "permanent_exclusion"},
}


def test_the_doc_reference_is_the_specs_rendered():
    """Regenerate with ``python -m trustlens.ingest.docs docs/data-standard.md``."""
    assert generated_section(DOC.read_text(encoding="utf-8")) == render_reference().strip("\n")


@pytest.mark.parametrize("dataset", sorted(MINIMUM))
def test_every_minimum_column_of_the_issue_is_in_the_standard_and_required_in_the_header(dataset):
    spec = registry.spec(dataset)
    document = DOC.read_text(encoding="utf-8")
    assert f"### `{dataset}.csv`" in document
    for name in MINIMUM[dataset].split():
        column = spec.column(name)  # KeyError if renamed or dropped
        assert not column.optional_column, f"{dataset}.{name} must be a header column"
        assert f"| `{name}` |" in document


def test_formats_the_issue_fixes():
    for (dataset, name), allowed in CHOICES.items():
        assert set(registry.spec(dataset).column(name).choices) == allowed
    assert registry.spec("ks2").column("writing_ta").choices[:3] == ("WTS", "EXS", "GDS")
    assert registry.spec("pupils").column("disadvantaged").kind is Kind.FLAG
    assert registry.spec("ks4").column("academic_year").kind is Kind.ACADEMIC_YEAR
    assert registry.spec("enrolments").column("start_date").kind is Kind.DATE
    document = DOC.read_text(encoding="utf-8")
    assert (
        'academic year "2023/24"' in document
        and "date YYYY-MM-DD" in document
        and "flag Y/N" in document
    )


def test_personal_columns_never_reach_the_store():
    schema = registry.spec("pupils").store_schema()
    assert not {"upn", "surname", "forename", "date_of_birth"} & set(schema)
    assert "pupil_id" in schema

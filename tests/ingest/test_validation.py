"""Every rule of the data standard names file, row, column, value and reason (no database)."""

from __future__ import annotations

import json

import pytest

from tests.ingest import builders as b
from trustlens.ingest.pipeline import validate_tables
from trustlens.ingest.readers import read_bytes
from trustlens.ingest.report import MAX_ISSUES, Report
from trustlens.ingest.validate import KeyContext


def check(
    datasets: dict[str, list[dict]],
    context: KeyContext | None = None,
    texts: dict[str, str] | None = None,
):
    tables = []
    for name, rows in datasets.items():
        tables += read_bytes(b.csv_text(rows).encode(), f"{name}.csv")
    for name, text in (texts or {}).items():
        tables += read_bytes(text.encode(), name)
    return validate_tables(tables, context or KeyContext())


def errors_of(plan) -> list[tuple]:
    return [(i.file, i.row, i.column, i.value, i.reason) for i in plan.report.issues]


def test_a_valid_folder_has_no_errors_and_types_its_columns():
    plan = check(b.small_trust())
    assert plan.report.ok, errors_of(plan)
    results = plan.table("assessment_results").frame
    assert results.schema["urn"].is_integer() and str(results.schema["value"]) == "Float64"
    assert results.filter(results["scale"] == "band")["value"].null_count() == 6
    assert set(results["band"].drop_nulls()) == {"WTS", "EXS", "GDS"}
    pupils = plan.table("pupils").frame
    assert pupils["disadvantaged"].dtype.__class__.__name__ == "Boolean"
    assert str(pupils.schema["date_of_birth"]) == "Date"


@pytest.mark.parametrize(
    ("dataset", "column", "value", "reason"),
    [
        ("pupils", "date_of_birth", "2012-02-30", "no such day"),
        ("pupils", "date_of_birth", "15/03/2012", "YYYY-MM-DD"),
        ("pupils", "sex", "X", "not an allowed value (F, M)"),
        ("pupils", "disadvantaged", "yes", "not Y or N"),
        ("pupils", "sen", "S", "not an allowed value (N, K, E)"),
        ("pupils", "upn", "12345", "not a UPN"),
        ("pupils", "surname", "", "missing value"),
        ("academies", "phase", "nursery", "not an allowed value"),
        ("academies", "urn", "12", "out of range"),
        ("academies", "urn", "14100x", "not a whole number"),
        ("academies", "ofsted_grade", "5", "not an allowed value"),
        ("assessment_windows", "academic_year", "2024/26", 'like "2023/24"'),
        ("assessment_windows", "academic_year", "2024-25", 'like "2023/24"'),
        ("assessment_windows", "term", "winter", "not an allowed value (autumn, spring, summer)"),
        ("assessment_results", "year_group", "15", "out of range (0 to 13)"),
        ("assessment_results", "scale", "stars", "not an allowed value"),
        ("attendance", "possible_sessions", "-1", "out of range"),
    ],
)
def test_cell_rules(dataset, column, value, reason):
    data = b.small_trust()
    data[dataset][1][column] = value
    plan = check(data)
    found = [e for e in errors_of(plan) if e[0] == f"{dataset}.csv" and e[2] == column]
    assert found, errors_of(plan)
    file, row, _, shown, why = found[0]
    assert row == 3 and reason in why  # header is row 1: the second data row is row 3
    assert shown == (value or None)
    assert not plan.report.ok


def test_case_and_spaces_are_forgiven_for_choices_and_flags():
    data = b.small_trust()
    data["pupils"][0].update(sex=" f ", disadvantaged="y", sen="k", sen_primary_need="spld")
    data["academies"][0]["phase"] = "Secondary"
    plan = check(data)
    assert plan.report.ok, errors_of(plan)
    row = plan.table("pupils").frame.row(0, named=True)
    assert (row["sex"], row["disadvantaged"], row["sen"], row["sen_primary_need"]) == (
        "F",
        True,
        "K",
        "SPLD",
    )


@pytest.mark.parametrize(
    ("scale", "value", "reason"),
    [
        ("gcse", "9.5", "out of range for scale gcse (0 to 9)"),
        ("gcse", "A*", "not a number"),
        ("scaled", "150", "out of range for scale scaled (70 to 141)"),
        ("percent", "101", "out of range for scale percent"),
        ("band", "MEETS", "not a band"),
        ("percent", "nan", "not a number"),
    ],
)
def test_result_values_follow_their_scale(scale, value, reason):
    data = b.small_trust()
    data["assessment_results"][0].update(scale=scale, value=value)
    plan = check(data)
    assert [e for e in errors_of(plan) if e[2] == "value" and reason in e[4] and e[3] == value], (
        errors_of(plan)
    )


def test_gcse_u_is_zero_and_bands_are_case_insensitive():
    data = b.small_trust()
    data["assessment_results"][0].update(scale="gcse", value="U")
    data["assessment_results"][1].update(scale="band", value="exs")
    plan = check(data)
    assert plan.report.ok, errors_of(plan)
    frame = plan.table("assessment_results").frame
    assert frame["value"][0] == 0.0 and frame["band"][1] == "EXS"


def test_impossible_attendance_is_an_error():
    data = b.small_trust()
    data["attendance"][0].update(
        possible_sessions=100, attended_sessions=120, authorised_absence=0, unauthorised_absence=0
    )
    data["attendance"][1].update(
        possible_sessions=100, attended_sessions=90, authorised_absence=8, unauthorised_absence=8
    )
    plan = check(data)
    reasons = {(e[1], e[4]) for e in errors_of(plan)}
    assert (2, "more sessions attended than possible") in reasons
    assert (3, "attended plus absent is more than possible") in reasons


def test_cross_column_rules_show_every_value_involved():
    data = b.small_trust()
    data["assessment_windows"][0].update(opens="2024-12-20", closes="2024-12-01")
    data["enrolments"][0].update(end_date="2020-01-01")
    data["enrolments"][1].update(leaving_reason="emigrated")
    plan = check(data)
    errors = errors_of(plan)
    assert (
        "assessment_windows.csv",
        2,
        "closes",
        "opens=2024-12-20, closes=2024-12-01",
        "before opens",
    ) in errors
    assert (
        "enrolments.csv",
        2,
        "end_date",
        "start_date=2022-09-01, end_date=2020-01-01",
        "before start_date",
    ) in errors
    assert any(e[1] == 3 and "needs an end_date" in e[4] for e in errors)


def test_ks4_elements_must_add_up():
    pupils = b.pupils("A")
    row = {
        "pupil_id": "A00001",
        "urn": b.URN_A,
        "academic_year": "2023/24",
        "ks2_reading_scaled": 104,
        "ks2_maths_scaled": 101,
        "attainment8": 50,
        "a8_english": 10,
        "a8_maths": 10,
        "a8_ebacc": 15,
        "a8_open": 14,
        "eng_maths_4plus": "N",
        "eng_maths_5plus": "Y",
        "ebacc_entered": "Y",
    }
    plan = check({"academies": b.academies(), "pupils": pupils, "ks4": [row]})
    reasons = [e[4] for e in errors_of(plan)]
    assert "not the sum of a8_english, a8_maths, a8_ebacc and a8_open" in reasons
    assert "grade 5+ in English and maths implies grade 4+" in reasons


def test_duplicates_name_the_row_they_repeat():
    data = b.small_trust()
    data["pupils"].append(dict(data["pupils"][0]))
    data["assessment_results"].append(dict(data["assessment_results"][2]))
    plan = check(data)
    errors = errors_of(plan)
    assert (
        "pupils.csv",
        8,
        "pupil_id",
        "A00001",
        "the same pupil_id as an earlier row (row 2)",
    ) in errors
    dup = [e for e in errors if e[0] == "assessment_results.csv"]
    assert dup and dup[0][1] == 14 and dup[0][4].endswith("as an earlier row (row 4)")
    assert any("the same UPN" in e[4] for e in errors)


def test_keys_must_exist_in_the_import_or_the_records():
    data = b.small_trust()
    data["assessment_results"][0]["pupil_id"] = "NOBODY"
    data["assessment_results"][1]["urn"] = 149999
    data["attendance"][0]["term"] = "summer"  # no summer window needed for attendance
    results = b.results(b.pupils("A", 1), b.URN_A, year="2023/24")
    data["assessment_results"] += results  # 2023/24 has no windows
    plan = check(data)
    reasons = {(e[2], e[4].split(" (")[0]) for e in errors_of(plan)}
    assert ("pupil_id", "no pupil with this pupil_id in the trust") in reasons
    assert ("urn", "no academy with this URN in the trust") in reasons
    assert ("academic_year", "no assessment window for this academic_year and term") in reasons


def test_keys_held_in_the_records_count():
    context = KeyContext()
    context.add("academies", ("urn",), [b.URN_A])
    context.add("pupils", ("pupil_id",), ["A00001"])
    context.add("assessment_windows", ("academic_year", "term"), [("2024/25", "autumn")])
    plan = check({"assessment_results": b.results(b.pupils("A", 1), b.URN_A)}, context)
    assert plan.report.ok, errors_of(plan)


def test_scoped_importer_cannot_write_another_academy():
    context = KeyContext(
        allowed_urns=frozenset({b.URN_A}),
        trust_wide=False,
        existing_pupils=frozenset({"B00001"}),
        pupils_in_scope=frozenset(),
    )
    context.add("academies", ("urn",), [b.URN_A, b.URN_B])
    context.add("pupils", ("pupil_id",), ["A00001", "B00001"])
    context.add("assessment_windows", ("academic_year", "term"), [("2024/25", "autumn")])
    results = b.results(b.pupils("A", 1), b.URN_A) + b.results(b.pupils("B", 1), b.URN_B)
    plan = check(
        {
            "assessment_results": results,
            "pupils": b.pupils("B", 1),
            "assessment_windows": b.windows(),
        },
        context,
    )
    errors = errors_of(plan)
    outside = [e for e in errors if e[4].startswith("academy outside your scope")]
    assert [e[3] for e in outside] == [str(b.URN_B), str(b.URN_B)]
    assert any(e[0] == "pupils.csv" and "outside your scope" in e[4] for e in errors)
    assert any(e[0] == "assessment_windows.csv" and "trust-wide" in e[4] for e in errors)


def test_another_trusts_urn_cannot_be_claimed():
    plan = check({"academies": b.academies()}, KeyContext(other_trust_urns=frozenset({b.URN_B})))
    assert [(e[1], e[4]) for e in errors_of(plan)] == [
        (3, "this URN belongs to an academy of another trust")
    ]


def test_header_problems_are_reported_once_per_column():
    text = "pupil_id,urn,urn,academic_year,term,subject,year_group,value,notes\nA1,141001,141001,2024/25,autumn,Maths,9,4\n"
    plan = check({}, texts={"assessment_results.csv": text})
    errors = errors_of(plan)
    assert ("assessment_results.csv", 1, "urn", None, "the header has this column twice") in errors
    assert (
        "assessment_results.csv",
        1,
        "scale",
        None,
        "missing column: the header row must name it",
    ) in errors
    assert any("notes" in w for w in plan.report.warnings)


def test_optional_columns_may_be_left_out():
    data = b.small_trust()
    for row in data["pupils"]:
        row.pop("ethnicity")
    for row in data["academies"]:
        row.pop("academy_type")
    plan = check(data)
    assert plan.report.ok, errors_of(plan)
    assert "ethnicity" not in plan.table("pupils").frame.columns


def test_a_csv_named_after_no_dataset_is_refused_other_files_skipped():
    plan = check(
        b.small_trust(), texts={"interventions_notes.csv": "a,b\n1,2\n", "readme.txt": "hello"}
    )
    skipped = {f.file: f.skipped_reason for f in plan.report.files if f.skipped_reason}
    assert set(skipped) == {"readme.txt"}
    [issue] = plan.report.issues
    assert issue.file == "interventions_notes.csv" and "matches no dataset" in issue.reason


def test_files_are_validated_in_dependency_order_whatever_their_order():
    data = b.small_trust()
    reordered = dict(reversed(list(data.items())))
    plan = check(reordered)
    assert plan.report.ok
    assert plan.datasets[:4] == ["academies", "pupils", "assessment_windows", "enrolments"]


def test_report_is_capped_but_counts_everything_and_serialises():
    rows = [
        {
            "pupil_id": f"P{i}",
            "urn": "bad",
            "academic_year": "2024/25",
            "term": "autumn",
            "subject": "Maths",
            "year_group": 9,
            "scale": "gcse",
            "value": "4",
        }
        for i in range(1500)
    ]
    plan = check({"assessment_results": rows})
    report = plan.report
    assert len(report.issues) == MAX_ISSUES and report.total_errors > 3000 and report.truncated
    data = json.loads(report.to_json())
    assert data["total_errors"] == report.total_errors and data["errors"][0].keys() >= {
        "file",
        "row",
        "column",
        "value",
        "reason",
    }
    assert Report.from_dict(data).total_errors == report.total_errors


def test_start_year_is_accepted_for_entry_year():
    rows = [
        {
            "urn": b.URN_A,
            "entry_year": "2025",
            "pan": 180,
            "first_preferences": 150,
            "total_preferences": 420,
        }
    ]
    plan = check({"academies": b.academies(), "admissions": rows})
    assert plan.report.ok, errors_of(plan)
    assert plan.table("admissions").frame["entry_year"][0] == "2025/26"


def test_derived_years_for_suspensions_finance_and_safeguarding():
    academies = b.academies()
    suspension = [
        {
            "pupil_id": "A00001",
            "urn": b.URN_A,
            "start_date": "2024-02-05",
            "days": 2,
            "kind": "suspension",
            "reason": "PA",
        }
    ]
    finance = [
        {
            "urn": b.URN_A,
            "period": "2024-09",
            "line": "Teaching staff",
            "budget": 100000,
            "actual": 98000,
        },
        {
            "urn": b.URN_A,
            "period": "2024/25",
            "line": "GAG income",
            "budget": -1200000,
            "actual": "",
        },
    ]
    safeguarding = [{"urn": b.URN_A, "month": "2025-01", "referrals": 2, "cp_plans": 1}]
    plan = check(
        {
            "academies": academies,
            "pupils": b.pupils("A"),
            "suspensions": suspension,
            "finance": finance,
            "safeguarding": safeguarding,
        }
    )
    assert plan.report.ok, errors_of(plan)
    assert plan.table("suspensions").frame["academic_year"][0] == "2023/24"
    assert plan.table("finance").frame["academic_year"].to_list() == ["2024/25", "2024/25"]
    assert plan.table("safeguarding").frame["academic_year"][0] == "2024/25"

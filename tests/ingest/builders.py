"""Small, valid data-standard folders for tests (and ways to spoil them).

``small_trust()`` returns {dataset: [row dict, ...]} for two academies with three pupils each;
``write_folder`` writes it as CSV files. Tests change a row or a cell to plant one error.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

URN_A, URN_B = 141001, 142002

ACADEMY_COLUMNS = [
    "urn",
    "laestab",
    "name",
    "phase",
    "academy_type",
    "region",
    "cluster",
    "joined_trust",
    "ofsted_grade",
    "ofsted_date",
]
PUPIL_COLUMNS = [
    "pupil_id",
    "upn",
    "surname",
    "forename",
    "date_of_birth",
    "sex",
    "disadvantaged",
    "sen",
    "sen_primary_need",
    "eal",
    "looked_after",
    "ethnicity",
]


def academies(urns: tuple[int, ...] = (URN_A, URN_B)) -> list[dict]:
    names = {URN_A: "Alderbrook Academy", URN_B: "Bramblewood Academy"}
    clusters = {URN_A: "North Cluster", URN_B: "South Cluster"}
    return [
        {
            "urn": urn,
            "laestab": 9994000 + urn % 1000,
            "name": names.get(urn, f"Academy {urn}"),
            "phase": "secondary",
            "academy_type": "converter",
            "region": "Northshire",
            "cluster": clusters.get(urn, "North Cluster"),
            "joined_trust": "2018-09-01",
            "ofsted_grade": "2",
            "ofsted_date": "2022-03-01",
        }
        for urn in urns
    ]


def pupils(prefix: str = "A", n: int = 3, start: int = 1) -> list[dict]:
    rows = []
    for i in range(start, start + n):
        rows.append(
            {
                "pupil_id": f"{prefix}{i:05d}",
                "upn": f"{prefix}{i:012d}",
                "surname": f"Surname{prefix}{i}",
                "forename": f"Forename{i}",
                "date_of_birth": f"2011-0{1 + i % 9}-15",
                "sex": "F" if i % 2 else "M",
                "disadvantaged": "Y" if i % 3 == 0 else "N",
                "sen": "K" if i == 2 else "N",
                "sen_primary_need": "SPLD" if i == 2 else "",
                "eal": "N",
                "looked_after": "N",
                "ethnicity": "WBRI",
            }
        )
    return rows


def enrolments(pupil_rows: list[dict], urn: int) -> list[dict]:
    return [
        {
            "pupil_id": p["pupil_id"],
            "urn": urn,
            "year_group": 9,
            "start_date": "2022-09-01",
            "end_date": "",
            "leaving_reason": "",
        }
        for p in pupil_rows
    ]


def windows(year: str = "2024/25") -> list[dict]:
    start = int(year[:4])
    return [
        {
            "academic_year": year,
            "term": "autumn",
            "opens": f"{start}-11-18",
            "closes": f"{start}-12-13",
        },
        {
            "academic_year": year,
            "term": "spring",
            "opens": f"{start + 1}-03-10",
            "closes": f"{start + 1}-03-28",
        },
        {
            "academic_year": year,
            "term": "summer",
            "opens": f"{start + 1}-06-16",
            "closes": f"{start + 1}-07-04",
        },
    ]


def results(
    pupil_rows: list[dict], urn: int, year: str = "2024/25", term: str = "autumn", base: float = 4.0
) -> list[dict]:
    rows = []
    for i, p in enumerate(pupil_rows):
        rows.append(
            {
                "pupil_id": p["pupil_id"],
                "urn": urn,
                "academic_year": year,
                "term": term,
                "subject": "Maths",
                "year_group": 9,
                "scale": "gcse",
                "value": f"{base + (i % 6) * 0.5:.1f}",
            }
        )
        rows.append(
            {
                "pupil_id": p["pupil_id"],
                "urn": urn,
                "academic_year": year,
                "term": term,
                "subject": "English",
                "year_group": 9,
                "scale": "band",
                "value": ["WTS", "EXS", "GDS"][i % 3],
            }
        )
    return rows


def attendance(
    pupil_rows: list[dict], urn: int, year: str = "2024/25", term: str = "autumn"
) -> list[dict]:
    return [
        {
            "pupil_id": p["pupil_id"],
            "urn": urn,
            "academic_year": year,
            "term": term,
            "possible_sessions": 140,
            "attended_sessions": 130 - i % 10,
            "authorised_absence": 6,
            "unauthorised_absence": 4 + i % 10,
        }
        for i, p in enumerate(pupil_rows)
    ]


def small_trust() -> dict[str, list[dict]]:
    """Two academies (A, B), three pupils each, a calendar, autumn results and attendance."""
    pupils_a, pupils_b = pupils("A"), pupils("B")
    return {
        "academies": academies(),
        "pupils": pupils_a + pupils_b,
        "enrolments": enrolments(pupils_a, URN_A) + enrolments(pupils_b, URN_B),
        "assessment_windows": windows(),
        "assessment_results": results(pupils_a, URN_A) + results(pupils_b, URN_B),
        "attendance": attendance(pupils_a, URN_A) + attendance(pupils_b, URN_B),
    }


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    columns = columns or (list(rows[0]) if rows else [])
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


def write_folder(folder: Path, datasets: dict[str, list[dict]]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, rows in datasets.items():
        (folder / f"{name}.csv").write_text(csv_text(rows), encoding="utf-8")
    return folder

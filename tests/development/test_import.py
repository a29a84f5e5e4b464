"""staff_expertise.csv through the import pipeline: checked against the data standard, then
loaded into the expertise register (added to or updated, never removed)."""

from __future__ import annotations

from pathlib import Path

import pytest

from trustlens.development.models import Expertise, StaffMember
from trustlens.imports.services import import_path

pytestmark = pytest.mark.django_db

HEADER = "staff_id,urn,name,job_title,leader,days_available,consent_to_deploy,area,topic,level,accreditation\n"


def _write(tmp_path, rows: str):
    folder = tmp_path / "files"
    folder.mkdir(exist_ok=True)
    (folder / "staff_expertise.csv").write_text(HEADER + rows, encoding="utf-8")
    return folder


def test_staff_expertise_loads_and_updates(world, tmp_path):
    folder = _write(
        tmp_path,
        "S1,142002,Sam Accredited,Head of maths,Y,15,Y,subject,maths,accredited,SLE\n"
        "S1,142002,Sam Accredited,Head of maths,Y,15,Y,data,assessment,secure,\n"
        "S2,141001,Nia Novice,Teacher,N,5,N,subject,maths,developing,\n",
    )
    outcome = import_path(folder, world.trust.slug)
    assert outcome.report.loaded, outcome.report
    sam = StaffMember.objects.unscoped().get(staff_ref="S1")
    assert sam.academy_id == world.academy_b.pk and sam.is_leader and sam.days_available == 15
    assert Expertise.objects.unscoped().filter(staff=sam).count() == 2
    _write(tmp_path, "S1,142002,Sam Accredited,Head of maths,Y,10,Y,subject,maths,expert,\n")
    assert import_path(folder, world.trust.slug).report.loaded
    sam.refresh_from_db()
    assert sam.days_available == 10
    assert Expertise.objects.unscoped().get(staff=sam, topic="maths").level == "expert"
    assert StaffMember.objects.unscoped().count() == 2  # S2 kept


def test_bad_rows_are_refused_and_nothing_is_written(world, tmp_path):
    folder = _write(
        tmp_path,
        "S1,142002,Sam,Head,Y,-3,Y,subject,maths,guru,\n"
        "S3,999999,Nobody,Teacher,N,5,Y,subject,maths,secure,\n",
    )
    outcome = import_path(folder, world.trust.slug)
    assert not outcome.report.loaded
    text = str(outcome.report.__dict__)
    assert "days_available" in text and "level" in text and "urn" in text
    assert not StaffMember.objects.unscoped().exists()


def test_the_people_doc_holds_the_generated_reference():
    from trustlens.ingest.docs import render_dataset
    from trustlens.ingest.standard import STAFF_EXPERTISE

    doc = (Path(__file__).resolve().parents[2] / "docs" / "people.md").read_text(encoding="utf-8")
    begin, end = (
        "<!-- BEGIN STAFF EXPERTISE REFERENCE -->",
        "<!-- END STAFF EXPERTISE REFERENCE -->",
    )
    section = doc[doc.index(begin) + len(begin) : doc.index(end)].strip("\n")
    assert section == render_dataset(STAFF_EXPERTISE).strip("\n")

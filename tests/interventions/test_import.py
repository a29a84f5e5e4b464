"""interventions.csv and intervention_pupils.csv through the importer's registry and pipeline:
validated all or nothing, with file, row, column, value and reason for every error."""

from __future__ import annotations

import pytest
from django.db import transaction

from trustlens.ingest import registry
from trustlens.ingest.pipeline import validate_tables
from trustlens.ingest.readers import read_bytes
from trustlens.ingest.registry import LoadTarget
from trustlens.ingest.validate import KeyContext
from trustlens.interventions.models import Intervention, InterventionPupil
from trustlens.interventions.services import InterventionImportError, intervention_keys
from trustlens.organisations.models import Academy
from trustlens.pupils.models import Pupil

pytestmark = pytest.mark.django_db

HEADER = "intervention_id,name,urn,subject,pre_year,pre_term,post_year,post_term,cost_fixed,cost_per_pupil,programme\n"


def run_import(trust, files: dict[str, str], user=None):
    """What the imports app does with registered datasets: validate every file, then load all or nothing."""
    tables = [t for name, text in files.items() for t in read_bytes(text.encode(), name)]
    context = KeyContext()
    context.add(
        "academies",
        ("urn",),
        Academy.objects.unscoped().filter(trust=trust).values_list("urn", flat=True),
    )
    context.add(
        "pupils",
        ("pupil_id",),
        Pupil.objects.unscoped().filter(trust=trust).values_list("pupil_id", flat=True),
    )
    for column, values in intervention_keys(trust).items():
        context.add("interventions", (column,), values)
    plan = validate_tables(tables, context)
    if plan.report.ok:
        with transaction.atomic():
            for table in plan.tables:
                registry.get(table.spec.name).resolve_loader()(LoadTarget(trust, user), table.frame)
    return plan.report


def test_the_two_files_are_registered_datasets(world):
    assert registry.dataset_for_file("Interventions.csv") == "interventions"
    assert registry.dataset_for_file("intervention_pupils.csv") == "intervention_pupils"
    order = [r.spec.name for r in registry.registrations()]
    assert order.index("pupils") < order.index("interventions") < order.index("intervention_pupils")


def test_import_creates_interventions_and_participants(world):
    files = {
        "interventions.csv": HEADER
        + "PH1,Phonics catch-up,141001,reading,2024/25,autumn,2024/25,summer,1500,120,phonics\n"
        "MM1,Maths mastery,142002,maths,,,2024/25,summer,,60,maths_mastery\n",
        "intervention_pupils.csv": "intervention_id,pupil_id\nPH1,A00001\nPH1,A00002\nMM1,B00001\n",
    }
    report = run_import(world.trust, files)
    assert report.ok, report.issues
    phonics = Intervention.objects.unscoped().get(intervention_id="PH1")
    assert phonics.academy_ids == {world.academy_a.pk} and phonics.cost_per_pupil == 120
    assert phonics.pre_window == "Autumn 2024/25"
    maths = Intervention.objects.unscoped().get(intervention_id="MM1")
    assert not maths.has_pre_window and maths.cost_fixed == 0
    participants = InterventionPupil.objects.unscoped().filter(intervention=phonics)
    assert {p.academy_id for p in participants} == {
        world.academy_a.pk
    } and participants.count() == 2


def test_errors_name_file_row_column_value_and_reason_and_nothing_loads(world):
    files = {
        "interventions.csv": HEADER
        + "PH1,Phonics,141001,reading,2024/25,summer,2024/25,autumn,0,0,phonics\n"
        "X2,Other,999999,reading,,,2024/25,summer,0,0,astrology\n"
        "X3,Half window,141001,reading,2024/25,,2024/25,summer,0,0,reading\n",
        "intervention_pupils.csv": "intervention_id,pupil_id\nNOPE,A00001\nPH1,Z99999\n",
    }
    report = run_import(world.trust, files)
    found = {(i.file, i.row, i.column, i.value) for i in report.issues}
    assert (
        "interventions.csv",
        2,
        "post_year",
        "pre_year=2024/25, pre_term=summer, post_year=2024/25, post_term=autumn",
    ) in found
    assert ("interventions.csv", 3, "urn", "999999") in found
    assert ("interventions.csv", 3, "programme", "astrology") in found
    assert ("interventions.csv", 4, "pre_term", "pre_year=2024/25, pre_term=") in found
    assert ("intervention_pupils.csv", 2, "intervention_id", "NOPE") in found
    assert ("intervention_pupils.csv", 3, "pupil_id", "Z99999") in found
    assert not Intervention.objects.unscoped().exists()


def test_a_pupil_not_on_the_roll_of_the_academy_rolls_back_everything(world):
    files = {
        "interventions.csv": HEADER
        + "PH1,Phonics,141001,reading,2024/25,autumn,2024/25,summer,0,0,phonics\n",
        "intervention_pupils.csv": "intervention_id,pupil_id\nPH1,A00001\nPH1,B00001\n",
    }
    with pytest.raises(InterventionImportError) as error:
        run_import(world.trust, files)
    assert error.value.issues == [
        {
            "file": "intervention_pupils.csv",
            "row": 3,
            "column": "pupil_id",
            "value": "B00001",
            "reason": "not on the roll of an academy running PH1",
        }
    ]
    assert not Intervention.objects.unscoped().exists()


def test_reimporting_replaces_participants_and_updates_fields(world):
    first = {
        "interventions.csv": HEADER
        + "PH1,Phonics,141001,reading,2024/25,autumn,2024/25,summer,0,0,phonics\n",
        "intervention_pupils.csv": "intervention_id,pupil_id\nPH1,A00001\nPH1,A00002\n",
    }
    assert run_import(world.trust, first).ok
    second = {
        "interventions.csv": HEADER
        + "PH1,Phonics groups,141001,reading,2024/25,autumn,2024/25,summer,900,0,phonics\n",
        "intervention_pupils.csv": "intervention_id,pupil_id\nPH1,A00002\n",
    }
    assert run_import(world.trust, second).ok
    phonics = Intervention.objects.unscoped().get(intervention_id="PH1")
    assert phonics.name == "Phonics groups" and phonics.cost_fixed == 900
    assert list(phonics.participants.unscoped().values_list("pupil__pupil_id", flat=True)) == [
        "A00002"
    ]


def test_pupils_file_alone_can_refer_to_interventions_already_held(world):
    assert run_import(
        world.trust,
        {"interventions.csv": HEADER + "PH1,Phonics,141001,reading,,,2024/25,summer,0,0,phonics\n"},
    ).ok
    report = run_import(
        world.trust, {"intervention_pupils.csv": "intervention_id,pupil_id\nPH1,A00001\n"}
    )
    assert report.ok and InterventionPupil.objects.unscoped().count() == 1

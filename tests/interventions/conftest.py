"""Fixtures for the interventions tests: a store holding a synthetic year group for the
``world`` trust (academies A and B), with matching pupils in the records database, and an
intervention at A whose participants were chosen on low prior attainment (true effect 0.3 SD).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import polars as pl
import pytest

from trustlens.analytics.impact.simulation import PlantedIntervention, synthetic_trust
from trustlens.ingest import registry
from trustlens.ingest.schema import StoreMode
from trustlens.ingest.store import AnalyticalStore
from trustlens.interventions.factories import InterventionFactory
from trustlens.interventions.models import Intervention, InterventionPupil
from trustlens.pupils.models import Enrolment, Pupil

TRUE_EFFECT = 0.3


def write_store(store_dir, trust_slug: str, tables: dict) -> None:
    """Write pandas frames into the analytical store the way an import does."""
    store = AnalyticalStore(store_dir)
    with store.transaction(trust_slug, durable=False) as tx:
        for name, frame in tables.items():
            spec = registry.spec(name)
            data = pl.from_pandas(frame)
            if spec.store_mode is StoreMode.SNAPSHOT:
                tx.write_snapshot(name, data, spec.store_schema())
            else:
                tx.write_partitions(
                    name, data, spec.store_schema(), spec.partition_by, spec.year_column
                )
        tx.commit()


def add_records(trust, academies: dict[int, object], pupils_frame) -> dict[str, Pupil]:
    """Pupils and open year 9 enrolments in the records database for the store's pupils."""
    rows = pupils_frame.to_dict("records")
    pupils = Pupil.objects.bulk_create(
        [
            Pupil(
                trust=trust,
                pupil_id=r["pupil_id"],
                surname=f"Synthson{i}",
                forename="Sam",
                date_of_birth=dt.date(2010, int(r["birth_month"]), 1),
                sex=r["sex"],
                disadvantaged=bool(r["disadvantaged"]),
                sen=r["sen"],
                eal=bool(r["eal"]),
            )
            for i, r in enumerate(rows)
        ]
    )
    by_id = {
        p.pupil_id: p
        for p in Pupil.objects.unscoped().filter(trust=trust, pupil_id__startswith="S")
    }
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                pupil=by_id[p.pupil_id],
                academy=academies[int(p.pupil_id[1:7])],
                year_group=9,
                start_date=dt.date(2024, 9, 2),
            )
            for p in pupils
        ]
    )
    return by_id


@dataclass
class ImpactWorld:
    world: object
    intervention: Intervention
    participants: list[str]
    pupils: dict[str, Pupil]


@pytest.fixture
def store_dir(settings, tmp_path):
    settings.STORE_DIR = tmp_path / "store"
    return settings.STORE_DIR


@pytest.fixture
def impact_world(world, store_dir) -> ImpactWorld:
    academies = {world.academy_a.urn: world.academy_a, world.academy_b.urn: world.academy_b}
    synthetic = synthetic_trust(
        7,
        tuple(academies),
        (PlantedIntervention(world.academy_a.urn, TRUE_EFFECT),),
        pupils_per_academy=150,
    )
    write_store(store_dir, world.trust.slug, synthetic.tables)
    pupils = add_records(world.trust, academies, synthetic.tables["pupils"])
    intervention = InterventionFactory(
        trust=world.trust,
        academies=[world.academy_a],
        intervention_id="RD-A-01",
        name="Year 9 reading catch-up",
        subject="Reading",
    )
    participants = synthetic.participants[0]
    InterventionPupil.objects.bulk_create(
        [
            InterventionPupil(intervention=intervention, pupil=pupils[p], academy=world.academy_a)
            for p in participants
        ]
    )
    return ImpactWorld(world, intervention, participants, pupils)

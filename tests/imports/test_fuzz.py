"""Hypothesis, with the records database: a damaged file never crashes ``trustlens import`` and never
loads part of a folder: on any error the records and the store are exactly as before."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.imports.test_services import counts
from tests.ingest import builders as b
from tests.ingest.test_fuzz import BASE, damaged_file
from trustlens.imports.services import import_path

pytestmark = pytest.mark.django_db


def store_rows(store) -> dict[str, int]:
    return {d: store.polars("demo", d).height for d in store.datasets("demo")}


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(damage=damaged_file(), extra_pupil=st.booleans())
def test_damaged_folder_never_crashes_and_never_loads_partially(
    tmp_path_factory, private_store, damage, extra_pupil
):
    name, data, _ = damage
    if not private_store.datasets("demo"):
        assert import_path(
            b.write_folder(tmp_path_factory.mktemp("first"), b.small_trust()), "demo"
        ).report.loaded
    before, version, rows = (
        counts(),
        private_store.manifest("demo")["version"],
        store_rows(private_store),
    )
    folder = tmp_path_factory.mktemp("second")
    for file_name, content in BASE.items():
        (folder / file_name).write_bytes(data if file_name == name else content)
    if (
        extra_pupil and name != "pupils.csv"
    ):  # a valid new pupil: must not load if anything is wrong
        (folder / "pupils.csv").write_text(
            b.csv_text(b.pupils("A") + b.pupils("B") + b.pupils("Z", 1))
        )
    outcome = import_path(folder, "demo")  # must not raise
    if outcome.report.ok:
        assert outcome.report.loaded
    else:
        assert not outcome.report.loaded
        assert counts() == before and private_store.manifest("demo")["version"] == version
        assert store_rows(private_store) == rows

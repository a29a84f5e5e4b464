"""``manage dumpdata --all`` and ``loaddata`` work on scoped models (many-to-many links included)
while the default managers still fail closed."""

from __future__ import annotations

import io
import json

import pytest
from django.apps import apps
from django.core.management import call_command

from trustlens.core.scoping import ScopedManager, ScopeError
from trustlens.imports.choices import ImportStatus
from trustlens.imports.models import ImportRun
from trustlens.organisations.models import Academy

pytestmark = pytest.mark.django_db


def scoped_models() -> list:
    return [m for m in apps.get_models() if isinstance(m._default_manager, ScopedManager)]


def test_default_managers_fail_closed_and_base_managers_are_plain():
    assert len(scoped_models()) > 20
    for model in scoped_models():
        assert not isinstance(model._base_manager, ScopedManager), model
    with pytest.raises(ScopeError):
        Academy.objects.count()


def dump() -> list[dict]:
    out = io.StringIO()
    call_command("dumpdata", "--all", stdout=out)
    return json.loads(out.getvalue())


def test_dumpdata_all_then_loaddata_round_trips_many_to_many_links(world, tmp_path):
    run = ImportRun.objects.create(trust=world.trust, status=ImportStatus.COMMITTED)
    links = ImportRun.academies.through
    links.objects.create(importrun=run, academy=world.academy_a)
    links.objects.create(importrun=run, academy=world.academy_b)
    before = dump()
    row = next(o for o in before if o["model"] == "imports.importrun")
    assert sorted(row["fields"]["academies"]) == sorted([world.academy_a.pk, world.academy_b.pk])
    assert any(o["model"] == "pupils.pupil" for o in before)

    fixture = tmp_path / "all.json"
    fixture.write_text(json.dumps(before))
    call_command("loaddata", str(fixture), verbosity=0)  # a dump holds times to the millisecond:
    before = dump()  # compare what a dump holds, not the sub-millisecond clock
    fixture.write_text(json.dumps(before))
    links.objects.all().delete()
    call_command("loaddata", str(fixture), verbosity=0)
    assert links.objects.filter(importrun=run).count() == 2
    assert dump() == before

"""Scoping meta-test parameters owned by the imports app."""

from trustlens.core.testing import scope_param
from trustlens.imports.choices import ImportSource, ImportStatus
from trustlens.imports.models import ImportRun


@scope_param("import_id")
def import_in(academy):
    """An import run that touched only ``academy`` (with its URN in the report, as real ones)."""
    run = ImportRun.objects.create(
        trust=academy.trust,
        source=ImportSource.WEB,
        status=ImportStatus.INVALID,
        summary="1 error(s): nothing was loaded",
        report={
            "errors": [
                {
                    "file": "pupils.csv",
                    "row": 2,
                    "column": "urn",
                    "value": str(academy.urn),
                    "reason": "test",
                }
            ]
        },
    )
    ImportRun.academies.through.objects.create(importrun=run, academy=academy)
    return run.pk

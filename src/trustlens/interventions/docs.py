"""The import-file reference of docs/impact.md, generated from the dataset specifications.

The ``interventions.csv`` and ``intervention_pupils.csv`` sections are rendered with the data
standard's own renderer (``trustlens.ingest.docs.render_dataset``) between two marker lines, so
the doc cannot drift from the validator (``tests/interventions/test_docs.py``). Regenerate with
``python -m trustlens.interventions.docs docs/impact.md``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from trustlens.ingest.docs import MarkedSection, render_dataset
from trustlens.interventions.datasets import INTERVENTION_PUPILS, INTERVENTIONS

BEGIN = (
    "<!-- BEGIN GENERATED IMPORT FILES (python -m trustlens.interventions.docs docs/impact.md) -->"
)
END = "<!-- END GENERATED IMPORT FILES -->"


def render_import_files() -> str:
    """The reference of both import files, in import order."""
    return "\n".join(render_dataset(spec) for spec in (INTERVENTIONS, INTERVENTION_PUPILS)).strip(
        "\n"
    )


IMPORT_FILES = MarkedSection(BEGIN, END, render_import_files)
generated_section = IMPORT_FILES.generated
rewrite = IMPORT_FILES.rewrite

if __name__ == "__main__":  # pragma: no cover - a maintenance command
    rewrite(Path(sys.argv[1]))

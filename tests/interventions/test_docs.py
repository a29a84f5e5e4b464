"""docs/impact.md's import-file reference is the validator's own specification."""

from pathlib import Path

from trustlens.interventions.docs import generated_section, render_import_files

DOC = Path(__file__).resolve().parents[2] / "docs" / "impact.md"


def test_the_import_file_reference_in_docs_impact_matches_the_specification():
    assert generated_section(DOC.read_text(encoding="utf-8")) == render_import_files(), (
        "regenerate with: python -m trustlens.interventions.docs docs/impact.md"
    )

"""The upload form: one or more data-standard files (CSV, XLSX, or a zip of them)."""

from __future__ import annotations

from pathlib import Path

from django import forms

from trustlens.ingest import registry
from trustlens.organisations.models import Trust

ALLOWED_SUFFIXES = (".csv", ".xlsx", ".zip")
NO_FILES = "Choose at least one file to import."


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented recipe, with the required
    check kept for an empty list and every file's error naming the file)."""

    default_error_messages = {"required": NO_FILES}

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = list(data) if isinstance(data, list | tuple) else [data]
        items = [item for item in items if item]
        if not items:
            if self.required:
                raise forms.ValidationError(self.error_messages["required"], code="required")
            return []
        return self._clean_each(items, initial)

    def _clean_each(self, items: list, initial) -> list:
        cleaned, errors = [], []
        for item in items:
            try:
                cleaned.append(super().clean(item, initial))
            except forms.ValidationError as error:
                name = getattr(item, "name", "a file")
                errors += [forms.ValidationError(f"{name}: {m}") for m in error.messages]
        if errors:
            raise forms.ValidationError(errors)
        return cleaned


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files to import",
        help_text="One or more CSV or XLSX files named after their dataset, e.g. "
        "<code>assessment_results.csv</code>, or a zip of them (see the data standard). "
        "Nothing is loaded until you confirm.",
    )

    def __init__(self, *args, trusts: list[Trust], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.trusts = trusts
        if len(trusts) > 1:
            self.fields["trust"] = forms.ChoiceField(
                label="Trust", choices=[(t.slug, t.name) for t in trusts]
            )

    def clean_files(self):
        files = self.cleaned_data["files"]
        wrong = [f.name for f in files if Path(f.name).suffix.lower() not in ALLOWED_SUFFIXES]
        if wrong:
            raise forms.ValidationError(
                f"Only CSV, XLSX and zip files can be imported: {', '.join(wrong)}"
            )
        unknown = [f.name for f in files if not _names_a_dataset(f.name)]
        if unknown:
            raise forms.ValidationError(
                [f"{name}: {registry.unknown_file_reason(name)}" for name in unknown]
            )
        return files

    def trust(self) -> Trust:
        if len(self.trusts) == 1:
            return self.trusts[0]
        return next(t for t in self.trusts if t.slug == self.cleaned_data["trust"])


def _names_a_dataset(name: str) -> bool:
    """A CSV must be named after its dataset; a workbook or zip may hold several (checked later)."""
    suffix = Path(name).suffix.lower()
    return suffix != ".csv" or registry.dataset_for_file(name) is not None

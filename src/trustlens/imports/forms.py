"""The upload form: one or more data-standard files (CSV or XLSX)."""

from __future__ import annotations

from pathlib import Path

from django import forms

from trustlens.organisations.models import Trust

ALLOWED_SUFFIXES = (".csv", ".xlsx")


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file field that accepts several files (Django's documented recipe)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ",".join(ALLOWED_SUFFIXES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class UploadForm(forms.Form):
    files = MultipleFileField(
        label="Files to import",
        help_text="One or more CSV or XLSX files named after their dataset, e.g. "
        "<code>assessment_results.csv</code> (see the data standard). Nothing is loaded until you confirm.",
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
                f"Only CSV and XLSX files can be imported: {', '.join(wrong)}"
            )
        return files

    def trust(self) -> Trust:
        if len(self.trusts) == 1:
            return self.trusts[0]
        return next(t for t in self.trusts if t.slug == self.cleaned_data["trust"])

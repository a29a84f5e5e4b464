"""The datasets a folder import knows, in dependency order, with their records-database loaders.

Core datasets register themselves here (without loaders); the Django app owning each one
attaches its loader in its ``AppConfig.ready`` with ``attach_loader``, and another app adds its
own files with ``register_dataset``::

    from trustlens.ingest.registry import attach_loader, register_dataset
    attach_loader("pupils", load_pupils)
    register_dataset(INTERVENTIONS_SPEC, loader=load_interventions, order=200)

A loader is called inside the import's database transaction, after every file of the import
has validated, as ``loader(target, frame)``: ``target`` is a ``LoadTarget`` (the trust, the
user, the ``ImportRun``) and ``frame`` the typed Polars DataFrame of the file (columns as in
the spec). It returns the number of records written. ``existing_keys(trust)`` (optional)
returns ``{column: set_of_values}`` of keys already held, so other files' foreign keys to this
dataset validate against them.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import polars as pl

from trustlens.ingest.schema import DatasetSpec


@dataclass
class LoadTarget:
    """What a records loader writes for: opaque Django objects to this package."""

    trust: Any
    user: Any = None
    run: Any = None


Loader = Callable[[LoadTarget, pl.DataFrame], int]
KeyProvider = Callable[[Any], dict[str, set]]


@dataclass(frozen=True)
class Registration:
    spec: DatasetSpec
    order: int
    loader: Loader | None = None
    existing_keys: KeyProvider | None = None

    def resolve_loader(self) -> Loader | None:
        return self.loader

    def resolve_existing_keys(self) -> KeyProvider | None:
        return self.existing_keys


_REGISTRY: dict[str, Registration] = {}


def register_dataset(
    spec: DatasetSpec,
    loader: Loader | None = None,
    order: int = 200,
    existing_keys: KeyProvider | None = None,
) -> Registration:
    """Make ``spec`` importable (file ``<spec.name>.csv`` or an XLSX sheet of that name)."""
    registration = Registration(spec=spec, order=order, loader=loader, existing_keys=existing_keys)
    _REGISTRY[spec.name] = registration
    return registration


def get(name: str) -> Registration | None:
    _ensure_core()
    return _REGISTRY.get(name)


def registrations() -> list[Registration]:
    """Every known dataset in dependency order (then by name)."""
    _ensure_core()
    return sorted(_REGISTRY.values(), key=lambda r: (r.order, r.spec.name))


def spec(name: str) -> DatasetSpec:
    registration = get(name)
    if registration is None:
        raise KeyError(f"unknown dataset {name!r}")
    return registration.spec


def dataset_for_file(path: Path | str) -> str | None:
    """The dataset a file name stands for ("Pupils.CSV" -> "pupils"), or None."""
    stem = Path(path).stem.strip().lower().replace(" ", "_").replace("-", "_")
    return stem if get(stem) is not None else None


def closest_datasets(path: Path | str, n: int = 3) -> list[str]:
    """The datasets a misnamed file could be ("results.csv" -> ["assessment_results", ...])."""
    stem = Path(path).stem.strip().lower().replace(" ", "_").replace("-", "_")
    names = [r.spec.name for r in registrations()]
    containing = [name for name in names if stem and (stem in name or name in stem)]
    similar = difflib.get_close_matches(stem, names, n=n, cutoff=0.5)
    return list(dict.fromkeys(containing + similar))[:n]


def dataset_hint(path: Path | str) -> str:
    """ "did you mean assessment_results.csv?", or every dataset's file name when none is close."""
    closest = closest_datasets(path)
    if closest:
        return "did you mean " + " or ".join(f"{name}.csv" for name in closest) + "?"
    return "name it after its dataset, one of: " + ", ".join(
        f"{r.spec.name}.csv" for r in registrations()
    )


def unknown_file_reason(path: Path | str) -> str:
    """Why a file is refused when its name is no dataset's, naming the datasets it could be."""
    return f"the file name matches no dataset of the data standard: {dataset_hint(path)}"


def attach_loader(name: str, loader: Loader, existing_keys: KeyProvider | None = None) -> None:
    """Give a core dataset its records loader (the owning Django app, in ``AppConfig.ready``)."""
    _ensure_core()
    _REGISTRY[name] = replace(_REGISTRY[name], loader=loader, existing_keys=existing_keys)


def _ensure_core() -> None:
    if _REGISTRY.get("academies") is not None:
        return
    from trustlens.ingest.standard import CORE_DATASETS

    for core_spec, order in CORE_DATASETS:
        if core_spec.name not in _REGISTRY:
            _REGISTRY[core_spec.name] = Registration(core_spec, order)

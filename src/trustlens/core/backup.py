"""Backup and restore: the records database, the analytical store and uploaded files in one archive.

An archive (``trustlens backup FILE``) is a tar.gz holding:

- ``backup.json``: when, which database engine, which trusts, the method;
- ``database.json``: every row of every table as Django's ``dumpdata --all`` JSON, content
  types and permissions included with their primary keys (restore replaces the ones a fresh
  ``migrate`` made, whose keys depend on migration order). The dump runs in
  one read transaction (REPEATABLE READ on PostgreSQL), so it is one consistent snapshot on
  SQLite and PostgreSQL alike; no ``pg_dump`` is needed;
- ``store/<trust>/CURRENT`` and the live manifest it names, and exactly the Parquet files that
  manifest names. Each trust's pointer is read once and every file it names is opened before
  copying: an import committing meanwhile makes a new manifest and new files (data files are never
  overwritten) and its garbage collection cannot take an open file away, so the copy is the
  store as it was at that pointer while the app keeps running. Dashboard summaries are not
  copied: ``restore`` rebuilds them from the store;
- ``media/``: uploaded files (quality evidence).

``trustlens restore FILE`` loads an archive into an empty data directory and database, refusing
a non-empty one unless ``--force`` (which empties it first).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import shutil
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from trustlens.ingest.store import CURRENT, MANIFESTS

FORMAT = 1
#: Tables a fresh ``migrate`` fills itself (not a sign of data; replaced by the backup's rows).
SYSTEM_MODELS = ("contenttypes.contenttype", "auth.permission")
OPEN_ATTEMPTS = 5


class BackupError(RuntimeError):
    """A backup or restore that cannot go ahead, with the reason for the operator."""


@dataclass
class BackupResult:
    path: Path
    trusts: list[str]
    files: int
    rows: int


# --- backup --------------------------------------------------------------------------------


def create_backup(path: Path) -> BackupResult:
    """Write the archive to ``path`` (via a temporary file, renamed when complete)."""
    path = Path(path)
    tmp = path.with_name(path.name + ".part")
    store = Path(settings.STORE_DIR)
    trusts = sorted(p.name for p in store.glob("*") if (p / CURRENT).exists())
    files = 0
    with tarfile.open(tmp, "w:gz") as archive:
        for trust in trusts:
            files += _add_store(archive, store / trust, f"store/{trust}")
        files += _add_media(archive)
        dump = dump_database()
        _add_bytes(archive, "database.json", dump)
        meta = _meta(trusts)
        _add_bytes(archive, "backup.json", json.dumps(meta, indent=1).encode())
    tmp.replace(path)
    return BackupResult(path, trusts, files, len(json.loads(dump)))


def _meta(trusts: list[str]) -> dict:
    return {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "database_engine": connection.vendor,
        "database_method": "django dumpdata --all (JSON)",
        "trusts": trusts,
    }


def dump_database() -> bytes:
    """Every row as dumpdata JSON, read in one transaction (one snapshot)."""
    out = io.StringIO()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        call_command("dumpdata", "--all", stdout=out)
    return out.getvalue().encode()


def _add_store(archive: tarfile.TarFile, trust_dir: Path, prefix: str) -> int:
    """Copy the live manifest of one trust and exactly the files it names."""
    with _open_live_files(trust_dir) as (pointer, handles):
        _add_bytes(archive, f"{prefix}/{CURRENT}", pointer.encode())
        for relative, handle in handles.items():
            info = tarfile.TarInfo(f"{prefix}/{relative}")
            info.size = _size(handle)
            archive.addfile(info, handle)
    return len(handles)


def _size(handle: IO[bytes]) -> int:
    handle.seek(0, io.SEEK_END)
    size = handle.tell()
    handle.seek(0)
    return size


@contextlib.contextmanager
def _open_live_files(trust_dir: Path) -> Iterator[tuple[str, dict[str, IO[bytes]]]]:
    """Read ``CURRENT`` once and open the manifest and every file it names (again from a fresh
    pointer if a concurrent commit's clean-up removed one between reading and opening)."""
    with contextlib.ExitStack() as stack:
        for _attempt in range(OPEN_ATTEMPTS):
            opened = _try_open(trust_dir, stack)
            if opened is not None:
                yield opened
                return
        raise BackupError(f"the store of {trust_dir.name} kept changing; try again")


def _try_open(
    trust_dir: Path, stack: contextlib.ExitStack
) -> tuple[str, dict[str, IO[bytes]]] | None:
    pointer = (trust_dir / CURRENT).read_text()
    name = pointer.strip()
    attempt = contextlib.ExitStack()
    try:
        manifest = attempt.enter_context(open(trust_dir / MANIFESTS / name, "rb"))  # noqa: SIM115
        handles = {f"{MANIFESTS}/{name}": manifest}
        for relative in _manifest_files(json.loads(manifest.read())):
            handles[relative] = attempt.enter_context(open(trust_dir / relative, "rb"))  # noqa: SIM115
    except FileNotFoundError:
        attempt.close()
        return None
    manifest.seek(0)
    stack.enter_context(attempt)
    return pointer, handles


def _manifest_files(manifest: dict) -> list[str]:
    return sorted(
        p["file"] for entry in manifest["datasets"].values() for p in entry["partitions"].values()
    )


def _add_media(archive: tarfile.TarFile) -> int:
    media = Path(settings.MEDIA_ROOT)
    files = sorted(p for p in media.rglob("*") if p.is_file()) if media.exists() else []
    for file in files:
        archive.add(file, f"media/{file.relative_to(media).as_posix()}", recursive=False)
    return len(files)


def _add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(dt.datetime.now(dt.UTC).timestamp())
    archive.addfile(info, io.BytesIO(data))


# --- restore -------------------------------------------------------------------------------


def restore_backup(path: Path, force: bool = False) -> dict:
    """Load the archive into this installation; refuses a non-empty one unless ``force``."""
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    problems = non_empty_reasons()
    if problems and not force:
        raise BackupError(
            "refusing to restore over existing data ("
            + "; ".join(problems)
            + "): restore into an empty data directory and database, or pass --force"
        )
    call_command("migrate", interactive=False, verbosity=0)
    with tempfile.TemporaryDirectory(prefix="trustlens-restore-") as work:
        meta = _extract(Path(path), Path(work))
        if problems:
            _empty_everything()
        _restore_files(Path(work))
        _load_database(Path(work) / "database.json")
    _rebuild_summaries(meta["trusts"])
    return meta


def non_empty_reasons() -> list[str]:
    """Why this installation is not empty (an empty list when it is)."""
    reasons = []
    store = Path(settings.STORE_DIR)
    if store.exists() and any(store.glob(f"*/{CURRENT}")):
        reasons.append(f"the store {store} holds data")
    media = Path(settings.MEDIA_ROOT)
    if media.exists() and any(p.is_file() for p in media.rglob("*")):
        reasons.append(f"{media} holds files")
    tables = set(connection.introspection.table_names())
    for model in _data_models():
        if model._meta.db_table in tables and model._base_manager.exists():
            reasons.append(f"the database holds {model._meta.label} rows")
            break
    return reasons


def _data_models() -> list:
    return [
        m
        for m in apps.get_models(include_auto_created=True)
        if m._meta.label_lower not in SYSTEM_MODELS and m._meta.managed
    ]


def _extract(path: Path, work: Path) -> dict:
    try:
        with tarfile.open(path, "r:gz") as archive:
            archive.extractall(work, filter="data")
        meta = json.loads((work / "backup.json").read_text())
    except (OSError, tarfile.TarError, KeyError, ValueError) as exc:
        raise BackupError(f"{path} is not a trustlens backup: {exc}") from exc
    if meta.get("format") != FORMAT:
        raise BackupError(f"{path} has backup format {meta.get('format')}, expected {FORMAT}")
    return meta


def _empty_everything() -> None:
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    for directory in (Path(settings.STORE_DIR), Path(settings.MEDIA_ROOT)):
        if directory.exists():
            shutil.rmtree(directory)


def _restore_files(work: Path) -> None:
    """Data files and manifests first, each trust's CURRENT pointer last."""
    targets = {"store": Path(settings.STORE_DIR), "media": Path(settings.MEDIA_ROOT)}
    pointers = []
    for name, target in targets.items():
        source = work / name
        for file in sorted(p for p in source.rglob("*") if p.is_file()) if source.exists() else []:
            destination = target / file.relative_to(source)
            if file.name == CURRENT and name == "store":
                pointers.append((file, destination))
                continue
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(file, destination)
    for file, destination in pointers:
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(file, destination)


def _load_database(dump: Path) -> None:
    """Replace migrate's content types and permissions by the backup's, then load every row."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    with transaction.atomic():
        Permission.objects.all().delete()
        ContentType.objects.all().delete()
        call_command("loaddata", str(dump), verbosity=0)
    ContentType.objects.clear_cache()


def _rebuild_summaries(trusts: list[str]) -> None:
    from trustlens.core import hooks

    for trust in trusts:
        if not trust.startswith("_"):
            hooks.store_rewritten.send(sender=None, trust_slug=trust, from_scratch=False)

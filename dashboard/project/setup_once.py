"""`migrate` and `collectstatic` at start, done once however many processes start together.

`rundashboard` prepares its own database and static files, so the embedded default and a
single machine need nothing else. In the N-process deployment (docs/deployment.md) the
release step runs both before any process starts; processes started together must still
not race (concurrent `migrate` on a fresh PostgreSQL fails with "duplicate key ... pg_type"
in all but one). So each step runs under a lock every process shares:
- `migrate` under a PostgreSQL advisory lock (scoped to the database), or a file lock
  beside an SQLite file: the first process migrates, the others wait, then find nothing
  to do;
- `collectstatic` (production only) under a file lock beside `STATIC_ROOT` (one per
  machine, as the directory is), and skipped when the manifest is newer than every source.
"""

from __future__ import annotations

import fcntl
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.db import connection

# One key for every process of this product on a database (advisory locks are per database).
MIGRATE_LOCK_KEY = zlib.crc32(b"statsdash:migrate")
MANIFEST = "staticfiles.json"


def prepare() -> None:
    """Migrations, then (when not DEBUG) static files; each at most once at a time."""
    with migrate_lock():
        call_command("migrate", interactive=False, verbosity=0)
    if not settings.DEBUG:
        root = Path(settings.STATIC_ROOT)
        with file_lock(root.parent / f"{root.name}.lock"):
            if static_files_stale(root):
                call_command("collectstatic", interactive=False, verbosity=0)


@contextmanager
def migrate_lock() -> Iterator[None]:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [MIGRATE_LOCK_KEY])
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [MIGRATE_LOCK_KEY])
        return
    name = str(connection.settings_dict["NAME"])
    if connection.vendor != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        yield  # a private in-memory database: nobody to race with
        return
    with file_lock(Path(f"{name}.migrate-lock")):
        yield


@contextmanager
def file_lock(path: Path) -> Iterator[None]:
    """An exclusive flock, released when the process ends even if it crashes."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def static_files_stale(root: Path) -> bool:
    """True unless the manifest exists and no source file is newer (a release or an
    upgraded package brings newer files; collectstatic takes ~4 s even with no change)."""
    manifest = root / MANIFEST
    if not manifest.exists():
        return True
    collected = manifest.stat().st_mtime
    for finder in finders.get_finders():
        for path, storage in finder.list([]):
            if Path(storage.path(path)).stat().st_mtime > collected:
                return True
    return False

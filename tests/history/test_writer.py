"""The batch writer on SQLite (this process) and PostgreSQL (a child process on a scratch
database): deltas of several flushes merge into exact rows; the roll-up stores half hours."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.history import writer_checks
from tests.support.processes import base_env, manage

CHILD = "import json; from tests.history import writer_checks; print(json.dumps(writer_checks.run()))"


@pytest.mark.django_db(transaction=True)
def test_batches_merge_into_exact_buckets_on_sqlite() -> None:
    from django.db import connection

    assert connection.vendor == "sqlite"
    writer_checks.check(writer_checks.run())


def test_batches_merge_into_exact_buckets_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    env = base_env(tmp_path, DATABASE_URL=postgres_url, DJANGO_SETTINGS_MODULE="dashboard.project.settings")
    manage(env, "migrate", "--noinput")
    out = manage(env, "shell", "-c", CHILD + "; from django.db import connection; print(connection.vendor)")
    *_, found, vendor = out.strip().splitlines()
    assert vendor == "postgresql"
    writer_checks.check(json.loads(found))

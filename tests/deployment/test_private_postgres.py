"""`make test` on a machine where no PostgreSQL answers on 5432: the tests start their
own in a temporary directory (tests/support/postgres.py), as they do for Redis."""

from __future__ import annotations

import os

import psycopg
import pytest

from tests.support import postgres
from tests.support.processes import free_port


def test_a_private_server_is_started_when_none_answers_and_removed_after(monkeypatch: pytest.MonkeyPatch) -> None:
    nobody_there = f"postgresql://postgres@127.0.0.1:{free_port()}/postgres"
    monkeypatch.setattr(postgres, "MACHINE_ADMIN_URL", nobody_there)
    assert not postgres.answers(nobody_there)
    with postgres.postgres_server() as admin_url:
        assert admin_url != nobody_there
        with postgres.scratch_database(admin_url) as url:
            with psycopg.connect(url.replace("postgres://", "postgresql://", 1)) as conn:
                assert conn.execute("SELECT current_user").fetchone()[0] == "postgres"
        datadirs = [d for d in os.listdir("/tmp") if d.startswith("statsdash-pg-")]
    assert not postgres.answers(admin_url)
    assert not set(datadirs) & {d for d in os.listdir("/tmp") if d.startswith("statsdash-pg-")}

"""Upstream secrets encrypted at rest (dashboard/access/crypto_fields.py, migration 0007,
`rotate_secrets`): the database holds ciphertext, the product reads plain text, old
plain rows are encrypted by the migration, keys rotate without loss."""

from __future__ import annotations

from collections.abc import Iterator
from io import StringIO

import pytest
from cryptography.fernet import Fernet
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from dashboard.access import upstream_auth
from dashboard.access.crypto_fields import PREFIX
from dashboard.access.models import UpstreamAuthorization
from dashboard.skills.models import SkillSource
from dashboard.skills.sync import sync_skills
from statsbridge.simulator.credentials import DEFAULT_CREDENTIALS as CREDS

BEFORE, AFTER = ("dashboard", "0003_skills"), ("dashboard", "0007_encrypt_secrets")


def stored(table: str, column: str) -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {column} FROM {table} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.django_db
def test_secrets_are_ciphertext_in_the_database_and_plain_to_the_product() -> None:
    SkillSource.objects.create(name="ws", kind=SkillSource.Kind.WEB_SERVICES, username="u", secret="ws-password")
    UpstreamAuthorization.objects.create(refresh_token="refresh-token-value", connected_by="admin")
    for raw, plain in [
        (stored("dashboard_skillsource", "secret")[0], "ws-password"),
        (stored("dashboard_upstreamauthorization", "refresh_token")[0], "refresh-token-value"),
    ]:
        assert raw.startswith(PREFIX) and plain not in raw
    assert SkillSource.objects.get().secret == "ws-password"
    assert upstream_auth._load() == "refresh-token-value"


@pytest.fixture
def executor(transactional_db: None) -> Iterator[MigrationExecutor]:
    executor = MigrationExecutor(connection)
    leaves = executor.loader.graph.leaf_nodes()
    executor.migrate([BEFORE])
    yield executor
    executor.loader.build_graph()
    executor.migrate(leaves)


def test_the_migration_encrypts_plain_rows_and_the_product_still_reads_them(
    executor: MigrationExecutor, upstream: str
) -> None:
    with connection.cursor() as cursor:  # rows as a release before 0007 wrote them
        cursor.execute(
            "INSERT INTO dashboard_skillsource (name, kind, base_url, username, secret, enabled, "
            "last_result, resume_cursor) VALUES (%s, %s, '', %s, %s, true, '', '')",
            ["Simulator Web Services", "web-services", CREDS.ws_username, CREDS.ws_password],
        )
        cursor.execute(
            "INSERT INTO dashboard_upstreamauthorization (refresh_token, connected_by, connected_at) "
            "VALUES (%s, %s, CURRENT_TIMESTAMP)",
            ["plain-refresh-token", "admin"],
        )
    executor.loader.build_graph()
    executor.migrate([AFTER])
    (secret,) = stored("dashboard_skillsource", "secret")
    (token,) = stored("dashboard_upstreamauthorization", "refresh_token")
    assert secret.startswith(PREFIX) and CREDS.ws_password not in secret
    assert token.startswith(PREFIX) and "plain-refresh-token" not in token
    executor.loader.build_graph()  # the models below are today's: their schema is the newest
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert upstream_auth._load() == "plain-refresh-token"
    summary = sync_skills("Simulator Web Services")  # the product signs in with the decrypted password
    assert summary.skills.added > 0 and summary.agent_skills.added > 0


def test_migrating_back_writes_plain_text_again(executor: MigrationExecutor) -> None:
    executor.loader.build_graph()
    executor.migrate([AFTER])
    model = executor.loader.project_state([AFTER]).apps.get_model("dashboard", "UpstreamAuthorization")
    model.objects.create(refresh_token="the-token", connected_by="admin")  # as 0007's schema has it
    executor.loader.build_graph()
    executor.migrate([BEFORE])
    assert stored("dashboard_upstreamauthorization", "refresh_token") == ["the-token"]


@pytest.mark.django_db
def test_rotate_secrets_moves_every_secret_to_the_newest_key(settings: object) -> None:
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]  # type: ignore[attr-defined]
    SkillSource.objects.create(name="export", kind=SkillSource.Kind.SKILL_EXPORT, secret="bearer-token")
    UpstreamAuthorization.objects.create(refresh_token="refresh", connected_by="admin")
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # type: ignore[attr-defined]
    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "SkillSource.secret: 1 re-encrypted" in out.getvalue()
    assert "UpstreamAuthorization.refresh_token: 1 re-encrypted" in out.getvalue()
    raw = stored("dashboard_skillsource", "secret")[0][len(PREFIX) :]
    assert Fernet(new.encode()).decrypt(raw.encode()) == b"bearer-token"
    settings.FIELD_ENCRYPTION_KEYS = [new]  # type: ignore[attr-defined]  # the old key can go now
    assert SkillSource.objects.get().secret == "bearer-token"
    assert upstream_auth._load() == "refresh"


@pytest.mark.django_db
def test_a_secret_no_key_opens_is_kept_counted_and_never_overwritten(settings: object) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # type: ignore[attr-defined]
    SkillSource.objects.create(name="export", kind=SkillSource.Kind.SKILL_EXPORT, secret="bearer-token")
    before = stored("dashboard_skillsource", "secret")
    settings.FIELD_ENCRYPTION_KEYS = [Fernet.generate_key().decode()]  # type: ignore[attr-defined]
    settings.SECRET_KEY = "another-secret-key-" * 3  # type: ignore[attr-defined]  # the derived key changes too
    source = SkillSource.objects.get()
    assert source.secret == ""  # reads as unset, never as garbage
    source.last_result = "touched"
    source.save()  # a full save (as the sync job does) keeps the ciphertext
    assert stored("dashboard_skillsource", "secret") == before
    with pytest.raises(CommandError, match="1 secret"):
        call_command("rotate_secrets", stdout=StringIO())
    assert stored("dashboard_skillsource", "secret") == before


def test_a_bad_key_in_the_environment_stops_start_up_without_echoing_it(monkeypatch: pytest.MonkeyPatch) -> None:
    from django.core.exceptions import ImproperlyConfigured

    from dashboard.project.env import env_fernet_keys

    monkeypatch.setenv("FIELD_ENCRYPTION_KEYS", f"{Fernet.generate_key().decode()},not-a-key-but-secret")
    with pytest.raises(ImproperlyConfigured, match="entry 2") as raised:
        env_fernet_keys("FIELD_ENCRYPTION_KEYS")
    assert "not-a-key-but-secret" not in str(raised.value)

"""Connections as data: validation, secrets at rest, the configurations the bridges
read (`default` from the environment as before, then each enabled row), statistics'
keys kept apart per connection and `default`'s unchanged."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError

from dashboard.access.crypto_fields import PREFIX
from dashboard.boards.models import Statistic
from dashboard.connections.configs import config_of, connection_configs, connection_of, statistics_of
from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from statsbridge.desired import statistic_key
from statsbridge.simulator.tenants import BRAND_B_CREDENTIALS as B
from tests.connections.helpers import connection_for

pytestmark = pytest.mark.django_db


def test_a_row_may_not_be_named_default() -> None:
    row = Connection(
        name=DEFAULT_CONNECTION, base_url="https://x.example", api_key="k", client_id="c", client_secret="s"
    )
    with pytest.raises(ValidationError) as error:
        row.full_clean()
    assert "environment variables" in str(error.value)
    with pytest.raises(IntegrityError), transaction.atomic():
        row.save()  # the database refuses it too (an import or a shell skips full_clean)


def test_names_are_unique_slugs() -> None:
    connection_for("brand-b", "http://127.0.0.1:1", B)
    duplicate = Connection(name="brand-b", base_url="http://127.0.0.1:2", api_key="k", client_id="c", client_secret="s")
    with pytest.raises(ValidationError):
        duplicate.full_clean()
    with pytest.raises(ValidationError):
        Connection(
            name="Brand B!", base_url="http://x.example", api_key="k", client_id="c", client_secret="s"
        ).full_clean()


def test_secrets_are_ciphertext_in_the_database() -> None:
    connection_for("brand-b", "http://127.0.0.1:1", B)
    with connection.cursor() as cursor:
        cursor.execute("SELECT api_key, client_secret, password, client_id FROM dashboard_connection")
        api_key, secret, password, client_id = cursor.fetchone()
    for raw, plain in [(api_key, B.api_key), (secret, B.client_secret), (password, B.password)]:
        assert raw.startswith(PREFIX) and plain not in raw
    assert client_id == B.client_id  # not a secret
    assert Connection.objects.get().client_secret == B.client_secret


def test_configs_are_default_from_settings_then_each_enabled_row(settings: object) -> None:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": "https://gapi-use1.example/", "API_KEY": "env-key"}  # type: ignore[attr-defined]
    connection_for("brand-b", "http://127.0.0.1:9/", B, auth_base_url="http://127.0.0.1:10/")
    connection_for("brand-c", "http://127.0.0.1:11", B, username="", password="")
    Connection.objects.create(
        name="brand-off", enabled=False, base_url="http://127.0.0.1:12", api_key="k", client_id="c", client_secret="s"
    )

    configs = connection_configs()

    assert list(configs) == ["default", "brand-b", "brand-c"]  # disabled: no bridge reads it
    assert configs["default"].base_url == "https://gapi-use1.example" and configs["default"].api_key == "env-key"
    b = configs["brand-b"]
    assert (b.base_url, b.auth_url, b.api_key, b.client_secret) == (
        "http://127.0.0.1:9",
        "http://127.0.0.1:10",
        B.api_key,
        B.client_secret,
    )
    assert b.has_service_account and not configs["brand-c"].has_service_account
    assert B.client_secret not in repr(b) and B.password not in repr(b)
    assert config_of("brand-off").base_url == "http://127.0.0.1:12"  # a preflight may test it before enabling


def test_default_in_the_embedded_default_is_the_built_in_simulator(settings: object) -> None:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": None}  # type: ignore[attr-defined]
    settings.STATSBRIDGE_SIMULATOR_URL = "http://127.0.0.1:8089"  # type: ignore[attr-defined]
    assert connection_configs()["default"].base_url == "http://127.0.0.1:8089"


def test_statistics_belong_to_default_unless_they_name_a_connection() -> None:
    brand_b = connection_for("brand-b", "http://127.0.0.1:1", B)
    mine = Statistic.objects.create(name="CurrentNumberWaitingCalls", object_type="Queue", object_id="8001@SIP_Switch")
    theirs = Statistic.objects.create(
        name="CurrentNumberWaitingCalls", object_type="Queue", object_id="8001@SIP_Switch", connection=brand_b
    )
    assert (connection_of(mine), connection_of(theirs)) == ("default", "brand-b")
    assert list(Statistic.objects.filter(statistics_of("brand-b"))) == [theirs]
    assert list(Statistic.objects.filter(statistics_of("default"))) == [mine]
    # Same queue, same statistic, two tenants: two ids on one page; default's as before.
    assert mine.key == statistic_key(mine.descriptor()) != theirs.key
    assert theirs.key == statistic_key(theirs.descriptor(), "brand-b")
    with pytest.raises(ProtectedError):
        brand_b.delete()  # its statistics would silently move to default otherwise


def test_rotate_secrets_covers_the_connections(settings: object) -> None:
    from io import StringIO

    from cryptography.fernet import Fernet
    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [old]  # type: ignore[attr-defined]
    connection_for("brand-b", "http://127.0.0.1:1", B)
    settings.FIELD_ENCRYPTION_KEYS = [new, old]  # type: ignore[attr-defined]
    out = StringIO()
    call_command("rotate_secrets", stdout=out)
    assert "Connection.api_key: 1 re-encrypted" in out.getvalue()
    settings.FIELD_ENCRYPTION_KEYS = [new]  # type: ignore[attr-defined]
    assert Connection.objects.get().password == B.password


def test_a_bridges_refusals_touch_only_its_own_connections_statistics() -> None:
    from dashboard.boards.refused import _save as save_refusals  # what the async store runs

    brand_b = connection_for("brand-b", "http://127.0.0.1:1", B)
    mine = Statistic.objects.create(name="Nope", object_type="Queue", object_id="8001@SIP_Switch")
    theirs = Statistic.objects.create(name="Nope", object_type="Queue", object_id="8001@SIP_Switch", connection=brand_b)
    save_refusals({theirs.key: "unknown statistic"}, "brand-b")
    save_refusals({mine.key: "not here either"})  # default's bridge: brand-b's row stays
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert (mine.refused, theirs.refused) == ("not here either", "unknown statistic")
    save_refusals({})
    theirs.refresh_from_db()
    assert theirs.refused == "unknown statistic"

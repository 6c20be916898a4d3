"""Settings read the environment through typed helpers that fail loudly."""

from __future__ import annotations

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from dashboard.project.env import env_bool, env_int, env_list, env_url
from tests.support.processes import ROOT


def test_env_bool_accepts_common_spellings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "Yes")
    assert env_bool("FLAG", False) is True
    monkeypatch.setenv("FLAG", "0")
    assert env_bool("FLAG", True) is False


def test_env_bool_rejects_garbage_naming_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "maybe")
    with pytest.raises(ImproperlyConfigured, match="FLAG must be a boolean"):
        env_bool("FLAG", False)


def test_env_int_checks_type_and_minimum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("N", "ten")
    with pytest.raises(ImproperlyConfigured, match="N must be an integer"):
        env_int("N", 1)
    monkeypatch.setenv("N", "3")
    with pytest.raises(ImproperlyConfigured, match="at least 5"):
        env_int("N", 10, minimum=5)


def test_env_list_splits_and_trims(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOSTS", " a.example , b.example,, ")
    assert env_list("HOSTS", []) == ["a.example", "b.example"]


def test_env_url_never_echoes_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "mysql://user:hunter2@db.example/x")
    with pytest.raises(ImproperlyConfigured) as raised:
        env_url("DATABASE_URL", ("postgres",))
    assert "hunter2" not in str(raised.value)
    assert "DATABASE_URL" in str(raised.value)


def _settings_error(**env: str) -> str:
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYS_", "DJANGO_"))}
    full_env.update(env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env={**full_env, "DJANGO_SETTINGS_MODULE": "dashboard.project.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    return result.stderr


def test_production_without_secret_key_refuses_to_start() -> None:
    assert "DJANGO_SECRET_KEY must be set" in _settings_error(DJANGO_DEBUG="false")


def test_bad_redis_url_names_the_variable() -> None:
    assert "REDIS_URL must be a URL" in _settings_error(REDIS_URL="http://127.0.0.1:6379")


def test_real_tenant_requires_client_credentials() -> None:
    error = _settings_error(GENESYS_API_BASE_URL="https://gapi-use1.genesyscloud.com", GENESYS_CLIENT_SECRET="")
    assert "GENESYS_CLIENT_SECRET" in error


def _bridge_auth_url(**env: str) -> str:
    """The auth base the bridge's frozen config gets from these variables."""
    import os

    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("GENESYS_", "DJANGO_"))}
    full_env.update(env, GENESYS_API_KEY="k", GENESYS_CLIENT_ID="c", GENESYS_CLIENT_SECRET="s")
    code = (
        "import django; django.setup(); from statsbridge.service import config_from_settings; "
        "print(config_from_settings().auth_url)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**full_env, "DJANGO_SETTINGS_MODULE": "dashboard.project.settings"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_auth_base_url_defaults_to_the_api_base_and_can_be_another_host() -> None:
    api = "https://gapi-use1.genesyscloud.com"
    assert _bridge_auth_url(GENESYS_API_BASE_URL=api) == api
    assert (
        _bridge_auth_url(GENESYS_API_BASE_URL=api, GENESYS_AUTH_BASE_URL="https://gws-usw1.genhtcc.com/")
        == "https://gws-usw1.genhtcc.com"
    )


def test_auth_base_url_is_checked_and_needs_the_api_base() -> None:
    assert "GENESYS_AUTH_BASE_URL must be a URL" in _settings_error(
        GENESYS_API_BASE_URL="https://gapi-use1.genesyscloud.com", GENESYS_AUTH_BASE_URL="gws-usw1"
    )
    assert "GENESYS_API_BASE_URL must be set too" in _settings_error(
        GENESYS_AUTH_BASE_URL="https://gws-usw1.genhtcc.com"
    )

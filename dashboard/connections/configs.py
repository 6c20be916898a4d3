"""The bridge configuration of every connection, read from settings and the database.

`default` is built from the GENESYS_* settings exactly as `config_from_settings` does
(the embedded default points it at the built-in simulator); each enabled `Connection`
row adds one more. Statistic rows with no connection belong to `default`.
Synchronous (reads the database): call it through `sync_to_async` from the event loop.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import Q

from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from statsbridge.config import BridgeConfig
from statsbridge.service import config_from_settings


def default_base_url() -> str:
    """The default connection's upstream: GENESYS_API_BASE_URL, else the built-in simulator."""
    return settings.GENESYS["API_BASE_URL"] or getattr(settings, "STATSBRIDGE_SIMULATOR_URL", "")


def config_of_row(row: Connection) -> BridgeConfig:
    return BridgeConfig(
        base_url=row.base_url.rstrip("/"),
        api_key=row.api_key,
        client_id=row.client_id,
        client_secret=row.client_secret,
        username=row.username,
        password=row.password,
        chunk_size=getattr(settings, "STATSBRIDGE_CHUNK_SIZE", 200),
        auth_base_url=row.auth_base_url.rstrip("/"),
    )


def connection_configs() -> dict[str, BridgeConfig]:
    """Every connection a bridge should run: `default` first, then enabled rows by name."""
    configs = {DEFAULT_CONNECTION: config_from_settings(default_base_url() or None)}
    for row in Connection.objects.filter(enabled=True).order_by("name"):
        configs[row.name] = config_of_row(row)
    return configs


def config_of(name: str) -> BridgeConfig:
    """One connection's configuration, enabled or not (a preflight may test a disabled
    one before enabling it). Raises Connection.DoesNotExist for an unknown name."""
    if name == DEFAULT_CONNECTION:
        return config_from_settings(default_base_url() or None)
    return config_of_row(Connection.objects.get(name=name))


def connection_of(statistic: Any) -> str:
    """The connection name a Statistic belongs to (no connection: `default`)."""
    if not statistic.connection_id:
        return DEFAULT_CONNECTION
    return statistic.connection.name


def statistics_of(name: str) -> Q:
    """A filter on Statistic for one connection's rows."""
    return statistics_of_path(name, "")


def statistics_of_path(name: str, path: str) -> Q:
    """`statistics_of` through a relation: path "statistic__" filters WidgetStatistic rows."""
    if name == DEFAULT_CONNECTION:
        return Q(**{f"{path}connection__isnull": True})
    return Q(**{f"{path}connection__name": name})

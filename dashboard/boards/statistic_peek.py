"""The "test this statistic" action: one-off reads from the upstream the bridge uses.

A pre-configured statistic is peeked; an ad-hoc definition, which the peek calls do not
serve, is opened alone in a subscription and closed at once. Either way Genesys, not our
grammar, says whether the statistic exists (statsbridge/definitions.py only warns).
"""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from django.conf import settings

from dashboard.boards.models import Statistic
from statsbridge.config import BridgeConfig
from statsbridge.exceptions import StatsBridgeError
from statsbridge.refusals import refused_statistics
from statsbridge.rest import StatisticsClient
from statsbridge.service import config_from_settings
from statsbridge.tokens import TokenProvider


def upstream_config() -> BridgeConfig:
    """The upstream the bridge uses: the tenant, or (embedded default) the built-in simulator."""
    base_url = settings.GENESYS["API_BASE_URL"] or getattr(
        settings, "STATSBRIDGE_SIMULATOR_URL", "http://127.0.0.1:8089"
    )
    return config_from_settings(base_url)


def peek_each_on_its_connection(stats: list[Statistic]) -> list[tuple[Any, str | None]]:
    """`peek_values` for statistics of several connections: each asks its own upstream
    (dashboard/connections), one token per connection."""
    from asgiref.sync import async_to_sync

    from dashboard.connections.configs import config_of, connection_of
    from dashboard.connections.models import DEFAULT_CONNECTION

    groups: dict[str, list[int]] = {}
    for index, stat in enumerate(stats):
        groups.setdefault(connection_of(stat), []).append(index)
    results: list[tuple[Any, str | None]] = [(None, None)] * len(stats)
    for name, indexes in groups.items():
        config = upstream_config() if name == DEFAULT_CONNECTION else config_of(name)
        for index, result in zip(indexes, async_to_sync(peek_values)(config, [stats[i] for i in indexes]), strict=True):
            results[index] = result
    return results


async def peek_values(config: BridgeConfig, stats: list[Statistic]) -> list[tuple[Any, str | None]]:
    """(value, None) or (None, the upstream's error) per statistic; one token for all."""
    async with httpx.AsyncClient() as http:
        client = StatisticsClient(config, http, TokenProvider(config, http))
        results: list[tuple[Any, str | None]] = []
        for stat in stats:
            try:
                results.append(await (_peek_named(client, stat) if stat.name else _open_once(client, stat)))
            except StatsBridgeError as error:  # messages carry no secrets (exceptions.py)
                results.append((None, str(error)))
        return results


# Reference: seed 002 "Statistics API", GET /statistic-values/{statisticName}
async def _peek_named(client: StatisticsClient, stat: Statistic) -> tuple[Any, str | None]:
    body = await client.peek_one(stat.name, stat.object_type, stat.object_id)
    return (body.get("data") or {}).get("statistic", {}).get("value"), None


# Reference: seed 002 "Create a subscription", "Delete a subscription": the peek calls
# serve pre-configured statistics only, so an ad-hoc one is opened alone and closed.
async def _open_once(client: StatisticsClient, stat: Statistic) -> tuple[Any, str | None]:
    operation = f"admin-test-{uuid.uuid4()}"
    try:
        body = await client.create_subscription(operation, [{"statisticId": "test", **stat.descriptor()}])
    finally:
        try:
            await client.delete_subscription(operation)
        except StatsBridgeError:
            pass  # fire-and-forget upstream too
    refused = refused_statistics(body, ["test"])
    if refused:
        return None, refused["test"]
    records = (body.get("data") or {}).get("statistics") or [{}]
    return records[0].get("value") if isinstance(records[0], dict) else None, None

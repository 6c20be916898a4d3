"""The Statistics REST client builds the documented URLs (docs/genesys-fidelity.md),
checked against the real simulator over loopback."""

from __future__ import annotations

import httpx
import pytest

from statsbridge.exceptions import SubscriptionError
from statsbridge.rest import StatisticsClient
from statsbridge.simulator.server import Simulator
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for


def _agent(simulator: Simulator) -> str:
    return next(o["objectId"] for o in simulator.center.objects() if o["objectType"] == "Agent")


async def test_peek_one_reads_the_documented_statistic_envelope(simulator: Simulator) -> None:
    config = config_for(simulator.base_url)
    async with httpx.AsyncClient() as http:
        client = StatisticsClient(config, http, TokenProvider(config, http))
        body = await client.peek_one("TimeInCurrentState", "Agent", _agent(simulator))
    assert body["status"]["code"] == 0
    assert isinstance(body["data"]["statistic"]["value"], (int, float, dict))
    assert isinstance(body["data"]["statistic"]["timestamp"], int)


@pytest.mark.parametrize("name", ["Waiting#Calls", "Waiting?Calls", "Waiting/Calls", "Service 80%"])
async def test_peek_one_sends_the_whole_statistic_name_as_one_path_segment(simulator: Simulator, name: str) -> None:
    """Unescaped, '#' starts a fragment, '?' a query and '/' a new segment: the upstream
    would be asked for another statistic ('Waiting') or none. The simulator's 404 names
    the statistic it was asked for, so the message shows what went over the wire."""
    config = config_for(simulator.base_url)
    async with httpx.AsyncClient() as http:
        client = StatisticsClient(config, http, TokenProvider(config, http))
        with pytest.raises(SubscriptionError) as refused:
            await client.peek_one(name, "Agent", _agent(simulator))
    assert f"statistic {name!r} is not configured" in str(refused.value)

"""An agent's statistics for today, read once from Genesys when the agent page asks
(every 30 s while it is open), not subscribed: 500 agents × a handful of statistics
would cost the tenant's subscription budget for pages nobody may open.

Reference: seed 002 "Get the values of statistics without a subscription"
(POST /statistics/v3/operations/get-statistic-ex, several statistics in one call). The
names are Genesys' usual pre-configured ones (dashboard/boards/statistic_labels.py);
their intervals (GrowingWindow since the start of the day) are the tenant's
configuration, as on a real Stat Server.
"""

from __future__ import annotations

import httpx

from dashboard.boards.statistic_labels import KNOWN_NAMES
from statsbridge.config import BridgeConfig
from statsbridge.exceptions import StatsBridgeError
from statsbridge.rest import StatisticsClient
from statsbridge.tokens import TokenProvider

AGENT_TODAY = ("TotalNumberInboundCalls", "TotalNumberCallsAnswered", "AverageHandlingTime", "AverageTalkTime")


async def agent_today(config: BridgeConfig, agent_id: str) -> dict:
    """{"statistics": [{name, label, unit, value}], "error": message or None}."""
    wanted = [{"name": n, "objectType": "Agent", "objectId": agent_id} for n in AGENT_TODAY]
    values: dict[str, object] = {}
    error = None
    try:
        async with httpx.AsyncClient(timeout=10) as http:
            body = await StatisticsClient(config, http, TokenProvider(config, http)).peek(wanted)
        for record in (body.get("data") or {}).get("statistics") or []:
            if isinstance(record, dict) and record.get("name") in AGENT_TODAY:
                values[record["name"]] = record.get("value")
    except StatsBridgeError as failure:  # messages carry no secrets (statsbridge/exceptions.py)
        error = str(failure)
    rows = [
        {"name": n, "label": str(KNOWN_NAMES[n][0]), "unit": KNOWN_NAMES[n][1], "value": _number(values.get(n))}
        for n in AGENT_TODAY
    ]
    return {"statistics": rows, "error": error}


def _number(value: object) -> float | None:
    return value if isinstance(value, int | float) and not isinstance(value, bool) else None

"""The embedded default's second connection: `brand-b`, a simulated tenant of its own
(statsbridge/simulator/tenants.py, hosted by dashboard/project/embedded_hosting.py),
and a dashboard mixing both brands' queues side by side. Created with the rest of the
demo content on a first run with the built-in simulator, never on a real tenant.
"""

from __future__ import annotations

from django.conf import settings

from dashboard.connections.models import Connection

DEMO_CONNECTION = "brand-b"
# A placeholder until `rundashboard` starts the tenant and points the row at it.
PLACEHOLDER_URL = "http://127.0.0.1:8090"
BRAND_A_QUEUES = [("8001@SIP_Switch", "Sales Inbound"), ("8002@SIP_Switch", "Support Inbound")]
BRAND_B_QUEUES = [("9001@SIP_Switch", "Sales Inbound"), ("9002@SIP_Switch", "Support Inbound")]


def ensure_demo_connection() -> list[str]:
    """The `brand-b` row, with the simulated tenant's credentials, if missing."""
    from dashboard.project.embedded_hosting import tenant_credentials

    if settings.GENESYS["API_BASE_URL"] is not None or Connection.objects.filter(name=DEMO_CONNECTION).exists():
        return []
    creds = tenant_credentials(DEMO_CONNECTION)
    Connection.objects.create(
        name=DEMO_CONNECTION,
        base_url=PLACEHOLDER_URL,
        api_key=creds.api_key,
        client_id=creds.client_id,
        client_secret=creds.client_secret,
        username=creds.username,
        password=creds.password,
    )
    return [f"connection {DEMO_CONNECTION}"]


def _queue(name: str, object_id: str, label: str, brand: str | None, unit: str = "count") -> dict:
    entry = {"name": name, "objectType": "Queue", "objectId": object_id, "label": label, "unit": unit}
    if brand:
        entry["connection"] = brand
    return entry


def brands_dashboard(groups: list[str]) -> dict:
    """Two clients' queues side by side: the default tenant's, then brand-b's."""

    def both(name: str, unit: str = "count") -> list[dict]:
        a = [_queue(name, q, f"A · {label}", None, unit) for q, label in BRAND_A_QUEUES]
        b = [_queue(name, q, f"B · {label}", DEMO_CONNECTION, unit) for q, label in BRAND_B_QUEUES]
        return a + b

    return {
        "slug": "brands",
        "title": "Brands A and B",
        "columns": 4,
        "groups": groups,
        "widgets": [
            {
                "type": "kpi",
                "title": "Brand A waiting",
                "statistics": [_queue("CurrentNumberWaitingCalls", *BRAND_A_QUEUES[0], None)],
                "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
            },
            {
                "type": "kpi",
                "title": "Brand B waiting",
                "statistics": [_queue("CurrentNumberWaitingCalls", *BRAND_B_QUEUES[0], DEMO_CONNECTION)],
                "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
            },
            {
                "type": "bar",
                "title": "Calls waiting by brand",
                "width": 2,
                "statistics": both("CurrentNumberWaitingCalls"),
            },
            {
                "type": "agent-grid",
                "title": "Brand B agents",
                "width": 4,
                "statistics": _brand_b_agents(),
            },
            {
                "type": "table",
                "title": "Both brands' queues",
                "width": 4,
                "statistics": both("CurrentNumberWaitingCalls") + both("CurrentMaxCallWaitingTime", "duration"),
            },
        ],
    }


def _brand_b_agents() -> list[dict]:
    from dashboard.project.embedded_hosting import tenant_agents

    return [
        {
            "name": "CurrentAgentState",
            "objectType": "Agent",
            "objectId": agent,
            "label": name,
            "connection": DEMO_CONNECTION,
        }
        for agent, name in tenant_agents(DEMO_CONNECTION)
    ]

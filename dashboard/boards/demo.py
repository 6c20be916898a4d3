"""Demo content for the embedded default: created once, never on a real tenant.

The dashboards are a dashboard file (dashboard/boards/files.py) over the built-in
simulator's default contact center (50 agents, 8 queues, seed 0). Two skill sources
point at the same simulator (an empty base URL means "the built-in simulator"), so
the first periodic skills sync fills the skill coverage widget and the agents' tags.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from dashboard.boards.files import import_dashboards

DEMO_LOGINS = (("admin", "admin"), ("supervisor", "supervisor"))
SUPERVISORS_GROUP = "Supervisors"
QUEUES = [f"800{n}@SIP_Switch" for n in range(1, 9)]
QUEUE_NAMES = [
    "Sales Inbound",
    "Support Inbound",
    "Billing Inbound",
    "Retention Inbound",
    "Sales Priority",
    "Support Priority",
    "Billing Priority",
    "Retention Priority",
]


def _stat(name: str, object_type: str, object_id: str, label: str = "", unit: str = "count") -> dict:
    entry = {"name": name, "objectType": object_type, "objectId": object_id, "unit": unit}
    if label:
        entry["label"] = label
    return entry


def _tenant(name: str, unit: str = "count", label: str = "") -> dict:
    return _stat(name, "Tenant", "Environment", label=label, unit=unit)


def demo_file() -> dict:
    from dashboard.project.embedded_hosting import simulator_agent_names

    names = simulator_agent_names()
    agents = [(f"agent{n:03d}", names.get(f"agent{n:03d}", "")) for n in range(1, 25)]

    def per_queue(name: str, unit: str = "count") -> list[dict]:
        return [_stat(name, "Queue", q, label, unit) for q, label in zip(QUEUES, QUEUE_NAMES, strict=True)]

    group = [SUPERVISORS_GROUP]
    return {
        "dashboards": [
            {
                "slug": "agents",
                "title": "Agents",
                "columns": 4,
                "groups": group,
                "widgets": [
                    {
                        "type": "kpi",
                        "title": "Ready agents",
                        "statistics": [_tenant("CurrentNumberReadyAgents")],
                        "thresholds": {"warning": 6, "critical": 3, "direction": "below"},
                    },
                    {"type": "kpi", "title": "On calls", "statistics": [_tenant("CurrentNumberBusyAgents")]},
                    {
                        "type": "kpi",
                        "title": "Not ready",
                        "statistics": [_tenant("CurrentNumberNotReadyAgents")],
                        "thresholds": {"warning": 10, "critical": 15, "direction": "above"},
                    },
                    {
                        "type": "donut",
                        "title": "Agent states",
                        "statistics": [
                            _tenant("CurrentNumberReadyAgents", label="Ready"),
                            _tenant("CurrentNumberBusyAgents", label="On call"),
                            _tenant("CurrentNumberAfterCallWorkAgents", label="Wrap-up"),
                            _tenant("CurrentNumberNotReadyAgents", label="Not ready"),
                        ],
                    },
                    {
                        "type": "skill-coverage",
                        "title": "Skill coverage",
                        "width": 4,
                        "skills": ["English", "Spanish", "French"],
                        "thresholds": {"warning": 2, "critical": 1, "direction": "below"},
                    },
                    {
                        "type": "agent-grid",
                        "title": "Agents",
                        "width": 4,
                        "statistics": [_stat("CurrentAgentState", "Agent", a, label=name) for a, name in agents],
                    },
                ],
            },
            {
                "slug": "queues",
                "title": "Queues",
                "columns": 4,
                "groups": group,
                "widgets": [
                    {
                        "type": "kpi",
                        "title": "Calls waiting",
                        "statistics": [_tenant("CurrentNumberWaitingCalls")],
                        "thresholds": {"warning": 5, "critical": 10, "direction": "above"},
                    },
                    {
                        "type": "kpi",
                        "title": "Longest wait",
                        "statistics": [_tenant("CurrentMaxCallWaitingTime", "duration")],
                        "thresholds": {"warning": 60, "critical": 120, "direction": "above"},
                    },
                    {"type": "kpi", "title": "Calls offered", "statistics": [_tenant("TotalNumberInboundCalls")]},
                    {"type": "kpi", "title": "Abandoned", "statistics": [_tenant("TotalNumberAbandonedCalls")]},
                    {
                        "type": "bar",
                        "title": "Waiting per queue",
                        "width": 2,
                        "statistics": per_queue("CurrentNumberWaitingCalls"),
                    },
                    {
                        "type": "table",
                        "title": "Queues",
                        "width": 2,
                        "statistics": per_queue("CurrentNumberWaitingCalls")
                        + per_queue("CurrentMaxCallWaitingTime", "duration"),
                    },
                    {
                        "type": "line",
                        "title": "Calls waiting (trend)",
                        "width": 4,
                        "statistics": [_tenant("CurrentNumberWaitingCalls")],
                    },
                ],
            },
            {
                "slug": "service-level",
                "title": "Service level",
                "columns": 4,
                "groups": group,
                "widgets": [
                    {
                        "type": "gauge",
                        "title": "Service level",
                        "statistics": [_tenant("ServiceFactor", "percent")],
                        "thresholds": {"warning": 80, "critical": 70, "direction": "below"},
                    },
                    {
                        "type": "kpi",
                        "title": "Speed of answer",
                        "statistics": [_tenant("AverageSpeedOfAnswer", "duration")],
                        "thresholds": {"warning": 20, "critical": 40, "direction": "above"},
                    },
                    {
                        "type": "kpi",
                        "title": "Handling time",
                        "statistics": [_tenant("AverageHandlingTime", "duration")],
                    },
                    {"type": "kpi", "title": "Answered", "statistics": [_tenant("TotalNumberCallsAnswered")]},
                    {
                        "type": "bar",
                        "title": "Service level per queue",
                        "width": 4,
                        "statistics": per_queue("ServiceFactor", "percent"),
                        "thresholds": {"warning": 80, "critical": 70, "direction": "below"},
                    },
                ],
            },
        ],
        "wallboards": [
            {
                "slug": "floor",
                "title": "Floor",
                "dashboards": ["agents", "queues", "service-level"],
                "rotate_seconds": 30,
                "theme": "dark",
            },
        ],
    }


def demo_logins_allowed() -> bool:
    """The well-known demo logins exist only for a developer's embedded default: in
    debug and with the built-in simulator upstream, never in production (issue 14)."""
    return bool(settings.DEBUG) and settings.GENESYS["API_BASE_URL"] is None


def demo_logins_still_working() -> list[str]:
    """Demo logins that still open with their well-known password (made by an earlier
    debug run of this database), for a warning at a production start."""
    return [
        name
        for name, password in DEMO_LOGINS
        if (user := User.objects.filter(username=name, is_active=True).first()) and user.check_password(password)
    ]


@transaction.atomic
def ensure_demo_content(logins: bool = True) -> list[str]:
    """Create the demo dashboards (and with `logins` the demo users) if missing;
    return what was made. Never makes users while a real upstream is configured."""
    made: list[str] = []
    supervisors, _ = Group.objects.get_or_create(name=SUPERVISORS_GROUP)
    if logins and settings.GENESYS["API_BASE_URL"] is None:
        made += _demo_users(supervisors)
    from dashboard.boards.models import Dashboard

    if not Dashboard.objects.exists():
        made += _demo_dashboards()
    made += _demo_skill_sources()
    return made


def _demo_dashboards() -> list[str]:
    """The demo file; with the built-in simulator also the second connection and a
    dashboard mixing both (dashboard/connections/demo.py)."""
    from dashboard.connections.demo import brands_dashboard, ensure_demo_connection

    data, made = demo_file(), ensure_demo_connection()
    if made:
        data["dashboards"].append(brands_dashboard([SUPERVISORS_GROUP]))
    return made + import_dashboards(data).created


def _demo_users(supervisors: Group) -> list[str]:
    made: list[str] = []
    if not User.objects.filter(username="admin").exists():
        User.objects.create_superuser("admin", "admin@example.invalid", "admin")
        made.append("user admin")
    if not User.objects.filter(username="supervisor").exists():
        user = User.objects.create_user("supervisor", "supervisor@example.invalid", "supervisor")
        user.groups.add(supervisors)
        made.append("user supervisor")
    return made


def _demo_skill_sources() -> list[str]:
    """Both skill sources of the built-in simulator, unless any source exists (an admin
    who wants none disables them: deleting them all brings them back)."""
    from dashboard.project.embedded_hosting import simulator_skill_credentials
    from dashboard.skills.models import SkillSource

    creds = simulator_skill_credentials()

    if SkillSource.objects.exists():
        return []
    SkillSource.objects.create(
        name="Simulator Web Services",
        kind=SkillSource.Kind.WEB_SERVICES,
        username=creds.ws_username,
        secret=creds.ws_password,
    )
    SkillSource.objects.create(
        name="Simulator skill clusters", kind=SkillSource.Kind.SKILL_EXPORT, secret=creds.export_token
    )
    return ["skill source Simulator Web Services", "skill source Simulator skill clusters"]

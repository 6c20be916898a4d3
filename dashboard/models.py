"""Django loads the app's models from here (its registry, makemigrations); each
domain keeps its own models module, and code imports from that."""

from __future__ import annotations

from dashboard.access.models import UpstreamAuthorization, WallboardToken
from dashboard.alerts.models import AlertEvent, AlertRule, Level, NotificationChannel
from dashboard.boards.models import (
    ConfigRevision,
    Dashboard,
    Statistic,
    Wallboard,
    WallboardPage,
    Widget,
    WidgetStatistic,
)
from dashboard.builder.models import DashboardDraft, DashboardVersion, DraftEditor
from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from dashboard.floor.models import FloorMessage
from dashboard.history.models import HistoryBucket
from dashboard.i18n.models import LanguagePreference
from dashboard.personal.models import PersonalDashboard
from dashboard.skills.models import AgentMapping, AgentSkill, AgentSkillCluster, Skill, SkillCluster, SkillSource
from dashboard.supervisor.models import AgentGroupMember, QueueRouting

__all__ = [
    "Statistic",
    "Dashboard",
    "Widget",
    "WidgetStatistic",
    "ConfigRevision",
    "Wallboard",
    "WallboardPage",
    "WallboardToken",
    "UpstreamAuthorization",
    "SkillSource",
    "Skill",
    "AgentMapping",
    "AgentSkill",
    "SkillCluster",
    "AgentSkillCluster",
    "Level",
    "NotificationChannel",
    "AlertRule",
    "AlertEvent",
    "DashboardDraft",
    "DashboardVersion",
    "DraftEditor",
    "Connection",
    "DEFAULT_CONNECTION",
    "LanguagePreference",
    "QueueRouting",
    "AgentGroupMember",
    "FloorMessage",
    "PersonalDashboard",
    "HistoryBucket",
]

"""Django loads the app's models from here (its registry, makemigrations); each
domain keeps its own models module, and code imports from that."""
from __future__ import annotations

from dashboard.boards.models import Statistic, Dashboard, Widget, WidgetStatistic, Wallboard, WallboardPage
from dashboard.access.models import WallboardToken, UpstreamAuthorization
from dashboard.skills.models import SkillSource, Skill, AgentMapping, AgentSkill, SkillCluster, AgentSkillCluster
from dashboard.alerts.models import Level, NotificationChannel, AlertRule, AlertEvent
from dashboard.builder.models import DashboardDraft, DashboardVersion

__all__ = ["Statistic", "Dashboard", "Widget", "WidgetStatistic", "Wallboard", "WallboardPage", "WallboardToken", "UpstreamAuthorization", "SkillSource", "Skill", "AgentMapping", "AgentSkill", "SkillCluster", "AgentSkillCluster", "Level", "NotificationChannel", "AlertRule", "AlertEvent", "DashboardDraft", "DashboardVersion"]

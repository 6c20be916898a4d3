"""Django's admin autodiscovery imports this module: each domain registers its own pages."""

from __future__ import annotations

from dashboard.alerts import admin as alerts_admin
from dashboard.boards import admin as boards_admin
from dashboard.builder import admin as builder_admin
from dashboard.connections import admin as connections_admin
from dashboard.skills import admin as skills_admin

__all__ = ["boards_admin", "skills_admin", "alerts_admin", "builder_admin", "connections_admin"]

"""`export_dashboards`: the code lives in dashboard/boards/commands/export_dashboards.py; Django finds commands here."""

from dashboard.boards.commands.export_dashboards import Command

__all__ = ["Command"]

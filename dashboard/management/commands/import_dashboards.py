"""`import_dashboards`: the code lives in dashboard/boards/commands/import_dashboards.py; Django finds commands here."""

from dashboard.boards.commands.import_dashboards import Command

__all__ = ["Command"]

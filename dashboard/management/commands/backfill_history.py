"""`backfill_history`: the code lives in dashboard/project/commands/backfill_history.py; Django finds commands here."""

from dashboard.project.commands.backfill_history import Command

__all__ = ["Command"]

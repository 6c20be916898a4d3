"""`rundashboard`: the code lives in dashboard/project/commands/rundashboard.py; Django finds commands here."""

from dashboard.project.commands.rundashboard import Command

__all__ = ["Command"]

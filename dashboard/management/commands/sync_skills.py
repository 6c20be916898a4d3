"""`sync_skills`: the code lives in dashboard/skills/commands/sync_skills.py; Django finds commands here."""

from dashboard.skills.commands.sync_skills import Command

__all__ = ["Command"]

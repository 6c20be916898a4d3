"""`wallboard_url`: the code lives in dashboard/access/commands/wallboard_url.py; Django finds commands here."""

from dashboard.access.commands.wallboard_url import Command

__all__ = ["Command"]

"""`rotate_secrets`: the code lives in dashboard/access/commands/rotate_secrets.py; Django finds commands here."""

from dashboard.access.commands.rotate_secrets import Command

__all__ = ["Command"]

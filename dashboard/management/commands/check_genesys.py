"""`check_genesys`: the code lives in dashboard/access/commands/check_genesys.py; Django finds commands here."""

from dashboard.access.commands.check_genesys import Command

__all__ = ["Command"]

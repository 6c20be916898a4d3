"""The project's management commands (shells in dashboard/management/commands)."""

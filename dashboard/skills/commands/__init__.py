"""The skills sync command (shell in dashboard/management/commands)."""

"""Kiosk URLs and secrets (shells in dashboard/management/commands)."""

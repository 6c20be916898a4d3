"""Dashboard files in and out (shells in dashboard/management/commands)."""

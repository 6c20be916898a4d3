"""Supervisors' drill-down: which agents serve a queue, their live grid, an agent's day."""

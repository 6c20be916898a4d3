"""Alerts: rules on dashboard widgets, notification channels, the engine that raises,
repeats and clears alerts next to the leading bridge, delivery with retries, history.

Flow (docs/architecture.md, "Alerts"): bridge values -> `engine.AlertEngine` (in memory,
on the bridge's loop) -> events -> `frames` (the fan-out, to the dashboard's sockets),
`delivery.DeliveryQueue` (one worker per channel) and `history.EventWriter` (batched rows).
"""

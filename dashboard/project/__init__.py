"""The Django project: settings, env, ASGI, URLs and WebSocket routing, /metrics,
and the hosting of services on daphne's loop (rundashboard, the embedded default)."""

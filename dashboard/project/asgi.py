"""ASGI entry point: HTTP through Django; WebSockets through Channels with the
session (AuthMiddlewareStack, less a thread hop for cookieless sockets:
dashboard/realtime/auth_stack.py) and an Origin check against ALLOWED_HOSTS, which
refuses foreign, `null` and missing Origins before the consumer sees them (counted:
dashboard/realtime/ws_guards.py); a path with no route is refused too (routing.py).
`TransportProbe` (outermost) lets the fan-out see how far behind each reader is; under
daphne (rundashboard, or the `daphne` command: both import daphne.server first) the
private names it reads are checked here, at start-up, before any socket is served."""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.project.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from dashboard.project.routing import websocket_urlpatterns  # noqa: E402
from dashboard.realtime.auth_stack import socket_auth_stack  # noqa: E402
from dashboard.realtime.transport import TransportProbe, check_private_names  # noqa: E402
from dashboard.realtime.ws_guards import CountingOriginValidator  # noqa: E402

if "daphne.server" in sys.modules:
    check_private_names()

application = ProtocolTypeRouter(
    {
        "http": django_application,
        "websocket": TransportProbe(CountingOriginValidator(socket_auth_stack(URLRouter(websocket_urlpatterns)))),
    }
)

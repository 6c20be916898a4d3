"""ASGI entry point: HTTP through Django, WebSockets through Channels' router."""
from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.settings")

from channels.routing import ProtocolTypeRouter  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_application = get_asgi_application()

application = ProtocolTypeRouter({"http": django_application})

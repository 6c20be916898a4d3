"""Every close code a dashboard WebSocket can end with, and what a client may do about it.

Browsers and autobahn (under daphne) accept only 1000 and 3000-4999 from an
application; 1008/1009 sent by the consumer were refused (1011 and a traceback), so
the application's own reasons are 4xxx. The server's own 1009 still comes from
autobahn when a message exceeds daphne's limit (dashboard/project/server_options.py) before
the application sees it. static/js/socket.js reconnects on every one of them (with
backoff): a kiosk whose token was revoked keeps asking and keeps being refused.

| code | sent by | meaning |
|------|---------|---------|
| 1009 | autobahn | a message over `MAX_SERVER_MESSAGE_BYTES` (server_options.py) |
| 4008 | consumer | rate limited: more than `MAX_INBOUND_PER_SECOND` messages in a second |
| 4009 | consumer | message too big: over `MAX_INBOUND_BYTES` |
| 4401 | access watcher | signed out, user disabled, or token revoked since the socket opened |

A socket refused at the handshake (no access, foreign Origin, no such path) gets
HTTP 403 and no close code: the handshake never completes.
"""

from __future__ import annotations

RATE_LIMITED = 4008
TOO_BIG = 4009
ACCESS_ENDED = 4401
SERVER_TOO_BIG = 1009

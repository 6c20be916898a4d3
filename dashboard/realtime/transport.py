"""How far behind a WebSocket's reader is, and a quick way to write to it.

A wallboard on a bad Wi-Fi link, or a browser tab that froze, stops reading. TCP
buffers fill, then Twisted buffers every further frame in memory without limit. The
fan-out (dashboard/realtime/local_socket.py) asks `backlog()` before each frame, coalesces
while a reader is behind and closes a socket that stays behind (issue 7, row 9).

ASGI has no such call, so `TransportProbe` (the outermost WebSocket middleware) finds
daphne's protocol behind the `send` callable daphne hands to the application, and
puts a `TransportHandle` in the scope. Under another server (or a test communicator)
there is no handle and sockets are never judged slow; nor behind TLS that daphne itself
terminates (put TLS at the proxy).

This reads Twisted's and daphne's private names (`PRIVATE_NAMES`), so there are no
`getattr` defaults here: under daphne, dashboard/project/asgi.py calls `check_private_names()` at
start-up, which fails naming any name the installed versions lack (they are locked in
requirements.txt), instead of sockets silently never being judged slow.
"""

from __future__ import annotations

import functools
import inspect
import socket
from collections.abc import Awaitable, Callable
from typing import Any

from statsbridge.private_names import PrivateNameMissing, Reach, require

SCOPE_KEY = "dashboard.transport"


class _NoReactor:
    """Handed to Twisted's constructor when we only look at the attributes it sets
    (without it, Twisted would install its default reactor on the side)."""


def _tcp_connection(cls: type) -> object:
    with socket.socket() as skt:
        return cls(skt, None, reactor=_NoReactor())


PRIVATE_NAMES = (
    # The TCP transport under each daphne WebSocket: its write buffer (backlog, direct writes).
    Reach(
        "twisted.internet.tcp:Connection",
        (
            "dataBuffer",
            "offset",
            "_tempDataLen",
            "_writeDisconnected",
            "connected",
            "disconnecting",
            "socket",
            "TLS",
            "write",
            "abortConnection()",
        ),
        sample=_tcp_connection,
    ),
    # daphne's protocol, found behind the ASGI `send` (autobahn underneath). `state` is set
    # only once connected, so it is read without a default: missing, it raises at the first frame.
    Reach(
        "daphne.ws_protocol:WebSocketProtocol",
        # `send_queue`, `send_state` and `_perMessageCompress` are set per connection (in
        # `_connectionMade`): read without defaults, missing they raise at the first frame.
        ("transport", "serverSend", "STATE_OPEN", "SEND_STATE_GROUND", "sendMessage(payload, isBinary)"),
    ),
    Reach("daphne.server:Server", ("handle_reply(protocol, message)", "create_application")),
)


def check_private_names() -> None:
    """Fail loudly if installed daphne/Twisted/autobahn lack a name `TransportHandle` uses,
    or if daphne stopped handing applications `partial(server.handle_reply, protocol)`."""
    require(PRIVATE_NAMES, "dashboard/realtime/transport.py (daphne, Twisted, autobahn)")
    from dashboard.realtime import layer_drain

    require(layer_drain.PRIVATE_NAMES, "dashboard/realtime/layer_drain.py (channels-redis)")
    from daphne.server import Server

    if "partial(self.handle_reply, protocol)" not in inspect.getsource(Server.create_application):
        raise PrivateNameMissing(
            "dashboard/realtime/transport.py: daphne.server.Server.create_application no longer "
            "passes send=partial(self.handle_reply, protocol); sockets would never be judged slow"
        )


def _under_wrappers(transport: Any) -> Any:
    """The TCP transport itself, under any protocol wrapper (rundashboard's header
    deadline, dashboard/project/server_options.py, sits between daphne's protocol and the socket:
    without this, slow readers were silently never detected)."""
    while transport is not None and hasattr(transport, "wrappedProtocol"):
        transport = transport.transport
    return transport


class TransportHandle:
    """The pending-bytes count, a quick write and a hard close of one daphne WebSocket."""

    def __init__(self, protocol: Any) -> None:
        self._protocol = protocol
        transport = _under_wrappers(protocol.transport)
        self._tcp = transport if _is_plain_tcp(transport) else None
        if self._tcp is not None:
            self._buffered_write = transport.write
            transport.write = self._write_through

    def _write_through(self, data: bytes) -> None:
        """Send at once when nothing is queued, as asyncio's own transports do.

        Twisted buffers every write and registers the socket with the selector until
        the next loop turn; on the asyncio reactor that is an `epoll_ctl` (and a
        selector-key rebuild) to add and another to remove, per frame per socket: a
        third of the process's CPU with 5,000 wallboards. Anything not taken by the
        kernel goes to Twisted's buffer as before, so order and back-pressure hold.
        """
        transport = self._tcp
        if (
            transport.connected
            and not transport.disconnecting
            and not transport._writeDisconnected
            and not transport._tempDataLen
            and len(transport.dataBuffer) == transport.offset
        ):
            try:
                sent = transport.socket.send(data)
            except OSError:  # would block, or broken: Twisted's own write path decides
                sent = 0
            if sent == len(data):
                return
            data = data[sent:]
        self._buffered_write(data)

    def backlog(self) -> int:
        """Bytes written by the application and not yet taken by the kernel."""
        tcp = self._tcp
        if tcp is None:
            return 0  # not plain TCP: not measured (module docstring)
        return len(tcp.dataBuffer) - tcp.offset + tcp._tempDataLen

    def send_frame(self, payload: bytes, framed: bytes | None = None) -> None:
        """Write a UTF-8 text frame straight to daphne's protocol. The fan-out writes
        one frame to hundreds of sockets: going through the consumer's `send` (the
        session wrapper, daphne's `handle_reply`, a fresh encode) cost a third more.
        `framed`: the same frame already framed (`text_frame`), written as it is when
        autobahn would write exactly those bytes (no compression negotiated, nothing of
        its own queued, not inside a fragmented message): autobahn's framing, checks and
        debug-line arguments per socket were a fifth of the fan-out's time at 1,100 sockets."""
        protocol = self._protocol
        if protocol.state != protocol.STATE_OPEN:
            raise ConnectionError("the socket is not open")
        if framed is None or not self.write_now(framed):
            protocol.sendMessage(payload, False)  # autobahn frames it; our write path keeps the order

    def write_now(self, framed: bytes) -> bool:
        """The fan-out's fast path: write `framed` (a `text_frame`) when nothing is queued
        before it anywhere (autobahn's send queue, Twisted's buffer) and the socket is
        open without compression; what the kernel does not take goes to Twisted's buffer,
        in order. False: nothing was written, use `send_frame`. One call instead of the
        relay's four checks and two writes per socket (docs/performance.md, "5,000
        sockets, steady state")."""
        protocol, tcp = self._protocol, self._tcp
        if (
            tcp is None
            or protocol.state != protocol.STATE_OPEN
            or protocol._perMessageCompress is not None
            or protocol.send_queue
            or protocol.send_state != protocol.SEND_STATE_GROUND
            or not tcp.connected
            or tcp.disconnecting
            or tcp._writeDisconnected
            or tcp._tempDataLen
            or len(tcp.dataBuffer) != tcp.offset
        ):
            return False
        try:
            sent = tcp.socket.send(framed)
        except OSError:  # would block, or broken: Twisted's own write path decides
            sent = 0
        if sent != len(framed):
            self._buffered_write(framed[sent:])
        return True

    def abort(self) -> None:
        """Drop the TCP connection at once: a close frame would queue behind the backlog."""
        transport = _under_wrappers(self._protocol.transport)
        if transport is not None:
            transport.abortConnection()


def text_frame(payload: bytes) -> bytes:
    """`payload` as one RFC 6455 text frame from a server: FIN, opcode 1, unmasked, no
    extension; what autobahn's `sendMessage` writes for it (daphne sets no fragment size
    and accepts no compression), built once per frame for all of a relay's sockets."""
    size = len(payload)
    if size <= 125:
        return bytes((0x81, size)) + payload
    if size <= 0xFFFF:
        return b"\x81\x7e" + size.to_bytes(2, "big") + payload
    return b"\x81\x7f" + size.to_bytes(8, "big") + payload


def _is_plain_tcp(transport: Any) -> bool:
    try:
        from twisted.internet.tcp import Connection
    except ImportError:
        return False
    return isinstance(transport, Connection) and not transport.TLS


def handle_for(send: Callable[..., Awaitable[None]]) -> TransportHandle | None:
    # daphne: send = functools.partial(server.handle_reply, protocol)
    if isinstance(send, functools.partial) and send.args:
        protocol = send.args[0]
        if hasattr(protocol, "transport") and hasattr(protocol, "serverSend"):
            return TransportHandle(protocol)
    return None


class TransportProbe:
    """ASGI middleware: adds `scope["dashboard.transport"]` for WebSockets under daphne."""

    def __init__(self, app: Callable) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Callable, send: Callable) -> None:
        handle = handle_for(send) if scope.get("type") == "websocket" else None
        if handle is not None:
            scope = dict(scope, **{SCOPE_KEY: handle})
        await self.app(scope, receive, send)

"""How daphne is started by `rundashboard`: every limit set on purpose, and a deadline
for request headers that daphne and Twisted do not have.

Autobahn cuts any inbound message over `MAX_SERVER_MESSAGE_BYTES` itself (close 1009)
before it is buffered whole or reaches the application; the consumer's own 4 KiB cap
answers 4009 below that (dashboard/realtime/close_codes.py). The limit cannot be lower: autobahn
applies it to what we send too, and snapshot parts go up to 512 KB
(statsbridge/messages.py MAX_FRAME_BYTES); at 64 KiB every big snapshot was refused.

Twisted's idle timeout is reset by every byte, so a client that dribbles its request
headers (slow-loris) would hold a connection for days;
`HeaderDeadline` aborts a connection whose first request's headers are not complete
within `HEADER_DEADLINE_SECONDS`. Later requests on a kept-alive connection are
bounded by Twisted's idle timeout (60 s between bytes) and its 16 KB header cap.
"""

from __future__ import annotations

from typing import Any

from daphne.server import Server
from daphne.ws_protocol import WebSocketProtocol
from twisted.protocols.policies import ProtocolWrapper, WrappingFactory

from dashboard.realtime.close_codes import SERVER_TOO_BIG
from dashboard.realtime.rejections import reject

MAX_SERVER_MESSAGE_BYTES = 1024 * 1024  # daphne's default, now on purpose
HEADER_DEADLINE_SECONDS = 10.0
# Connections the kernel queues before daphne accepts them. Twisted's default is 50: in a
# connect storm of 200 the rest had their SYNs dropped and were retried by their clients a
# second later (time to snapshot p95 1.06 s instead of ~0.1 s). Capped by net.core.somaxconn.
LISTEN_BACKLOG = 1024
# ... and how many of them one turn of the event loop accepts. Twisted accepts up to 100
# and more per turn (+20 each time it emptied the queue); each builds its protocols, so a
# queue of 200 was an 85 ms turn in which no frame went out to the sockets already open.
ACCEPTS_PER_TURN = 16

DAPHNE_OPTIONS: dict[str, Any] = {
    "websocket_timeout": -1,  # wallboards stay connected for days
    "websocket_max_message_size": MAX_SERVER_MESSAGE_BYTES,
    "websocket_max_frame_size": MAX_SERVER_MESSAGE_BYTES,
    # autobahn's limit from the upgrade to the application's accept (the headers are in
    # by then). At daphne's 5 s, a burst of 200 handshakes on a busy 2-core machine had
    # 55-145 of them reset; at 20 s all opened (docs/reliability.md, row 19).
    "websocket_handshake_timeout": 20,
    "websocket_connect_timeout": 20,  # the consumer accepts or refuses within 20 s
    "ping_interval": 20,
    "ping_timeout": 30,  # a dead peer is noticed in under a minute
    "http_timeout": 120,  # a view that has not answered in 2 minutes gets 503
    # No proxy headers: X-Forwarded-For from a client is never trusted as its address.
    "proxy_forwarded_address_header": None,
    "proxy_forwarded_port_header": None,
    "proxy_forwarded_proto_header": None,
}


class HeaderDeadline(ProtocolWrapper):
    """Aborts the connection unless its first request's headers end in time."""

    def connectionMade(self) -> None:
        # Imported here: daphne.server must install the asyncio reactor first.
        from twisted.internet import reactor

        self._tail = b""
        self._deadline = reactor.callLater(self.factory.seconds, self._too_slow)
        super().connectionMade()

    def dataReceived(self, data: bytes) -> None:
        if self._deadline is not None:
            self._tail = self._tail[-3:] + data
            if b"\r\n\r\n" in self._tail:
                self._cancel()
        super().dataReceived(data)

    def connectionLost(self, reason: Any) -> None:
        self._cancel()
        super().connectionLost(reason)

    def _cancel(self) -> None:
        if self._deadline is not None and self._deadline.active():
            self._deadline.cancel()
        self._deadline, self._tail = None, b""

    def _too_slow(self) -> None:
        self._deadline = None
        peer = self.getPeer()
        reject("http", "slow_headers", f"{getattr(peer, 'host', '?')} after {self.factory.seconds:g} s")
        self.abortConnection()


class HeaderDeadlineFactory(WrappingFactory):
    protocol = HeaderDeadline

    def __init__(self, wrapped: Any, seconds: float) -> None:
        super().__init__(wrapped)
        self.seconds = seconds


class HardenedServer(Server):
    """daphne's Server with `HeaderDeadline` around its HTTP factory (which `run()` builds
    and listens with; every socket, WebSockets included, starts as HTTP), and a
    WebSocket factory that closes oversized messages with a frame and counts them."""

    @property
    def http_factory(self) -> Any:
        return self._http_factory

    @http_factory.setter
    def http_factory(self, factory: Any) -> None:
        self._http_factory = HeaderDeadlineFactory(factory, HEADER_DEADLINE_SECONDS)

    def listen_success(self, port: Any) -> None:
        if hasattr(port, "numberAccepts"):  # a TCP port (not a UNIX socket or an fd)
            cap_accepts(port)
        super().listen_success(port)

    @property
    def ws_factory(self) -> Any:
        return self._ws_factory

    @ws_factory.setter
    def ws_factory(self, factory: Any) -> None:
        # Send the close frame (1009) rather than drop the TCP connection: with the rest
        # of a big message unread, a drop is a reset, and the client sees only 1006.
        factory.setProtocolOptions(failByDrop=False)
        factory.protocol = GuardedWebSocketProtocol
        self._ws_factory = factory


def cap_accepts(port: Any, most: int = ACCEPTS_PER_TURN) -> None:
    """At most `most` connections accepted per call of the listening port's `doRead`
    (Twisted's `Port.numberAccepts`, which it raises by itself between calls): the rest
    wait in the kernel's queue for the next turn, after the frames due meanwhile."""
    read = port.doRead

    def doRead() -> Any:
        port.numberAccepts = min(port.numberAccepts, most)
        return read()

    port.doRead = doRead


class GuardedWebSocketProtocol(WebSocketProtocol):
    """daphne's protocol, counting the messages autobahn cut for size (the application
    never hears why: it gets a plain disconnect), and dropping what the application
    sends while the socket is closing: autobahn raises for it, and daphne logs that as
    an ERROR "inside application" though nobody is left to read the frame."""

    def serverSend(self, content: str | bytes, binary: bool = False) -> None:
        if self.state in (self.STATE_CLOSING, self.STATE_CLOSED):
            return
        super().serverSend(content, binary)

    def onClose(self, wasClean: bool, code: int | None, reason: str | None) -> None:
        if getattr(self, "localCloseCode", None) == SERVER_TOO_BIG and getattr(self, "failedByMe", False):
            peer = getattr(self, "client_addr", None) or ["?"]
            reject("ws", "too_big", f"{peer[0]} {getattr(self, 'path', b'').decode('latin1')} (server limit)")
        super().onClose(wasClean, code, reason)

"""A lighter bench client for thousands of wallboard sockets: WebSocket frames parsed by
hand on a bare asyncio Protocol (`--client raw` in e2e_latency.py and connect_storm.py).

Why: with 5,000 sockets over two web processes the bench's own aiohttp clients need
about as much CPU as the server (a task, a future and a message object per frame), on
the same two cores; the machine saturates and the latency measured is mostly the
clients' own queue (event-loop lag of seconds, docs/performance.md). Browsers are on
other machines. Here an untimed socket's frame costs a header parse and a `bytes.count`;
a timed one is decoded and timed as in e2e_latency.Wallboards. Pings are answered (the
server closes sockets that do not), and a close frame is answered and counted.

What it does not do: extensions (none are negotiated: the request asks for none),
binary frames (counted and skipped), and it checks only the status line of the
handshake's response, as a bench need.
"""

from __future__ import annotations

import asyncio
import base64
import os
import time
from urllib.parse import urlsplit

import orjson
from e2e_latency import LoadPart, Tally

_UPDATE = b'{"type":"update"'
_SNAPSHOT = b'{"type":"snapshot"'
_STAMP = b'"timestamp":'


def client_frame(opcode: int, payload: bytes) -> bytes:
    """A masked frame (a client must mask), payloads under 126 bytes (pong, close)."""
    mask = os.urandom(4)
    masked = bytes(b ^ mask[i % 4] for i, b in enumerate(payload))
    return bytes([0x80 | opcode, 0x80 | len(payload)]) + mask + masked


class WallboardProtocol(asyncio.Protocol):
    """One wallboard socket: the upgrade, then frames out of one growing buffer."""

    def __init__(self, part: RawWallboards, index: int, request: bytes) -> None:
        self.part, self.index, self.request = part, index, request
        self.timed = index % part.timed_every == 0
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.upgraded = False
        self.fragments: list[bytes] = []
        self.first = asyncio.get_running_loop().create_future()  # the first text frame's payload
        self.gone = asyncio.get_running_loop().create_future()
        self.close_code: int | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.transport.write(self.request)

    def connection_lost(self, exc: Exception | None) -> None:
        if not self.first.done():
            self.first.set_exception(ConnectionError(f"closed {self.close_code or ''} before a frame"))
        if not self.gone.done():
            self.gone.set_result(None)

    def data_received(self, data: bytes) -> None:
        received = time.time()
        buffer = self.buffer
        buffer += data
        if not self.upgraded:
            end = buffer.find(b"\r\n\r\n")
            if end < 0:
                return
            status = bytes(buffer[: buffer.find(b"\r\n")])
            if b" 101 " not in status:
                self.first.set_exception(ConnectionError(status.decode("latin-1")[:60]))
                self.transport.close()
                return
            del buffer[: end + 4]
            self.upgraded = True
        at, size = 0, len(buffer)
        while size - at >= 2:
            head, length, start = buffer[at], buffer[at + 1] & 0x7F, at + 2
            if length == 126:
                if size - at < 4:
                    break
                length, start = int.from_bytes(buffer[at + 2 : at + 4], "big"), at + 4
            elif length == 127:
                if size - at < 10:
                    break
                length, start = int.from_bytes(buffer[at + 2 : at + 10], "big"), at + 10
            if size < start + length:
                break
            self._frame(head & 0x0F, bool(head & 0x80), bytes(buffer[start : start + length]), received)
            at = start + length
        if at:
            del buffer[:at]

    def _frame(self, opcode: int, fin: bool, payload: bytes, received: float) -> None:
        if opcode == 0x9:
            self.transport.write(client_frame(0xA, payload))
            return
        if opcode == 0x8:
            self.close_code = int.from_bytes(payload[:2], "big") if len(payload) >= 2 else 1005
            self.transport.write(client_frame(0x8, payload[:2]))
            self.transport.close()
            return
        if opcode not in (0x0, 0x1):
            return  # pong, binary: nothing a wallboard reads
        if not fin or self.fragments:
            self.fragments.append(payload)
            if not fin:
                return
            payload, self.fragments = b"".join(self.fragments), []
        if not self.first.done():
            self.first.set_result(payload)
            return
        self.part.frame(self.index, self.timed, payload, received)


class RawWallboards(LoadPart):
    """e2e_latency.Wallboards' interface and tally, on WallboardProtocol."""

    def __init__(
        self, targets: dict[int, tuple[str, str]], concurrency: int, timeout: float, timed_every: int = 1
    ) -> None:
        import aiohttp  # LoadPart keeps a session; this part does not use it

        super().__init__(aiohttp.ClientSession())
        self.targets, self.timeout, self.timed_every = targets, timeout, timed_every
        self.gate = asyncio.Semaphore(concurrency)
        self.tally.per_socket = dict.fromkeys(targets, 0)
        self.sockets: list[WallboardProtocol] = []

    async def start(self) -> None:
        settled = [asyncio.get_running_loop().create_future() for _ in self.targets]
        self.tasks += [asyncio.create_task(self._socket(i, f)) for i, f in zip(self.targets, settled, strict=False)]
        await asyncio.wait(settled, timeout=self.timeout)
        if missing := sum(not f.done() for f in settled):
            self.tally.failed["no snapshot within --connect-timeout"] = missing

    async def _socket(self, index: int, settled: asyncio.Future) -> None:
        url, origin = self.targets[index]
        parts = urlsplit(url)
        key = base64.b64encode(os.urandom(16)).decode()
        request = (
            f"GET {parts.path}?{parts.query} HTTP/1.1\r\nHost: {parts.netloc}\r\nUpgrade: websocket\r\n"
            f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
            f"Origin: {origin}\r\n\r\n"
        ).encode()
        loop = asyncio.get_running_loop()
        protocol = WallboardProtocol(self, index, request)
        try:
            async with self.gate:
                started = time.time()
                await loop.create_connection(lambda: protocol, parts.hostname, parts.port)
                first = await asyncio.wait_for(asyncio.shield(protocol.first), timeout=self.timeout)
                if not first.startswith(_SNAPSHOT):
                    raise ConnectionError(f"got {first[:20]!r} instead of a snapshot")
                self.tally.first_snapshot_ms.append((time.time() - started) * 1000)
            settled.set_result(None)
            self.sockets.append(protocol)
            await protocol.gone
            self.tally.failed[f"closed {protocol.close_code or 1006} after the snapshot"] += 1
        except (TimeoutError, ConnectionError, OSError) as error:
            when = "after the snapshot" if settled.done() else "before a snapshot"
            self.tally.failed[f"{type(error).__name__} {str(error)[:50]} {when}"] += 1
            if protocol.transport is not None:
                protocol.transport.abort()
        finally:
            if not settled.done():
                settled.set_result(None)

    def frame(self, index: int, timed: bool, payload: bytes, received: float) -> None:
        tally: Tally = self.tally
        if not payload.startswith(_UPDATE):
            return
        if not timed:  # untimed: count without parsing (client CPU)
            values = payload.count(_STAMP)
            tally.frames += 1
            tally.values += values
            tally.bytes += len(payload)
            tally.per_socket[index] += values
            return
        stats = orjson.loads(payload)["statistics"]
        tally.frames += 1
        tally.values += len(stats)
        tally.bytes += len(payload)
        tally.per_socket[index] += len(stats)
        tally.record(received, [s.get("timestamp") for s in stats])

    async def close(self) -> None:
        for protocol in self.sockets:
            if protocol.transport is not None:
                protocol.transport.abort()
        await super().close()

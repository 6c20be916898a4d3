"""A small TCP fault proxy for tests, in asyncio.

Why our own: toxiproxy is not available here, and the faults the reliability rows
need are few and byte-level: a link that is slow, a link that swallows everything
without closing (a long poll accepted and never answered: only a timeout can see it),
and a link that is torn down with RST. Put it between a client and a server on
loopback, start it, point the client at `.port`, and switch modes while it runs:

    proxy = FaultProxy("127.0.0.1", simulator.port)
    await proxy.start()
    proxy.blackhole()      # existing and new connections: bytes read, never forwarded
    proxy.pass_through()   # back to normal for new bytes and new connections
    await proxy.stop()

Modes apply to every chunk as it arrives, so switching affects live connections too.
"""

from __future__ import annotations

import asyncio
import socket
import struct
from dataclasses import dataclass, field

CHUNK = 64 * 1024


@dataclass(eq=False)  # hashed by identity: kept in a set
class _Pair:
    client: asyncio.StreamWriter
    upstream: asyncio.StreamWriter | None = None
    tasks: list[asyncio.Task] = field(default_factory=list)


class FaultProxy:
    def __init__(self, target_host: str, target_port: int, host: str = "127.0.0.1") -> None:
        self.target_host, self.target_port, self.host = target_host, target_port, host
        self.port = 0
        self.mode = "pass"
        self.delay_s = 0.0
        self.accepted = 0
        self.swallowed_bytes = 0
        self.resets = 0
        self._server: asyncio.Server | None = None
        self._pairs: set[_Pair] = set()
        self._handlers: set[asyncio.Task] = set()

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    # -- modes -------------------------------------------------------------------

    def pass_through(self) -> None:
        self.mode, self.delay_s = "pass", 0.0

    def delay(self, seconds: float) -> None:
        """Hold every chunk `seconds` before forwarding it (each direction)."""
        self.mode, self.delay_s = "delay", seconds

    def blackhole(self) -> None:
        """Accept and read, never forward and never answer, never close."""
        self.mode = "blackhole"

    def reset(self) -> None:
        """New connections, and live ones at their next byte, are closed with RST."""
        self.mode = "reset"

    def cut_all(self) -> None:
        """RST every live connection now, whatever the mode."""
        for pair in list(self._pairs):
            self._abort(pair)

    # -- lifecycle ---------------------------------------------------------------

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._handle, self.host, self.port)
        self.port = self._server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for pair in list(self._pairs):
            self._close(pair)  # every reader sees EOF, so every handler ends by itself
        if self._handlers:
            _, late = await asyncio.wait(self._handlers, timeout=5)
            for task in late:
                task.cancel()
            await asyncio.gather(*late, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def __aenter__(self) -> FaultProxy:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # -- plumbing ----------------------------------------------------------------

    async def _handle(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        self.accepted += 1
        pair = _Pair(writer)
        self._pairs.add(pair)
        try:
            if self.mode == "reset":
                self._abort(pair)
                return
            if self.mode == "blackhole":
                await self._swallow(reader)  # no upstream at all, even if the mode changes
                return
            up_reader, pair.upstream = await asyncio.open_connection(self.target_host, self.target_port)
            pair.tasks = [
                asyncio.create_task(self._pump(reader, pair.upstream, pair)),
                asyncio.create_task(self._pump(up_reader, writer, pair)),
            ]
            await asyncio.gather(*pair.tasks)
        except (OSError, asyncio.IncompleteReadError):
            pass
        except asyncio.CancelledError:
            pass  # only stop() cancels; asyncio's server logs a handler that ends cancelled
        finally:
            for pump in pair.tasks:
                pump.cancel()
            await asyncio.gather(*pair.tasks, return_exceptions=True)
            self._close(pair)
            self._handlers.discard(task)

    async def _pump(self, source: asyncio.StreamReader, sink: asyncio.StreamWriter, pair: _Pair) -> None:
        try:
            while data := await source.read(CHUNK):
                if self.mode == "reset":
                    self._abort(pair)
                    return
                if self.mode == "blackhole":
                    self.swallowed_bytes += len(data)
                    continue
                if self.mode == "delay":
                    await asyncio.sleep(self.delay_s)
                sink.write(data)
                await sink.drain()
            if not sink.transport.is_closing() and sink.can_write_eof():
                sink.write_eof()  # half-close: the other direction may still be talking
        except OSError:
            self._close(pair)  # one side broke: end the other, its reader sees EOF

    async def _swallow(self, reader: asyncio.StreamReader) -> None:
        while data := await reader.read(CHUNK):
            self.swallowed_bytes += len(data)

    def _abort(self, pair: _Pair) -> None:
        """SO_LINGER 0 then abort: the peer gets an RST, not a FIN."""
        self.resets += 1
        for writer in (pair.client, pair.upstream):
            if writer is None or writer.transport.is_closing():
                continue
            sock = writer.transport.get_extra_info("socket")
            if sock is not None:
                try:
                    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                except OSError:
                    pass
            writer.transport.abort()
        self._pairs.discard(pair)

    def _close(self, pair: _Pair) -> None:
        for writer in (pair.client, pair.upstream):
            if writer is not None and not writer.transport.is_closing():
                writer.close()
        self._pairs.discard(pair)

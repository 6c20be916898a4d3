"""A WebSocket client that reads only when asked: a frozen tab or a TV on bad Wi-Fi.

Client libraries read ahead into their own buffers, so "read one message a second"
with them still drains the socket. This one shrinks its receive buffer, speaks just
enough RFC 6455 to open the socket and read server frames, and reads nothing between
calls, so the server's queue for it really grows.
"""

from __future__ import annotations

import asyncio
import base64
import os
import socket
import struct

RECEIVE_BUFFER = 4096


class SlowWebSocket:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader, self.writer = reader, writer

    @classmethod
    async def open(cls, host: str, port: int, path: str, origin: str) -> SlowWebSocket:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, RECEIVE_BUFFER)
        sock.setblocking(False)
        await asyncio.get_running_loop().sock_connect(sock, (host, port))
        reader, writer = await asyncio.open_connection(sock=sock, limit=RECEIVE_BUFFER)
        key = base64.b64encode(os.urandom(16)).decode()
        writer.write(
            (
                f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\nUpgrade: websocket\r\n"
                f"Connection: Upgrade\r\nSec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n"
                f"Origin: {origin}\r\n\r\n"
            ).encode()
        )
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 101 " not in head.split(b"\r\n", 1)[0]:
            raise ConnectionError(f"handshake refused: {head[:80]!r}")
        return cls(reader, writer)

    async def read_frame(self) -> tuple[int, bytes]:
        """(opcode, payload) of the next frame; raises IncompleteReadError once closed."""
        first, second = await self.reader.readexactly(2)
        length = second & 0x7F
        if length == 126:
            (length,) = struct.unpack("!H", await self.reader.readexactly(2))
        elif length == 127:
            (length,) = struct.unpack("!Q", await self.reader.readexactly(8))
        return first & 0x0F, await self.reader.readexactly(length)

    def close(self) -> None:
        self.writer.close()

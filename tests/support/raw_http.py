"""Requests written byte by byte, as a hostile client would: odd paths, broken or huge
headers, dribbled handshakes. HTTP client libraries refuse to send most of these."""

from __future__ import annotations

import asyncio
import base64
import os
import time
from dataclasses import dataclass


@dataclass
class RawAnswer:
    status: int | None  # None: the server closed without answering
    head: bytes


def upgrade_headers(host: str, origin: str | None = "http://127.0.0.1") -> str:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"Host: {host}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
    ]
    return "\r\n".join(lines + ([f"Origin: {origin}"] if origin else [])) + "\r\n"


async def raw_request(port: int, request: bytes, timeout: float = 30.0) -> RawAnswer:
    """Send `request` as is; the status of the answer (or None if the server hung up)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    try:
        writer.write(request)
        await writer.drain()
        try:
            head = await asyncio.wait_for(reader.readuntil(b"\r\n\r\n"), timeout)
        except (asyncio.IncompleteReadError, ConnectionResetError):
            return RawAnswer(None, b"")
        parts = head.split(b" ", 2)
        return RawAnswer(int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else None, head)
    finally:
        writer.close()


def handshake(path: bytes, port: int, extra: bytes = b"", origin: str | None = "http://127.0.0.1") -> bytes:
    head = upgrade_headers(f"127.0.0.1:{port}", origin).encode()
    return b"GET " + path + b" HTTP/1.1\r\n" + head + extra + b"\r\n"


def get(path: bytes, port: int, extra: bytes = b"") -> bytes:
    return b"GET " + path + b" HTTP/1.1\r\nHost: 127.0.0.1:" + str(port).encode() + b"\r\n" + extra + b"\r\n"


async def dribble(port: int, request: bytes, every: float) -> tuple[float, int]:
    """Send `request` one byte every `every` seconds until the server hangs up or
    answers; (seconds it held the connection, bytes sent by then)."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    started, sent = time.monotonic(), 0
    try:
        for byte in request:
            try:
                writer.write(bytes([byte]))
                await writer.drain()
                sent += 1
                if await asyncio.wait_for(reader.read(1), every) != b"":
                    break  # an answer: the whole request was read
                break  # the server closed it
            except TimeoutError:
                continue  # still open: the next byte
            except ConnectionError:
                break
        return time.monotonic() - started, sent
    finally:
        writer.close()

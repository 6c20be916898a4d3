"""`text_frame` (dashboard/realtime/transport.py): the fan-out frames each update once
and writes those bytes to every socket, so they must be the frame a client reads: a
real aiohttp client, over a real socket, reads them from a minimal server that does
the RFC 6455 handshake and then writes nothing but `text_frame` output. Every length
encoding: 7-bit, 16-bit and 64-bit."""

from __future__ import annotations

import asyncio
import base64
import hashlib

import aiohttp
import pytest

from dashboard.realtime.transport import text_frame

GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
SIZES = [0, 1, 125, 126, 65_535, 65_536, 300_000]


def _text(size: int) -> str:
    """ASCII but for one two-byte letter, so that characters and bytes differ."""
    return "é" + "x" * (size - 2) if size >= 2 else "x" * size


async def _serve(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    head = await reader.readuntil(b"\r\n\r\n")
    key = next(
        line.split(b":", 1)[1].strip() for line in head.split(b"\r\n") if line.lower().startswith(b"sec-websocket-key")
    )
    accept = base64.b64encode(hashlib.sha1(key + GUID).digest())
    writer.write(
        b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
        b"Sec-WebSocket-Accept: " + accept + b"\r\n\r\n"
    )
    for size in SIZES:
        writer.write(text_frame(_text(size).encode()))
    await writer.drain()
    await reader.read()  # until the client hangs up
    writer.close()


async def _received() -> list[str]:
    server = await asyncio.start_server(_serve, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    try:
        async with aiohttp.ClientSession() as session, session.ws_connect(f"ws://127.0.0.1:{port}/") as ws:
            return [(await ws.receive(timeout=10)).data for _ in SIZES]
    finally:
        server.close()


def test_a_client_reads_every_length_encoding() -> None:
    got = asyncio.run(_received())
    assert [len(text.encode()) for text in got] == SIZES
    assert got == [_text(size) for size in SIZES]


@pytest.mark.parametrize("size", SIZES)
def test_the_header_says_the_length(size: int) -> None:
    payload = b"y" * size
    framed = text_frame(payload)
    assert framed[0] == 0x81 and framed.endswith(payload)
    assert len(framed) - size == (2 if size <= 125 else 4 if size <= 65_535 else 10)

"""`cap_accepts` (dashboard/project/server_options.py): one turn of the event loop
accepts at most ACCEPTS_PER_TURN queued connections; the rest wait in the kernel's
queue (LISTEN_BACKLOG) for the next turn. On a real Twisted reactor and real sockets;
the reactor is never run, the test calls the port's read as a loop turn would."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from twisted.internet.protocol import Factory, Protocol
from twisted.internet.selectreactor import SelectReactor

from dashboard.project.server_options import ACCEPTS_PER_TURN, LISTEN_BACKLOG, cap_accepts

QUEUED = 40


class CountingFactory(Factory):
    def __init__(self) -> None:
        self.built = 0

    def buildProtocol(self, addr: object) -> Protocol:
        self.built += 1
        return Protocol()


@pytest.fixture
def port_and_clients() -> Iterator[tuple[object, CountingFactory]]:
    reactor, factory = SelectReactor(), CountingFactory()  # not installed, never run
    port = reactor.listenTCP(0, factory, backlog=LISTEN_BACKLOG, interface="127.0.0.1")
    clients = [socket.create_connection(("127.0.0.1", port.getHost().port), timeout=5) for _ in range(QUEUED)]
    try:
        yield port, factory
    finally:
        for client in clients:
            client.close()
        for selectable in reactor.getReaders():  # the port, its connections, the waker
            reactor.removeReader(selectable)
            if hasattr(selectable, "socket"):
                selectable.socket.close()


def test_one_turn_accepts_at_most_the_cap(port_and_clients: tuple) -> None:
    port, factory = port_and_clients
    cap_accepts(port)
    port.doRead()
    assert factory.built == ACCEPTS_PER_TURN
    port.doRead()
    assert factory.built == 2 * ACCEPTS_PER_TURN  # Twisted would raise its own count: the cap holds


def test_twisted_alone_takes_the_whole_queue_in_one_turn(port_and_clients: tuple) -> None:
    """Why the cap exists (and a check that the test above measures something)."""
    port, factory = port_and_clients
    port.doRead()
    assert factory.built == QUEUED

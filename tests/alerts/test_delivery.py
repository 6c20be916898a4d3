"""Delivery over real sockets: a local aiohttp receiver, retries, isolation, e-mail."""

from __future__ import annotations

import asyncio
import socket

import orjson
import pytest
from aiohttp import web
from django.core import mail

from dashboard.alerts import senders
from dashboard.alerts.delivery import DeliveryQueue
from dashboard.alerts.senders import ChannelSpec
from tests.alerts.receiver import SECRET, Receiver
from tests.support.waiting import async_wait_until


def payload(event: str = "alert.raised") -> dict:
    return {
        "event": event,
        "alert": {
            "id": "al-1",
            "rule": "Queue backing up",
            "dashboard": "probe",
            "widget": "Calls waiting",
            "statistic": "st-a",
            "label": "Calls waiting",
            "level": "critical",
            "value": 12,
            "threshold": 10,
            "since": 1,
            "acknowledged_by": None,
        },
        "url": "http://127.0.0.1:8000/dashboards/probe/",
    }


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}/hook"


async def test_webhook_body_is_signed_and_verified_by_the_receiver() -> None:
    async with Receiver() as receiver:
        queue = DeliveryQueue()
        try:
            channel = ChannelSpec(1, "ops", "webhook", receiver.url, secret=SECRET)
            for event in ("alert.raised", "alert.repeated", "alert.acknowledged", "alert.cleared"):
                queue.submit(channel, payload(event))
            await async_wait_until(lambda: len(receiver.bodies) == 4, what="four webhook posts")
        finally:
            await queue.close()
    assert receiver.bad_signatures == 0
    assert [b["event"] for b in receiver.bodies] == [
        "alert.raised",
        "alert.repeated",
        "alert.acknowledged",
        "alert.cleared",
    ]
    assert receiver.bodies[0] == payload("alert.raised")


async def test_a_wrong_secret_is_refused_by_the_receiver() -> None:
    async with Receiver() as receiver:
        queue = DeliveryQueue(max_attempts=1)
        try:
            queue.submit(ChannelSpec(1, "ops", "webhook", receiver.url, secret="wrong"), payload())
            await async_wait_until(lambda: queue.failed == 1, what="the send given up")
        finally:
            await queue.close()
    assert receiver.bad_signatures == 1 and receiver.bodies == []


class SilentReceiver:
    """Accepts connections and reads, never answers: a channel that times out."""

    def __init__(self) -> None:
        self.connections = 0
        self.server: asyncio.Server | None = None
        self.url = ""

    async def _hold(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while await reader.read(65536):
                pass
        finally:
            writer.close()

    async def __aenter__(self) -> SilentReceiver:
        self.server = await asyncio.start_server(self._hold, "127.0.0.1", 0)
        self.url = f"http://127.0.0.1:{self.server.sockets[0].getsockname()[1]}/hook"
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self.server is not None
        self.server.close()


async def test_a_channel_that_times_out_is_retried_and_never_delays_another(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setattr(senders, "TIMEOUT_S", 0.5)  # the production 10 s, shortened for the test
    outcomes: list[tuple[int, str | None]] = []

    async def record(channel_id: int, error: str | None) -> None:
        outcomes.append((channel_id, error))

    async with Receiver() as good, SilentReceiver() as silent:
        queue = DeliveryQueue(record, base_s=0.2, cap_s=1.0, max_attempts=3)
        try:
            queue.submit(ChannelSpec(2, "silent", "webhook", silent.url, secret=SECRET), payload())
            queue.submit(ChannelSpec(1, "good", "webhook", good.url, secret=SECRET), payload())
            await async_wait_until(lambda: len(good.bodies) == 1, what="the good channel's post")
            assert queue.failed == 0 and (2, None) not in outcomes  # still waiting on the silent one
            await async_wait_until(lambda: queue.failed == 1, what="the silent channel given up")
        finally:
            await queue.close()
    assert [e for c, e in outcomes if c == 2] == [f"timed out (try {n} of 3)" for n in (1, 2, 3)]
    assert silent.connections == 3 and queue.sent == 1


@pytest.mark.parametrize("failure", ["http-500", "closed-port"])
async def test_a_failing_channel_is_retried_with_backoff_and_never_delays_another(failure: str) -> None:
    outcomes: list[tuple[int, str | None]] = []

    async def record(channel_id: int, error: str | None) -> None:
        outcomes.append((channel_id, error))

    async with Receiver() as good, Receiver(fail_first=3) as flaky:
        queue = DeliveryQueue(record, base_s=0.2, cap_s=1.0, max_attempts=4 if failure == "http-500" else 3)
        try:
            bad_url = flaky.url if failure == "http-500" else closed_port_url()
            queue.submit(ChannelSpec(2, "flaky", "webhook", bad_url, secret=SECRET), payload())
            queue.submit(ChannelSpec(1, "good", "webhook", good.url, secret=SECRET), payload())
            await async_wait_until(lambda: len(good.bodies) == 1, what="the good channel's post")
            # the good channel got its post while the failing one is still retrying
            assert queue.sent == 1 and not flaky.bodies
            if failure == "http-500":
                await async_wait_until(lambda: len(flaky.bodies) == 1, what="the flaky channel's retried post")
                assert flaky.hits == 4
            else:
                await async_wait_until(lambda: queue.failed == 1, what="the closed port given up")
        finally:
            await queue.close()
    errors = [e for c, e in outcomes if c == 2 and e]
    assert len(errors) == 3
    assert all(("HTTP 500" in e) if failure == "http-500" else ("could not connect" in e) for e in errors)
    assert all("127.0.0.1" not in e for e in errors)  # no URL in what the admin shows
    assert (1, None) in outcomes


async def test_slack_gets_a_text_body() -> None:
    async with SlackReceiver() as slack:
        queue = DeliveryQueue()
        try:
            queue.submit(ChannelSpec(3, "slack", "slack", slack.url), payload())
            await async_wait_until(lambda: slack.bodies, what="the slack post")
        finally:
            await queue.close()
    assert set(slack.bodies[0]) == {"text"}
    assert "[CRITICAL] Queue backing up on probe raised" in slack.bodies[0]["text"]
    assert "= 12 (threshold 10)" in slack.bodies[0]["text"]


class SlackReceiver(Receiver):
    async def handle(self, request: web.Request) -> web.Response:
        self.bodies.append(orjson.loads(await request.read()))
        return web.Response(status=200)


@pytest.mark.django_db
async def test_email_goes_through_djangos_mail_settings(settings) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    queue = DeliveryQueue()
    try:
        queue.submit(ChannelSpec(4, "mail", "email", to=("ops@example.com",)), payload("alert.acknowledged"))
        await async_wait_until(lambda: len(mail.outbox) == 1, what="one e-mail")
    finally:
        await queue.close()
    message = mail.outbox[0]
    assert message.to == ["ops@example.com"]
    assert message.subject.startswith("[CRITICAL] Queue backing up on probe acknowledged")
    assert "http://127.0.0.1:8000/dashboards/probe/" in message.body

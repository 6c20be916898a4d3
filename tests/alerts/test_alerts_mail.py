"""E-mail through the real server: rundashboard's engine sends with Django's SMTP backend
to a local SMTP server (aiosmtpd on 127.0.0.1), configured only by EMAIL_* variables."""

from __future__ import annotations

import asyncio
from email import message_from_bytes
from email.header import decode_header, make_header
from pathlib import Path

import aiohttp
import orjson
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.alerts.live import add_rule, delete_rule, session_cookie
from tests.alerts.test_alerts_live import Frames
from tests.support.processes import ManagedProcess, free_port, start_dashboard
from tests.support.waiting import async_wait_until

MAIL_CHANNEL = (
    "mail = NotificationChannel.objects.create(name='mail', kind='email', to=['ops@example.com'])\n"
    "rule.channels.add(mail)\n"
)


class Inbox:
    """An aiosmtpd handler that keeps every message it is given (envelope and parsed mail)."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], str, str]] = []  # (recipients, subject, body)

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:  # noqa: N802
        mail = message_from_bytes(envelope.original_content or b"")
        subject = str(make_header(decode_header(mail["Subject"] or "")))
        body = mail.get_payload(decode=True).decode()  # type: ignore[union-attr]
        self.messages.append((list(envelope.rcpt_tos), subject, body))
        return "250 Message accepted for delivery"

    def events(self) -> list[str]:
        """The event word of each subject: "[CRITICAL] Everyone busy on agents raised: ..."."""
        return [subject.split(" on agents ", 1)[1].split(":", 1)[0].split(" ")[0] for _, subject, _ in self.messages]


async def test_an_email_channel_gets_raised_repeated_acknowledged_cleared_in_order(tmp_path: Path) -> None:
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    try:
        server: ManagedProcess = await asyncio.to_thread(
            start_dashboard,
            tmp_path,
            EMAIL_BACKEND="smtp",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=str(smtp.port),
            DEFAULT_FROM_EMAIL="alerts@example.com",
        )
        try:
            await drive_one_alert(server, inbox)
        finally:
            await asyncio.to_thread(server.stop)
    finally:
        smtp.stop()
    events = inbox.events()
    assert events[0] == "raised" and events[-2:] == ["acknowledged", "cleared"], events
    assert set(events[1:-2]) == {"repeated"}, events
    assert all(to == ["ops@example.com"] for to, _, _ in inbox.messages)
    assert inbox.messages[0][1].startswith("[CRITICAL] Everyone busy on agents raised: On calls")
    assert "acknowledged by supervisor" in inbox.messages[-2][1]
    assert all(server.extra["url"] + "/dashboards/agents/" in body for _, _, body in inbox.messages)


async def drive_one_alert(server: ManagedProcess, inbox: Inbox) -> None:
    """The rule raised (and repeated every 2 s), acknowledged by a supervisor, then cleared."""
    base = server.extra["url"]
    cookie = await asyncio.to_thread(session_cookie, server)
    async with aiohttp.ClientSession() as session:
        page = Frames(
            await session.ws_connect(base + "/ws/dashboards/agents/", headers={"Origin": base, "Cookie": cookie})
        )
        await async_wait_until(page.snapshot, what="the snapshot")
        await asyncio.to_thread(add_rule, server, repeat=2, also=MAIL_CHANNEL)
        await async_wait_until(lambda: "repeated" in inbox.events(), timeout=60, what="raised and repeated mails")
        alert = page.alerts("raised")[0]["alert"]
        await page.ws.send_str(orjson.dumps({"type": "ack", "alert": alert["id"]}).decode())
        await async_wait_until(lambda: "acknowledged" in inbox.events(), timeout=30, what="the acknowledged mail")
        await asyncio.to_thread(delete_rule, server)
        await async_wait_until(lambda: "cleared" in inbox.events(), timeout=30, what="the cleared mail")

"""One send per channel kind: webhook (signed JSON), Slack incoming webhook, e-mail.

Webhook: POST of the JSON body of ../shared/interfaces.md ("Alerts"), with
`X-Alert-Signature: sha256=<hex HMAC-SHA256 of the exact body bytes, keyed with the
channel's secret>` when a secret is set, and `X-Alert-Event: alert.raised` etc.
Errors say what went wrong without the URL (a Slack URL is itself a secret).
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
from dataclasses import dataclass, field

import httpx
import orjson

SIGNATURE_HEADER = "X-Alert-Signature"
EVENT_HEADER = "X-Alert-Event"
TIMEOUT_S = 10.0


class DeliveryError(Exception):
    """A send failed; the message is safe to show in the admin (no URL, no secret)."""


@dataclass(frozen=True)
class ChannelSpec:
    id: int
    name: str
    kind: str  # webhook | slack | email
    url: str = field(default="", repr=False)
    to: tuple[str, ...] = ()
    secret: str = field(default="", repr=False)


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def text_of(payload: dict) -> str:
    """One line for Slack and e-mail subjects."""
    alert, event = payload["alert"], payload["event"].split(".", 1)[-1]
    what = f"{alert.get('widget') or ''} {alert.get('label') or ''}".strip()
    value = "" if alert.get("value") is None else f" = {alert['value']:g} (threshold {alert['threshold']:g})"
    who = f" by {alert['acknowledged_by']}" if event == "acknowledged" and alert.get("acknowledged_by") else ""
    where = f" on {alert['dashboard']}" if alert.get("dashboard") else ""
    return f"[{alert['level'].upper()}] {alert['rule']}{where} {event}{who}: {what}{value}".rstrip(": ")


async def _post(http: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str]) -> None:
    try:
        response = await http.post(url, content=body, headers=headers, timeout=TIMEOUT_S)
    except httpx.TimeoutException:
        raise DeliveryError("timed out") from None
    except httpx.HTTPError as error:
        raise DeliveryError(f"could not connect ({type(error).__name__})") from None
    if response.status_code >= 300:
        raise DeliveryError(f"HTTP {response.status_code}")


async def send_webhook(http: httpx.AsyncClient, channel: ChannelSpec, payload: dict) -> None:
    body = orjson.dumps(payload)
    headers = {"Content-Type": "application/json", EVENT_HEADER: payload["event"]}
    if channel.secret:
        headers[SIGNATURE_HEADER] = signature(channel.secret, body)
    await _post(http, channel.url, body, headers)


async def send_slack(http: httpx.AsyncClient, channel: ChannelSpec, payload: dict) -> None:
    text = f"{text_of(payload)}\n{payload['url']}"
    await _post(http, channel.url, orjson.dumps({"text": text}), {"Content-Type": "application/json"})


def _mail(channel: ChannelSpec, payload: dict) -> None:
    from django.core.mail import send_mail

    body = f"{text_of(payload)}\n\n{payload['url']}\n\n{orjson.dumps(payload, option=orjson.OPT_INDENT_2).decode()}"
    send_mail(text_of(payload)[:200], body, None, list(channel.to))


async def send_email(http: httpx.AsyncClient, channel: ChannelSpec, payload: dict) -> None:
    try:
        await asyncio.to_thread(_mail, channel, payload)
    except Exception as error:  # SMTP errors carry no password, but keep it short
        raise DeliveryError(f"mail not sent ({type(error).__name__})") from None


SENDERS = {"webhook": send_webhook, "slack": send_slack, "email": send_email}

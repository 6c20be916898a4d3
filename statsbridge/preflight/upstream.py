"""The Genesys steps of the preflight, on the product's own clients (tokens, REST,
CometD transport), so that a green check means the bridge's code works with this
tenant, not some other code.

Order: base URL reachable, API key accepted, token, statistic peek, CometD handshake,
CometD subscriptions, notification received. Each step raises StepFailed with what
failed and what to do; `aclose()` deletes what the check opened upstream.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass

import httpx
from aiocometd_ng.exceptions import AiocometdException, ServerError

from statsbridge.cometd import NOTIFICATIONS_PATH, SERVICE_CHANNEL, UPDATES_CHANNEL, _GenesysHeaders
from statsbridge.cometd_transport import _GenesysClient, _HttpStatusError
from statsbridge.config import BridgeConfig
from statsbridge.cookies import SharedCookies
from statsbridge.exceptions import (
    ApiKeyRejected,
    AuthError,
    ProtocolError,
    StatsBridgeError,
    SubscriptionError,
    TokenRejected,
)
from statsbridge.preflight.report import Check, StepFailed
from statsbridge.rest import StatisticsClient
from statsbridge.tokens import CONNECT_HINT, TokenProvider

BASE_HINT = (
    "check GENESYS_API_BASE_URL and GENESYS_AUTH_BASE_URL (API bases, e.g. https://api-<region>.<your domain>, no path)"
)
NETWORK_HINT = "check that this server reaches it (DNS, firewall, proxy) and that the URL is right"
# Genesys advises a 20 s long-poll hold (handshake advice `timeout`, docs/genesys-fidelity.md).
# The notification step waits that plus the bridge's poll grace: a held poll comes back
# (empty) inside the wait, so a quiet tenant is told apart from a poll that never returns.
LONG_POLL_HOLD = 20.0
NOTIFICATION_WAIT = LONG_POLL_HOLD + BridgeConfig.poll_grace


@dataclass
class _HeaderSource:
    """What `_GenesysHeaders` reads from the bridge's link, for a one-off session."""

    config: BridgeConfig
    tokens: TokenProvider
    cookies: SharedCookies
    url: str
    sent_token: str | None = None
    last_exchange: float = 0.0


class UpstreamCheck:
    WATCHED = 20  # statistics subscribed to for the notification: the first to change will do

    def __init__(
        self,
        config: BridgeConfig,
        *,
        statistics: list[dict],
        refresh_token: str | None = None,
        notification_timeout: float = NOTIFICATION_WAIT,
    ) -> None:
        """`statistics`: descriptors configured on this tenant's dashboards (the first
        named one is peeked: get-statistic-ex serves pre-configured names only)."""
        self.config, self.statistics, self.notification_timeout = config, statistics, notification_timeout
        self.sample = next((s for s in statistics if s.get("name")), None)
        self.cookies = SharedCookies()
        self.http = httpx.AsyncClient(cookies=self.cookies.jar, timeout=config.request_timeout)
        self.tokens = TokenProvider(config, self.http)
        if refresh_token:
            self.tokens.use_refresh_token(refresh_token)
        self.rest = StatisticsClient(config, self.http, self.tokens)
        self.headers = _HeaderSource(config, self.tokens, self.cookies, config.base_url + NOTIFICATIONS_PATH)
        self.cometd: _GenesysClient | None = None
        self.subscription: str | None = None

    def checks(self) -> list[Check]:
        return [
            ("base URL reachable", self.reachable),
            ("API key accepted", self.api_key),
            ("token", self.token),
            ("statistic peek", self.peek),
            ("CometD handshake", self.handshake),
            ("CometD subscriptions", self.subscribe),
            ("notification received", self.notification),
        ]

    async def reachable(self) -> str:
        """Any HTTP answer will do: the API base, and the sign-in host when it is another."""
        base, auth = self.config.base_url, self.config.auth_url
        targets = [(base, "/auth/v3/ping")] if auth == base else [(base, "/"), (auth, "/auth/v3/ping")]
        return "; ".join([await self._answer(url, path) for url, path in targets])

    async def _answer(self, url: str, path: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise StepFailed(f"{url or 'no URL'} is not an http(s) URL", BASE_HINT)
        if url.rstrip("/").endswith(("/statistics/v3", "/auth/v3")):
            raise StepFailed(f"{url} ends with an API path", BASE_HINT)
        try:
            response = await self.http.get(url + path)
        except httpx.HTTPError as error:
            raise StepFailed(f"could not reach {url} ({type(error).__name__})", NETWORK_HINT) from None
        return f"{url} answers (HTTP {response.status_code} without credentials)"

    # Reference: seed 002 "Troubleshooting authentication issues": 403 {"message":
    # "Forbidden"} from any endpoint is the API key; 401 is the missing token.
    async def api_key(self) -> str:
        response = await self.http.get(
            self.config.auth_url + "/auth/v3/userinfo", headers={"x-api-key": self.config.api_key}
        )
        if response.status_code == 403:
            raise StepFailed(
                "Genesys refused the API key (403 Forbidden)",
                "check GENESYS_API_KEY (sent as x-api-key on every request)",
            )
        if response.status_code in (401, 200):
            return "the gateway let the key through"
        raise StepFailed(f"/auth/v3/userinfo answered HTTP {response.status_code}", BASE_HINT)

    async def token(self) -> str:
        try:
            await self.tokens.token()
        except AuthError as error:
            what, _, todo = str(error).partition(": ")
            if "\\\\" in self.config.username:
                todo += " (GENESYS_USERNAME holds two backslashes in a row: write one, DOMAIN\\user)"
            raise StepFailed(what, todo or CONNECT_HINT) from None
        except StatsBridgeError as error:
            raise StepFailed(f"the token request failed: {error}", NETWORK_HINT) from None
        if self.tokens.grant_used == "refresh_token":
            return "refresh_token grant (the authorization stored by Connect to Genesys)"
        form = "DOMAIN\\user" if "\\" in self.config.username else "plain"
        return f"password grant for the service account ({form} user name)"

    async def peek(self) -> str:
        if not self.sample or not self.sample.get("name"):
            raise StepFailed(
                "no pre-configured statistic on any dashboard to peek",
                "add a widget with a pre-configured statistic of your tenant "
                "(e.g. CurrentNumberWaitingCalls on one of your queues) and run again",
            )
        name, kind, oid = self.sample["name"], self.sample["objectType"], self.sample["objectId"]
        try:
            # Reference: seed 002 "Get the values of statistics without a subscription".
            body = await self.rest.peek_one(name, kind, oid)
        except SubscriptionError as error:
            raise StepFailed(
                f"Genesys refused {name} of {kind} {oid}: {error}",
                "check that statistic and object exist on your tenant",
            ) from None
        except (TokenRejected, ApiKeyRejected) as error:
            raise StepFailed(
                f"the Statistics API refused us ({error})",
                "ask Genesys to enable Statistics API v3 for this API key and user",
            ) from None
        except StatsBridgeError as error:
            raise StepFailed(
                f"the peek failed: {error}", "Genesys' statistics service may be down: run the check again later"
            ) from None
        statistic = (body.get("data") or {}).get("statistic") if isinstance(body.get("data"), dict) else None
        if not isinstance(statistic, dict) or "value" not in statistic:
            raise StepFailed("the peek reply has no data.statistic.value", "report it with this output")
        return f"{name} of {kind} {oid} = {_short(statistic['value'])}"

    async def handshake(self) -> str:
        self.cometd = _GenesysClient(
            self.headers.url,
            _GenesysHeaders(self.headers),  # type: ignore[arg-type]
            self.config.poll_grace,
            self.config.request_timeout,
        )
        try:
            await self.cometd.open()
        except (TimeoutError, ServerError, AiocometdException, OSError, StatsBridgeError) as error:
            raise _cometd_failure("handshake", error) from None
        return f"session open at {NOTIFICATIONS_PATH} ({self.cometd.connection_type.value})"  # type: ignore

    async def subscribe(self) -> str:
        assert self.cometd is not None
        for channel in (UPDATES_CHANNEL, SERVICE_CHANNEL):
            try:
                await self.cometd.subscribe(channel)
            except (TimeoutError, ServerError, AiocometdException, OSError) as error:
                raise _cometd_failure(f"subscription to {channel}", error) from None
        return f"{UPDATES_CHANNEL} and {SERVICE_CHANNEL}"

    async def notification(self) -> str:
        assert self.cometd is not None
        operation = f"check-genesys-{uuid.uuid4()}"
        watched = [{**s, "statisticId": f"check-genesys-{n}"} for n, s in enumerate(self.statistics[: self.WATCHED])]
        try:
            # Reference: seed 002 "Create a subscription".
            await self.rest.create_subscription(operation, watched)
        except (SubscriptionError, ProtocolError, AuthError) as error:
            raise StepFailed(
                f"Genesys refused a subscription to {len(watched)} dashboard statistics: {error}",
                "check that the user may subscribe to statistics",
            ) from None
        self.subscription = operation
        started = time.monotonic()
        try:
            channel = await asyncio.wait_for(self._first_event(), self.notification_timeout)
        except TimeoutError:
            raise self._nothing_published(len(watched), started) from None
        except (ServerError, AiocometdException, OSError) as error:
            raise _cometd_failure("long poll", error) from None
        return f"on {channel} after {time.monotonic() - started:.1f} s"

    def _nothing_published(self, watched: int, started: float) -> StepFailed:
        """No notification in the wait. The subscription's initial values come in the REST
        reply, not over CometD, and the service channel speaks only when the service's state
        changes (seed 002, "Create a subscription", "Service state"): nothing else proves
        delivery. A long poll that came back empty shows the CometD exchange works and the
        tenant published nothing (a quiet center); one that never came back may be held."""
        wait = f"{self.notification_timeout:g} s"
        if self.headers.last_exchange > started:
            return StepFailed(
                f"the tenant published nothing in {wait}: none of the {watched} dashboard statistics "
                "changed (a quiet center; the long poll came back empty, so the CometD link works)",
                "run again when the center is busier, or wait longer (check_genesys --notification-wait 120)",
            )
        return StepFailed(
            f"no notification within {wait} for {watched} dashboard statistics, and the long poll "
            "did not come back either",
            "wait longer than the upstream's long-poll hold (check_genesys --notification-wait 60); "
            f"if it stays silent, check that no proxy holds long-poll replies to {NOTIFICATIONS_PATH}",
        )

    async def _first_event(self) -> str:
        assert self.cometd is not None
        while True:
            message = await self.cometd.receive()
            if message.get("channel") in (UPDATES_CHANNEL, SERVICE_CHANNEL):
                return str(message["channel"])

    async def aclose(self) -> None:
        if self.subscription is not None:
            try:
                await asyncio.wait_for(self.rest.delete_subscription(self.subscription), 10)
            except (TimeoutError, StatsBridgeError):
                pass  # the upstream drops it with the session anyway
        if self.cometd is not None:
            try:
                await asyncio.wait_for(self.cometd.close(), 5)
            except Exception:
                await self.cometd.abort()
        await self.http.aclose()


def _cometd_failure(what: str, error: BaseException) -> StepFailed:
    if isinstance(error, _HttpStatusError) and error.status == 403:
        return StepFailed(
            f"the CometD {what} got 403 Forbidden",
            "the API key may not be allowed Statistics notifications: ask Genesys",
        )
    if isinstance(error, _HttpStatusError) and error.status == 401:
        return StepFailed(
            f"the CometD {what} got 401 with a fresh token", "the user may lack Statistics API access: ask Genesys"
        )
    if isinstance(error, ServerError):
        reason = error.response.get("error") if isinstance(error.response, dict) else None
        return StepFailed(
            f"Genesys refused the CometD {what} ({str(reason or error.message)[:200]})",
            "check that this API key and user may use Statistics notifications, and "
            f"that no proxy blocks long polling to {NOTIFICATIONS_PATH}",
        )
    return StepFailed(
        f"the CometD {what} failed ({type(error).__name__})",
        f"check that no proxy or firewall blocks {NOTIFICATIONS_PATH} (long polling)",
    )


def _short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."

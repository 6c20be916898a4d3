"""The Statistics REST calls on httpx, with the retry rules the bridge needs.

- every request carries `x-api-key`, the bearer token and the shared cookies;
- 401: the token is invalidated and the call repeated with a new one (at most
  twice in a row, then TokenRejected);
- 5xx and timeouts: retried with jittered backoff a few times, then raised;
- 400: SubscriptionError with the upstream's message (it names the bad item);
- status code 2 (partial success) is returned as is: statsbridge/refusals.py reads it;
- DELETE answered 404: the subscription is already gone, which is what DELETE wanted.
- 403: the gateway's bare `{"message": "Forbidden"}` is a refused API key (ApiKeyRejected,
  seed 002 "Troubleshooting"); a 403 in Genesys' envelope refuses only this request
  (RequestRefused, seed 002 "Statistics API", POST /subscriptions).
Imports nothing from Django and never touches the channel layer.
"""

from __future__ import annotations

import logging
from typing import Any, NoReturn
from urllib.parse import quote

import httpx
import orjson

from statsbridge.backoff import Backoff
from statsbridge.config import BridgeConfig
from statsbridge.exceptions import (
    ApiKeyRejected,
    ProtocolError,
    RequestRefused,
    SubscriptionError,
    TokenRejected,
    TransportError,
    UpstreamUnavailable,
)
from statsbridge.tokens import TokenProvider

log = logging.getLogger(__name__)
STATS = "/statistics/v3"


class StatisticsClient:
    RETRIES = 3
    MAX_AUTH_RETRIES = 2

    def __init__(self, config: BridgeConfig, http: httpx.AsyncClient, tokens: TokenProvider) -> None:
        self.config = config
        self.http = http
        self.tokens = tokens
        self.unauthorized = 0  # 401s seen, for metrics and tests

    # Reference: seed 002 "Create a subscription"
    async def create_subscription(self, operation_id: str, statistics: list[dict]) -> dict:
        body = {"operationId": operation_id, "data": {"statistics": statistics}}
        return await self._call("POST", f"{STATS}/subscriptions", params={"verbose": "INFO"}, json=body)

    # Reference: seed 002 "Get the values of statistics in a subscription"
    async def subscription_values(self, subscription_id: str, statistic_ids: list[str] | None = None) -> dict:
        params = {"verbose": "INFO"}
        if statistic_ids:
            params["statisticIds"] = ",".join(statistic_ids)
        return await self._call("GET", f"{STATS}/subscriptions/{subscription_id}/statistic-values", params=params)

    # Reference: seed 002 "Delete a subscription" (fire-and-forget, always success). A 404
    # (a gateway, or a service restarted meanwhile) means already gone: not an error.
    async def delete_subscription(self, subscription_id: str) -> None:
        try:
            await self._call("DELETE", f"{STATS}/subscriptions/{subscription_id}")
        except SubscriptionError as error:
            if error.http_status != 404:
                raise
            log.info("subscription %s was already gone (404 on DELETE)", subscription_id)

    # Reference: seed 002 "Get the values of statistics without a subscription"
    async def peek(self, statistics: list[dict]) -> dict:
        return await self._call(
            "POST", f"{STATS}/operations/get-statistic-ex", json={"data": {"statistics": statistics}}
        )

    # Reference: seed 002 "Statistics API", GET /statistic-values/{statisticName}. The name
    # is a path segment: escaped, or a '#', '?' or '/' in it would ask for another statistic.
    async def peek_one(self, name: str, object_type: str, object_id: str) -> dict:
        return await self._call(
            "GET",
            f"{STATS}/statistic-values/{quote(name, safe='')}",
            params={"objectType": object_type, "objectId": object_id},
        )

    async def _call(self, method: str, path: str, *, params: dict | None = None, json: Any = None) -> dict:
        backoff = Backoff(base=0.25, cap=5.0)
        auth_failures = 0
        attempt = 0
        while True:
            attempt += 1
            token = await self.tokens.token()
            try:
                response = await self._send(method, path, token, params, json)
            except TransportError:
                if attempt > self.RETRIES:
                    raise
                await backoff.sleep()
                continue
            if response.status_code == 401:
                self.unauthorized += 1
                auth_failures += 1
                self.tokens.invalidate(token)
                if auth_failures > self.MAX_AUTH_RETRIES:
                    raise TokenRejected(f"{method} {path}: 401 after a fresh token")
                continue
            if response.status_code in (502, 503, 504) or response.status_code >= 500:
                if response.status_code == 503 or attempt > self.RETRIES:
                    raise UpstreamUnavailable(f"{method} {path}: {response.status_code} {_message(response)}")
                await backoff.sleep()
                continue
            return self._body(method, path, response)

    async def _send(self, method: str, path: str, token: str, params: dict | None, json: Any) -> httpx.Response:
        headers = {"x-api-key": self.config.api_key, "Authorization": f"Bearer {token}"}
        content = orjson.dumps(json) if json is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            return await self.http.request(
                method,
                self.config.base_url + path,
                params=params,
                content=content,
                headers=headers,
                timeout=self.config.request_timeout,
            )
        except httpx.HTTPError as error:
            raise TransportError(f"{method} {path}: {type(error).__name__}") from None

    def _body(self, method: str, path: str, response: httpx.Response) -> dict:
        if response.status_code == 403:
            _raise_forbidden(method, path, response)
        if response.status_code in (400, 404):
            message = _message(response)
            raise SubscriptionError(
                f"{method} {path}: {response.status_code} {message}",
                upstream_message=message,
                http_status=response.status_code,
            )
        if response.status_code >= 300:
            raise ProtocolError(f"{method} {path}: unexpected HTTP {response.status_code}")
        try:
            body = orjson.loads(response.content) if response.content else {}
        except orjson.JSONDecodeError:
            raise ProtocolError(f"{method} {path}: reply is not JSON") from None
        if not isinstance(body, dict):
            raise ProtocolError(f"{method} {path}: reply is not a JSON object")
        code = (body.get("status") or {}).get("code", 0) if isinstance(body.get("status"), dict) else 0
        if code not in (0, 1, 2):
            raise SubscriptionError(f"{method} {path}: status {code} {_message(response)}")
        return body


def _raise_forbidden(method: str, path: str, response: httpx.Response) -> NoReturn:
    """Only the gateway's body without Genesys' `status` means the API key was refused."""
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("status"), dict):
        message = _message(response)
        raise RequestRefused(f"{method} {path}: 403 {message}", upstream_message=message)
    raise ApiKeyRejected(f"{method} {path}: 403 Forbidden (API key refused)")


def _message(response: httpx.Response) -> str:
    """The upstream's error message (never our request, which may carry secrets)."""
    try:
        body = response.json()
    except ValueError:
        return response.reason_phrase
    if isinstance(body, dict):
        status = body.get("status")
        if isinstance(status, dict) and isinstance(status.get("message"), str):
            return status["message"][:500]
        if isinstance(body.get("message"), str):
            return body["message"][:500]
    return response.reason_phrase

"""The Statistics REST API, `/statistics/v3`: the five calls with their envelopes.

Reference: seed 002 "Statistics Overview" and "Statistics API".
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from aiohttp import web

from statsbridge.simulator.http_common import (
    ApiError,
    bearer_token,
    envelope,
    error_body,
    json_response,
    read_json,
)
from statsbridge.simulator.model import ContactCenter
from statsbridge.simulator.statistics import (
    PRECONFIGURED,
    InvalidStatistic,
    NotificationPolicy,
    StatisticSpec,
    evaluate,
    parse_statistic,
)
from statsbridge.simulator.subscriptions import OpenStatistic, Subscription, SubscriptionRegistry
from statsbridge.simulator.tokens import TokenStore

BASE = "/statistics/v3"


def now_ms() -> int:
    return int(time.time() * 1000)


class StatisticsApi:
    def __init__(
        self,
        center: ContactCenter,
        registry: SubscriptionRegistry,
        tokens: TokenStore,
        is_available: Callable[[], bool],
    ) -> None:
        self.center = center
        self.registry = registry
        self.tokens = tokens
        self.is_available = is_available
        self.requests = 0
        self.delete_unknown_404 = False  # control `delete-404`: answer as a gateway might
        self.forbidden_objects: set[str] = set()  # control `forbid-objects`

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(BASE + "/subscriptions", self.create_subscription),
            web.get(BASE + "/subscriptions/{id}/statistic-values", self.subscription_values),
            web.delete(BASE + "/subscriptions/{id}", self.delete_subscription),
            web.post(BASE + "/operations/get-statistic-ex", self.peek_many),
            web.get(BASE + "/statistic-values/{name}", self.peek_one),
        ]

    def _owner(self, request: web.Request) -> str:
        self.requests += 1
        owner = self.tokens.user_for(bearer_token(request))
        if owner is None:
            raise ApiError(401, "Unauthorized: missing, invalid or expired access token")
        if not self.is_available():
            raise ApiError(503, "Service unavailable: Stat Server is not reachable")
        self.center.advance(time.time())
        return owner

    # Reference: seed 002 "Create a subscription"; "Responses and errors" (status code 2:
    # the statistics that opened in `data`, one error per refused statistic in `errors`).
    async def create_subscription(self, request: web.Request) -> web.Response:
        owner = self._owner(request)
        verbose = _verbose(request)
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiError(400, "body must be a JSON object with 'operationId' and 'data'")
        self._check_permitted(body)
        operation_id = body.get("operationId", str(uuid.uuid4()))
        if not isinstance(operation_id, str) or not operation_id:
            raise ApiError(400, "operationId must be a non-empty string")
        if self.registry.exists(operation_id):
            raise ApiError(400, f"operationId {operation_id!r} is already a subscription")
        subscription, errors = self._open(operation_id, owner, _statistics_list(body))
        if not subscription.statistics:
            raise ApiError(
                400,
                errors[0]["status"]["message"],
                body={**error_body(400, errors[0]["status"]["message"]), "errors": errors},
            )
        stamp = now_ms()
        records = []
        for open_stat in subscription.statistics.values():
            value = evaluate(open_stat.spec, self.center)
            open_stat.last_value, open_stat.last_sent = value, time.time()
            records.append(_record(open_stat, value, stamp, verbose))
        self.registry.add(subscription)
        data = {"subscriptionId": operation_id, "operationId": operation_id, "statistics": records}
        if errors:
            return json_response(envelope(data, code=2, errors=errors))
        return json_response(envelope(data))

    def _open(self, operation_id: str, owner: str, raw_stats: list) -> tuple[Subscription, list[dict]]:
        """The statistics that can be opened, and one Genesys error object per refused one."""
        subscription = Subscription(operation_id, owner)
        errors: list[dict] = []
        for index, raw in enumerate(raw_stats):
            where = f"statistics[{index}]"
            statistic_id = raw.get("statisticId") if isinstance(raw, dict) else None
            if not isinstance(statistic_id, str) or not statistic_id:
                raise ApiError(400, f"{where}.statisticId: a non-empty string is required")
            if statistic_id in subscription.statistics or any(
                e["status"]["detail"]["statisticId"] == statistic_id for e in errors
            ):
                raise ApiError(400, f"{where}.statisticId: duplicate {statistic_id!r}")
            try:
                spec = parse_statistic({k: v for k, v in raw.items() if k != "statisticId"}, self.center, where=where)
            except InvalidStatistic as error:
                errors.append(statistic_error(statistic_id, str(error)))
                continue
            subscription.statistics[statistic_id] = OpenStatistic(
                operation_id, statistic_id, spec, NotificationPolicy.for_spec(spec)
            )
        return subscription, errors

    # Reference: seed 002 "Get the values of statistics in a subscription"
    async def subscription_values(self, request: web.Request) -> web.Response:
        owner = self._owner(request)
        verbose = _verbose(request)
        subscription = self.registry.get(owner, request.match_info["id"])
        if subscription is None:
            raise ApiError(404, f"subscription {request.match_info['id']!r} not found")
        wanted = [s for s in request.query.get("statisticIds", "").split(",") if s]
        unknown = [s for s in wanted if s not in subscription.statistics]
        if unknown:
            raise ApiError(400, f"statisticIds: unknown in this subscription: {', '.join(unknown)}")
        chosen = [subscription.statistics[s] for s in wanted] or list(subscription.statistics.values())
        stamp = now_ms()
        records = [_record(o, evaluate(o.spec, self.center), stamp, verbose) for o in chosen]
        return json_response(envelope({"subscriptionId": subscription.subscription_id, "statistics": records}))

    # Reference: seed 002 "Delete a subscription": fire-and-forget, always success
    # (unless the `delete-404` control asks for a 404 on an unknown id).
    async def delete_subscription(self, request: web.Request) -> web.Response:
        owner = self._owner(request)
        subscription_id = request.match_info["id"]
        if self.delete_unknown_404 and self.registry.get(owner, subscription_id) is None:
            raise ApiError(404, f"subscription {subscription_id!r} not found")
        self.registry.delete(owner, subscription_id)
        return json_response(envelope())

    # Reference: seed 002 "Get the values of statistics without a subscription"
    async def peek_many(self, request: web.Request) -> web.Response:
        self._owner(request)
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiError(400, "body must be a JSON object with 'data'")
        stamp = now_ms()
        records = []
        for index, raw in enumerate(_statistics_list(body)):
            where = f"statistics[{index}]"
            spec = self._parse(raw, where, adhoc=False)
            records.append(
                {
                    "name": spec.name,
                    "objectType": spec.object_type,
                    "objectId": spec.object_id,
                    "value": evaluate(spec, self.center),
                    "timestamp": stamp,
                }
            )
        return json_response(envelope({"statistics": records}))

    async def peek_one(self, request: web.Request) -> web.Response:
        self._owner(request)
        name = request.match_info["name"]
        if name not in PRECONFIGURED:
            raise ApiError(404, f"statistic {name!r} is not configured")
        raw = {"name": name, "objectType": request.query.get("objectType"), "objectId": request.query.get("objectId")}
        spec = self._parse(raw, "query", adhoc=False)
        return json_response(envelope({"statistic": {"value": evaluate(spec, self.center), "timestamp": now_ms()}}))

    def _check_permitted(self, body: dict) -> None:
        """Seed 002 "Statistics API" lists 403 for POST /subscriptions in the Genesys
        envelope (unlike the gateway's bare bad-API-key 403): one object the account may
        not read refuses the whole request."""
        data = body.get("data")
        stats = data.get("statistics") if isinstance(data, dict) else None
        for raw in stats if isinstance(stats, list) else []:
            object_id = raw.get("objectId") if isinstance(raw, dict) else None
            if object_id in self.forbidden_objects:
                raise ApiError(403, f"Forbidden: no permission to read object {object_id!r}")

    def _parse(self, raw: Any, where: str, adhoc: bool = True) -> StatisticSpec:
        try:
            return parse_statistic(raw, self.center, where=where, adhoc=adhoc)
        except InvalidStatistic as error:
            raise ApiError(400, str(error)) from None


def statistic_error(statistic_id: str, message: str) -> dict:
    """One refused statistic, as an ErrorResponse of seed 002 "Statistics API"
    (`{"status": {"code", "message", "detail"}}`). Which statistic it is, in `detail`,
    is the simulator's choice: the seed does not say (clients must not rely on it)."""
    return {"status": {"code": 400, "message": message, "detail": {"statisticId": statistic_id}}}


def _verbose(request: web.Request) -> bool:
    value = request.query.get("verbose", "INFO")
    if value not in ("INFO", "OFF"):
        raise ApiError(400, f"verbose must be INFO or OFF, got {value!r}")
    return value == "INFO"


def _statistics_list(body: dict) -> list:
    data = body.get("data")
    if not isinstance(data, dict):
        raise ApiError(400, "data must be an object with a 'statistics' array")
    stats = data.get("statistics")
    if not isinstance(stats, list) or not stats:
        raise ApiError(400, "data.statistics must be a non-empty array")
    if len(stats) > 10_000:
        raise ApiError(400, "data.statistics: at most 10000 statistics per request")
    return stats


def _record(open_stat: OpenStatistic, value: Any, stamp: int, verbose: bool) -> dict:
    record: dict[str, Any] = {"statisticId": open_stat.statistic_id, "value": value, "timestamp": stamp}
    if verbose:
        spec = open_stat.spec
        record.update(objectId=spec.object_id, objectType=spec.object_type)
        if spec.name:
            record["name"] = spec.name
    return record

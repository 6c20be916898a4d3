"""Fault and load controls under `/simulator/v1/` (only on the simulator).

Reference: ../shared/interfaces.md "Simulator control". These endpoints need no
API key: they are the test harness's, not part of the emulated Genesys API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from aiohttp import web

from statsbridge.agent_status import AgentState
from statsbridge.simulator.auth_api import USERNAME_FORMS
from statsbridge.simulator.http_common import ApiError, json_response, read_json
from statsbridge.simulator.statistics import PRECONFIGURED

if TYPE_CHECKING:
    from statsbridge.simulator.server import Simulator

BASE = "/simulator/v1"


class ControlApi:
    def __init__(self, simulator: Simulator) -> None:
        self.sim = simulator

    def routes(self) -> list[web.RouteDef]:
        return [
            web.get(BASE + "/objects", self.objects),
            web.get(BASE + "/state", self.state),
            web.post(BASE + "/outage", self.outage),
            web.post(BASE + "/restart", self.restart),
            web.post(BASE + "/expire-tokens", self.expire_tokens),
            web.post(BASE + "/rate", self.rate),
            web.post(BASE + "/agent-state", self.agent_state),
            web.post(BASE + "/advice", self.advice),
            web.post(BASE + "/require-cookie", self.require_cookie),
            web.post(BASE + "/delete-404", self.delete_404),
            web.post(BASE + "/service-state-case", self.service_state_case),
            web.post(BASE + "/auth-policy", self.auth_policy),
            web.post(BASE + "/refuse-cometd", self.refuse_cometd),
            web.post(BASE + "/forbid-objects", self.forbid_objects),
            web.post(BASE + "/token-reply", self.token_reply),
            web.post(BASE + "/agent-status-keys", self.agent_status_keys),
            web.post(BASE + "/queue-closed", self.queue_closed),
        ]

    async def objects(self, request: web.Request) -> web.Response:
        creds = self.sim.credentials
        return json_response(
            {
                "objects": self.sim.center.objects(),
                "statistics": sorted(PRECONFIGURED),
                "credentials": {
                    "api_key": creds.api_key,
                    "client_id": creds.client_id,
                    "client_secret": creds.client_secret,
                    "username": creds.username,
                    "password": creds.password,
                    "user_domain": creds.user_domain,
                },
                "skill_sources": {
                    "web_services": {"username": creds.ws_username, "password": creds.ws_password},
                    "skill_export": {
                        "token": creds.export_token,
                        "token_path": "/oauth/token",
                        "client_id": creds.export_client_id,
                        "client_secret": creds.export_client_secret,
                    },
                },
            }
        )

    async def state(self, request: web.Request) -> web.Response:
        return json_response(self.sim.counts())

    async def outage(self, request: web.Request) -> web.Response:
        seconds = _number(await read_json(request), "seconds", minimum=0, maximum=3600)
        self.sim.start_outage(seconds)
        return json_response({"serviceState": "UNAVAILABLE", "available_in_s": seconds})

    async def restart(self, request: web.Request) -> web.StreamResponse:
        """No body: forget everything at once. `{"down_seconds": N}`: also stop listening
        for N seconds (connections refused and closed), as a restarted process."""
        if not await request.read():
            self.sim.restart()
            return json_response({"restarted": True})
        seconds = _number(await read_json(request), "down_seconds", minimum=0, maximum=600)
        response = json_response({"restarted": True, "down_seconds": seconds})
        await response.prepare(request)
        await response.write_eof()  # sent before this very connection is closed
        self.sim.schedule_restart(seconds)
        return response

    async def expire_tokens(self, request: web.Request) -> web.Response:
        """Every issued token now gets refused. `{"status": 403}`: CometD answers refused
        tokens 403 instead of 401 from now on (as some gateways do); `{"status": 401}` back."""
        status = self.sim.tokens.cometd_rejection
        if await request.read():
            body = await read_json(request)
            status = body.get("status") if isinstance(body, dict) else None
            if status not in (401, 403):
                raise ApiError(400, "status must be 401 or 403")
        self.sim.tokens.cometd_rejection = status
        self.sim.tokens.expire_all()
        self.sim.export_tokens.expire_all()  # the export's client-credentials tokens too
        return json_response({"expired": True, "cometd_status": status})

    async def delete_404(self, request: web.Request) -> web.Response:
        """{"enabled": true}: DELETE of a subscription the service does not know answers
        404 (as a gateway may) instead of the documented fire-and-forget success."""
        body = await read_json(request)
        value = body.get("enabled") if isinstance(body, dict) else None
        if not isinstance(value, bool):
            raise ApiError(400, "enabled must be true or false")
        self.sim.statistics.delete_unknown_404 = value
        return json_response({"enabled": value})

    async def service_state_case(self, request: web.Request) -> web.Response:
        """{"case": "lower"|"upper"}: how ServiceStateChange spells its serviceState."""
        body = await read_json(request)
        value = body.get("case") if isinstance(body, dict) else None
        if value not in ("lower", "upper"):
            raise ApiError(400, "case must be 'lower' or 'upper'")
        self.sim.service_state_case = value
        return json_response({"case": value})

    async def rate(self, request: web.Request) -> web.Response:
        rate = _number(await read_json(request), "updates_per_second", minimum=0, maximum=1_000_000)
        self.sim.publisher.rate = rate
        return json_response({"updates_per_second": rate})

    async def agent_state(self, request: web.Request) -> web.Response:
        """Force an agent into a state: {"agent": "agent001", "state": "Ready", "reason": null}."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiError(400, "body must be an object with 'agent' and 'state'")
        try:
            state = AgentState(body.get("state"))
        except ValueError:
            raise ApiError(400, f"state must be one of {[s.value for s in AgentState]}") from None
        agent = body.get("agent")
        if not isinstance(agent, str) or not self.sim.center.has_object("Agent", agent):
            raise ApiError(400, f"agent: unknown agent {agent!r}")
        try:
            self.sim.center.set_agent_state(agent, state, body.get("reason"))
        except (ValueError, KeyError) as error:
            raise ApiError(400, f"cannot set {agent} to {state.value}: {error}") from None
        return json_response({"agent": agent, "state": state.value})

    async def advice(self, request: web.Request) -> web.Response:
        """Set the Bayeux reconnect advice: {"reconnect": "retry"|"handshake"|"none"}."""
        body = await read_json(request)
        value = body.get("reconnect") if isinstance(body, dict) else None
        if value not in ("retry", "handshake", "none"):
            raise ApiError(400, "reconnect must be 'retry', 'handshake' or 'none'")
        self.sim.bayeux.reconnect_advice = value
        return json_response({"reconnect": value})

    async def require_cookie(self, request: web.Request) -> web.Response:
        """Act as a sticky load balancer: {"require": true} refuses Statistics requests
        (REST and CometD) that do not carry an issued STATISTICS_SESSIONID with 503."""
        body = await read_json(request)
        value = body.get("require") if isinstance(body, dict) else None
        if not isinstance(value, bool):
            raise ApiError(400, "require must be true or false")
        self.sim.cookies.require = value
        return json_response({"require": value})

    async def auth_policy(self, request: web.Request) -> web.Response:
        """What the token endpoint accepts: {"username_form": "either"|"plain"|"domain",
        "password_grant": true|false}; either key may be left out."""
        body = await read_json(request)
        if not isinstance(body, dict):
            raise ApiError(400, "body must be an object")
        form, grant = (
            body.get("username_form", self.sim.auth.username_form),
            body.get("password_grant", self.sim.auth.password_grant),
        )
        if form not in USERNAME_FORMS:
            raise ApiError(400, f"username_form must be one of {list(USERNAME_FORMS)}")
        if not isinstance(grant, bool):
            raise ApiError(400, "password_grant must be true or false")
        self.sim.auth.username_form, self.sim.auth.password_grant = form, grant
        return json_response({"username_form": form, "password_grant": grant})

    async def refuse_cometd(self, request: web.Request) -> web.Response:
        """{"refuse": true}: every CometD handshake is answered unsuccessful, advice none."""
        body = await read_json(request)
        value = body.get("refuse") if isinstance(body, dict) else None
        if not isinstance(value, bool):
            raise ApiError(400, "refuse must be true or false")
        self.sim.bayeux.refuse_handshakes = value
        return json_response({"refuse": value})

    async def forbid_objects(self, request: web.Request) -> web.Response:
        """{"objects": ["agent003"]}: POST /subscriptions naming one of them answers 403
        in the Genesys envelope (the account may not read it); `[]` allows all again."""
        body = await read_json(request)
        value = body.get("objects") if isinstance(body, dict) else None
        if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
            raise ApiError(400, "objects must be a list of object ids")
        self.sim.statistics.forbidden_objects = set(value)
        return json_response({"objects": sorted(value)})

    async def token_reply(self, request: web.Request) -> web.Response:
        """{"reply": "html"|"list"|"normal"}: successful token grants answer 200 with an
        HTML page or a JSON list (a proxy or a wrong base URL), or the documented JSON."""
        body = await read_json(request)
        value = body.get("reply") if isinstance(body, dict) else None
        if value not in ("normal", "html", "list"):
            raise ApiError(400, "reply must be 'normal', 'html' or 'list'")
        self.sim.auth.token_reply = value
        return json_response({"reply": value})

    async def queue_closed(self, request: web.Request) -> web.Response:
        """Close a queue for the day: {"queue": "8008@SIP_Switch", "closed": true}; reopen with false."""
        body = await read_json(request)
        wanted = body.get("queue") if isinstance(body, dict) else None
        queue = next((q for q in self.sim.center.queues if q.queue_id == wanted), None)
        if queue is None:
            raise ApiError(400, f"queue: unknown queue {wanted!r}")
        if body.get("closed", True):
            queue.close()
        else:
            queue.closed = False
        return json_response({"queue": queue.queue_id, "closed": queue.closed})

    async def agent_status_keys(self, request: web.Request) -> web.Response:
        """{"style": "pascal"|"camel"|"lower"}: the key case of AgentStatus values
        (`Status`, `status`...): no source shows the JSON's, so clients must cope."""
        body = await read_json(request)
        value = body.get("style") if isinstance(body, dict) else None
        if value not in ("pascal", "camel", "lower"):
            raise ApiError(400, "style must be 'pascal', 'camel' or 'lower'")
        self.sim.center.agent_status_keys = value
        return json_response({"style": value})


def _number(body: object, key: str, *, minimum: float, maximum: float) -> float:
    value = body.get(key) if isinstance(body, dict) else None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ApiError(400, f"{key}: a number is required")
    if not minimum <= value <= maximum:
        raise ApiError(400, f"{key}: must be between {minimum} and {maximum}")
    return float(value)

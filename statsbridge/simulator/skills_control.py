"""Controls for the skills endpoints, under `/simulator/v1/` beside control_api.py.

They change who knows what (`agent-skills`) and make the Web Services v2 and export
endpoints misbehave (`skills-faults`), so the product's sync can be tested against a
change and against each way an upstream fails. Like the other controls they need no
API key: they are the test harness's, not part of any emulated API.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from aiohttp import web

from statsbridge.simulator.http_common import ApiError, json_response, read_json
from statsbridge.simulator.skills_faults import EXPORT_KINDS, ExportFault

if TYPE_CHECKING:
    from statsbridge.simulator.server import Simulator

BASE = "/simulator/v1"


class SkillsControl:
    def __init__(self, simulator: Simulator) -> None:
        self.sim = simulator

    def routes(self) -> list[web.RouteDef]:
        return [
            web.post(BASE + "/agent-skills", self.agent_skills),
            web.get(BASE + "/skills-faults", self.show_faults),
            web.post(BASE + "/skills-faults", self.set_faults),
        ]

    async def agent_skills(self, request: web.Request) -> web.Response:
        """Replace an agent's skills: {"agent": "agent001", "skills": {"Spanish": 5}}."""
        body = await read_json(request)
        agent = body.get("agent") if isinstance(body, dict) else None
        skills = body.get("skills") if isinstance(body, dict) else None
        if not isinstance(agent, str) or not isinstance(skills, dict):
            raise ApiError(400, 'body must be {"agent": "agent001", "skills": {"Spanish": 5}}')
        try:
            self.sim.skills.set_agent_skills(agent, skills)
        except KeyError as error:
            raise ApiError(400, str(error.args[0])) from None
        except ValueError as error:
            raise ApiError(400, str(error)) from None
        return json_response({"agent": agent, "skills": skills})

    async def show_faults(self, request: web.Request) -> web.Response:
        return json_response(self.sim.skill_faults.describe())

    async def set_faults(self, request: web.Request) -> web.Response:
        """{"export": {"after_pages": 1, "kind": "status", "status": 500}},
        {"ws": {"status": 503}} (or {"ws": null} to end it), {"uris_only": true}
        (every WS list ignores `fields`; false ends it), {"export_token_seconds": N}
        (lifetime of client-credentials tokens issued from now on), {"clear": true}."""
        body = await read_json(request)
        keys = {"export", "ws", "uris_only", "export_token_seconds", "clear"}
        if not isinstance(body, dict) or not keys & body.keys():
            raise ApiError(400, f"body must have one of {sorted(keys)}")
        lifetime = body.get("export_token_seconds", 1)
        if isinstance(lifetime, bool) or not isinstance(lifetime, (int, float)) or not 0 < lifetime <= 86400:
            raise ApiError(400, "export_token_seconds: a number of seconds, 0 < N <= 86400, is required")
        if "uris_only" in body and not isinstance(body["uris_only"], bool):
            raise ApiError(400, "uris_only: true or false is required")
        faults = self.sim.skill_faults
        # Validate everything before changing anything.
        export = _export_fault(body["export"]) if body.get("export") is not None else None
        ws = _status(body["ws"], "ws.status") if body.get("ws") is not None else None
        if body.get("clear") is True:
            faults.clear()
        if "export" in body:
            faults.export = export
        if "ws" in body:
            faults.ws_status = ws
        if "uris_only" in body:
            faults.ws_uris_only = body["uris_only"]
        if "export_token_seconds" in body:
            self.sim.export_tokens.lifetime_s = lifetime
        return json_response(faults.describe() | {"export_token_seconds": self.sim.export_tokens.lifetime_s})


def _export_fault(spec: Any) -> ExportFault:
    if not isinstance(spec, dict):
        raise ApiError(400, "export: an object with 'kind' is required")
    kind = spec.get("kind")
    if kind not in EXPORT_KINDS:
        raise ApiError(400, f"export.kind: must be one of {list(EXPORT_KINDS)}")
    after = spec.get("after_pages", 0)
    if isinstance(after, bool) or not isinstance(after, int) or not 0 <= after <= 1_000_000:
        raise ApiError(400, "export.after_pages: a whole number >= 0 is required")
    status = _status(spec, "export.status") if kind == "status" else 500
    return ExportFault(kind=kind, after_pages=after, status=status)


def _status(spec: Any, where: str) -> int:
    value = spec.get("status", 500) if isinstance(spec, dict) else None
    if isinstance(value, bool) or not isinstance(value, int) or not 400 <= value <= 599:
        raise ApiError(400, f"{where}: an HTTP error status 400..599 is required")
    return value

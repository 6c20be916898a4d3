"""The skill-clusters export: one POST, cursor-paginated by external_id.

Reference: seed 004 "Export Employee Skill Clusters data".

- Authorization: `Bearer <token>`, the fixed `export_token` (a pasted token) or one the
  client-credentials endpoint issued and that has not expired (export_oauth_api.py);
  anything else is 401 `{"detail": ...}`.
- The body is validated as skill_export_query.py describes (422 on any problem; a body
  that is not JSON is 422 too, with `type: json_invalid`, as FastAPI answers).
- Records are sorted by external_id. `starting_after` continues after that employee
  (who may be one the filters exclude); an id that is no employee's is 400.
- `next_starting_after` is the last external_id of the page while `has_next` is true,
  and is omitted on the last page (the seed types it as a plain string, not nullable).
- Cluster parts (`current_skills`, `related_skills`, `rejected_skills`, `sources`) are
  present only when named in `include`.
Faults set through the control API (skills_faults.py) apply after authentication and
validation, as a broken backend behind a working gateway would.
"""

from __future__ import annotations

import bisect
import secrets

import orjson
from aiohttp import web

from statsbridge.simulator.credentials import SimulatorCredentials
from statsbridge.simulator.export_oauth_api import ExportTokens
from statsbridge.simulator.http_common import bearer_token, json_response
from statsbridge.simulator.skill_export_query import ExportQuery, parse_query
from statsbridge.simulator.skills_clusters import clusters_for, strip_parts
from statsbridge.simulator.skills_faults import ExportFault, SkillFaults
from statsbridge.simulator.skills_model import Employee, SkillsModel

PATH = "/export/employees/skill_clusters"


class SkillExportApi:
    def __init__(
        self,
        model: SkillsModel,
        faults: SkillFaults,
        credentials: SimulatorCredentials,
        tokens: ExportTokens | None = None,
    ) -> None:
        self.model = model
        self.faults = faults
        self.credentials = credentials
        self.tokens = tokens or ExportTokens()
        self.requests = 0
        self.unauthorized = 0  # 401s answered
        self.pages = 0  # pages answered 200 with well-formed records

    def routes(self) -> list[web.RouteDef]:
        return [web.post(PATH, self.export)]

    # Reference: seed 004 "Export Employee Skill Clusters data".
    async def export(self, request: web.Request) -> web.Response:
        self.requests += 1
        token = bearer_token(request) or ""
        fixed = secrets.compare_digest(token.encode(), self.credentials.export_token.encode())
        if not (fixed or self.tokens.valid(token)):
            self.unauthorized += 1
            return json_response({"detail": "Invalid, expired or missing bearer token"}, status=401)
        try:
            body = orjson.loads(await request.read())
        except orjson.JSONDecodeError:
            return _invalid([{"loc": ["body"], "msg": "JSON decode error", "type": "json_invalid"}])
        query = parse_query(body)
        if query.errors:
            return _invalid(query.errors)
        employees = self.model.employees()
        start = _start_index(employees, query.starting_after)
        if start is None:
            return json_response(
                {"detail": f"starting_after: no employee has external_id {query.starting_after!r}"}, status=400
            )
        page, has_next = _page(employees[start:], query)
        next_cursor = page[-1].external_id if has_next and page else None
        fault = self.faults.export
        if fault is not None and fault.due:
            faulty = _faulty(fault, [_record(e, query) for e in page], next_cursor, query)
            if faulty is not None:
                return faulty
        if fault is not None:
            fault.served_good_page(next_cursor)
        self.pages += 1
        return json_response(_body([_record(e, query) for e in page], has_next, next_cursor))


def _invalid(errors: list[dict]) -> web.Response:
    return json_response({"detail": errors}, status=422)


def _start_index(employees: list[Employee], cursor: str | None) -> int | None:
    """Where the page begins, or None when the cursor names no employee."""
    if cursor is None:
        return 0
    ids = [e.external_id for e in employees]
    i = bisect.bisect_left(ids, cursor)
    return i + 1 if i < len(ids) and ids[i] == cursor else None


def _page(candidates: list[Employee], query: ExportQuery) -> tuple[list[Employee], bool]:
    """Up to `limit` employees passing the filters, and whether any more pass after them."""
    page: list[Employee] = []
    for employee in candidates:
        if not _matches(employee, query):
            continue
        if len(page) == query.limit:
            return page, True
        page.append(employee)
    return page, False


def _matches(employee: Employee, query: ExportQuery) -> bool:
    if query.is_active is not None and employee.is_active != query.is_active:
        return False
    if query.updated_from is not None and employee.updated_at < query.updated_from:
        return False
    return query.updated_to is None or employee.updated_at <= query.updated_to


def _record(employee: Employee, query: ExportQuery) -> dict:
    clusters = [strip_parts(c, query.include) for c in clusters_for(employee)]
    return {"external_id": employee.external_id, "skill_clusters": clusters}


def _body(records: list[dict], has_next: bool, next_cursor: str | None) -> dict:
    body: dict = {"has_next": has_next, "records": records}
    if next_cursor is not None:
        body["next_starting_after"] = next_cursor
    return body


def _faulty(
    fault: ExportFault, records: list[dict], next_cursor: str | None, query: ExportQuery
) -> web.Response | None:
    """The fault's answer, or None when it cannot bite yet (see skills_faults.py)."""
    if fault.kind == "status":
        return json_response({"detail": "Simulated export fault"}, status=fault.status)
    if fault.kind == "not-json":
        return web.Response(text="<html><body><h1>Bad gateway</h1></body></html>", content_type="text/html")
    if fault.kind == "missing-field":
        records = [{k: v for k, v in r.items() if k != "external_id"} for r in records]
        return json_response(_body(records, next_cursor is not None, next_cursor))
    loop_to = fault.loop_cursor or query.starting_after
    if loop_to is None:
        return None
    return json_response(_body(records, True, loop_to))

"""Validating the skill-clusters export request body, error by error.

Reference: seed 004 "Export Employee Skill Clusters data" (Body: limit, starting_after,
filters, include).

The export is a FastAPI-style service, so a bad body is a 422 listing *every* problem
as `{"loc": ["body", field, ...], "msg", "type"}`, as pydantic reports them. Types are
strict: "10" is not a valid limit. Unknown top-level keys are ignored.

The seed names the `last_updated` filter without its fields; this simulator accepts
`{"filter": "last_updated", "from": ISO-8601, "to": ISO-8601}` (either bound optional,
both inclusive, a date-time with or without zone, naive meaning UTC) and applies it to
each employee's last change.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from statsbridge.simulator.skills_clusters import OPTIONAL_PARTS

MIN_LIMIT, MAX_LIMIT, MAX_CURSOR = 1, 100, 100


@dataclass
class ExportQuery:
    limit: int = 0
    starting_after: str | None = None
    is_active: bool | None = None
    updated_from: datetime | None = None
    updated_to: datetime | None = None
    include: frozenset[str] = frozenset()
    errors: list[dict] = field(default_factory=list)

    def error(self, loc: tuple, msg: str, kind: str) -> None:
        self.errors.append({"loc": ["body", *loc], "msg": msg, "type": kind})


def parse_query(body: Any) -> ExportQuery:
    """The validated query; check `.errors` before using it."""
    query = ExportQuery()
    if not isinstance(body, dict):
        query.errors.append({"loc": ["body"], "msg": "Input should be a valid dictionary", "type": "dict_type"})
        return query
    _limit(query, body)
    _starting_after(query, body)
    _filters(query, body.get("filters"))
    _include(query, body.get("include"))
    return query


def _limit(query: ExportQuery, body: dict) -> None:
    if "limit" not in body:
        return query.error(("limit",), "Field required", "missing")
    value = body["limit"]
    if isinstance(value, bool) or not isinstance(value, int):
        return query.error(("limit",), "Input should be a valid integer", "int_type")
    if value < MIN_LIMIT:
        return query.error(("limit",), f"Input should be greater than or equal to {MIN_LIMIT}", "greater_than_equal")
    if value > MAX_LIMIT:
        return query.error(("limit",), f"Input should be less than or equal to {MAX_LIMIT}", "less_than_equal")
    query.limit = value


def _starting_after(query: ExportQuery, body: dict) -> None:
    value = body.get("starting_after")
    if value is None:
        return
    if not isinstance(value, str):
        return query.error(("starting_after",), "Input should be a valid string", "string_type")
    if len(value) > MAX_CURSOR:
        return query.error(
            ("starting_after",), f"String should have at most {MAX_CURSOR} characters", "string_too_long"
        )
    query.starting_after = value


def _filters(query: ExportQuery, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        return query.error(("filters",), "Input should be a valid list", "list_type")
    for i, item in enumerate(value):
        tag = item.get("filter") if isinstance(item, dict) else None
        if tag == "is_active":
            flag = item.get("is_active")
            if not isinstance(flag, bool):
                query.error(("filters", i, "is_active", "is_active"), "Input should be a valid boolean", "bool_type")
            else:
                query.is_active = flag
        elif tag == "last_updated":
            query.updated_from = _when(query, item, i, "from") or query.updated_from
            query.updated_to = _when(query, item, i, "to") or query.updated_to
        else:
            query.error(
                ("filters", i),
                "Input tag does not match any of the expected tags: 'is_active', 'last_updated'",
                "union_tag_invalid",
            )


def _when(query: ExportQuery, item: dict, i: int, key: str) -> datetime | None:
    raw = item.get(key)
    if raw is None:
        return None
    try:
        when = datetime.fromisoformat(raw) if isinstance(raw, str) else None
    except ValueError:
        when = None
    if when is None:
        query.error(("filters", i, "last_updated", key), "Input should be a valid datetime", "datetime_parsing")
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def _include(query: ExportQuery, value: Any) -> None:
    if value is None:
        return
    if not isinstance(value, list):
        return query.error(("include",), "Input should be a valid list", "list_type")
    quoted = [f"'{p}'" for p in OPTIONAL_PARTS]
    expected = f"{', '.join(quoted[:-1])} or {quoted[-1]}"
    for i, part in enumerate(value):
        if part not in OPTIONAL_PARTS:
            query.error(("include", i), f"Input should be {expected}", "enum")
    query.include = frozenset(p for p in value if p in OPTIONAL_PARTS)

"""Which statistics of a new subscription Genesys refused, read from its reply.

Reference: seed 002 "Introduction to Engage Cloud APIs", "Responses and errors": a bulk
operation that partly succeeds answers status code 2 with `data` (what succeeded) and
`errors`, "an array of status objects for each of the operations that failed";
"Statistics API", POST /subscriptions, draws an error as `{"status": {"code", "detail",
"message"}}` (ErrorResponse). The seed does not say how an error names its statistic, so
the rule here assumes nothing: an error that names a statisticId we asked for (in
`detail.statisticId`, or in its message) refuses that statistic; without any, the
statistics asked for and missing from `data.statistics` are the refused ones, each with
the only error's message, or all the messages joined.
"""

from __future__ import annotations

MAX_MESSAGE = 500
UNNAMED = "refused by Genesys (no reason given)"


def refused_statistics(reply: dict, asked: list[str]) -> dict[str, str]:
    """statisticId -> Genesys' message, for each statistic a status-2 reply refused."""
    status = reply.get("status")
    if not isinstance(status, dict) or status.get("code") != 2:
        return {}
    errors = _errors(reply.get("errors"))
    named = {
        key: message
        for named_key, message in errors
        for key in asked
        if named_key == key or (named_key is None and key in message)
    }
    if named:
        return named
    data = reply.get("data") if isinstance(reply.get("data"), dict) else {}
    records = data.get("statistics") if isinstance(data.get("statistics"), list) else []
    opened = {r.get("statisticId") for r in records if isinstance(r, dict)}
    missing = [key for key in asked if key not in opened]
    if len(missing) == len(asked):
        return {}  # code 2 says something opened: a reply we cannot read is not a refusal
    text = "; ".join(message for _, message in errors)[:MAX_MESSAGE] or UNNAMED
    return {key: text for key in missing}


def _errors(raw: object) -> list[tuple[str | None, str]]:
    """(statisticId named in `detail`, or None; message) per error. Accepts an
    ErrorResponse (`{"status": {...}}`) or a bare status object (the seed's prose)."""
    if not isinstance(raw, list):
        return []
    found = []
    for item in raw:
        if not isinstance(item, dict):
            continue
        status = item.get("status") if isinstance(item.get("status"), dict) else item
        message = status.get("message")
        detail = status.get("detail")
        key = detail.get("statisticId") if isinstance(detail, dict) else None
        found.append(
            (
                key if isinstance(key, str) else None,
                message[:MAX_MESSAGE] if isinstance(message, str) and message else UNNAMED,
            )
        )
    return found

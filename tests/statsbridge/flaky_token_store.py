"""A refresh-token store (setting STATSBRIDGE_REFRESH_TOKEN_STORE) whose first saves
fail, as a database that is restarting would."""

from __future__ import annotations

failures_left = 0
saved: list[str] = []


async def load_refresh_token() -> str | None:
    return saved[-1] if saved else None


async def save_refresh_token(token: str) -> None:
    global failures_left
    if failures_left > 0:
        failures_left -= 1
        raise ConnectionError("database restarting")
    saved.append(token)

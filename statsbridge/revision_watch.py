"""The bridge's fallback for a lost `config.changed` notification.

Every configuration edit bumps a revision per scope in its own transaction (`*`,
`d:<slug>`, `w:<slug>`; dashboard/boards/revisions.py) and its notification carries the
revisions it bumped. The notification is one channel-layer message: a full channel, a
layer blink or a process dying between commit and send loses it, and the screens would
show the old configuration until someone reloads them. So every CONFIG_POLL_S the bridge
reads the revisions (one small query, whatever the number of sockets) and handles each
scope that stayed past what notifications said for two polls as its notification would
have been handled (`handle`: re-read the statistics, send the `config` frames). Counted
(`config_changes_polled` on /metrics) and logged: a non-zero count means notifications
are being lost. Snapshots carry the revisions known here (`revisions_for`): a page
rendered before an edit whose `config` frame it missed while it (re)connected sees them
newer than its own and reloads (static/js/socket.js `staleConfig`). No Django here:
`source` is the configuration's side (STATSBRIDGE_CONFIG_REVISIONS, `read_revisions()`
and `messages_for(scopes)`).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Any

log = logging.getLogger(__name__)
CONFIG_POLL_S = 5.0  # a lost notification is acted on 5-10 s after its commit


class RevisionWatch:
    def __init__(self, source: Any, handle: Callable[[dict], Awaitable[None]], every: float = CONFIG_POLL_S) -> None:
        self.source = source
        self.handle = handle
        self.every = every
        self.seen: dict[str, int] | None = None  # None until the first read (the baseline)
        self.changes_found = 0  # scopes whose edit no notification announced
        self.failures = 0
        self.checks = 0
        self.pending: set[str] = set()  # ahead of the notifications at the last poll
        self.behind: set[str] = set()  # the database below what we know at the last poll

    def noted(self, message: dict) -> None:
        """A notification was handled: the revisions it carries are announced."""
        revisions = message.get("revisions")
        if self.seen is None or not isinstance(revisions, dict):
            return
        for scope, revision in revisions.items():
            if isinstance(revision, int) and revision > self.seen.get(str(scope), 0):
                self.seen[str(scope)] = revision

    def revisions_for(self, dashboard: str) -> dict[str, int]:
        """What a snapshot of `dashboard` carries: the revisions known (announced or
        found) of every scope its pages may be rendered at (`*`, its own, the wallboards')."""
        if self.seen is None:
            return {}
        own = f"d:{dashboard}"
        return {s: r for s, r in self.seen.items() if s == "*" or s == own or s.startswith("w:")}

    async def check(self) -> list[str]:
        """One poll: the scopes found changed with no notification (handled). A scope
        is acted on when it was already ahead at the previous poll: a notification
        still on its way (sent after commit, so after the bump) is not taken for lost."""
        current = await self.source.read_revisions()
        self.checks += 1
        if self.seen is None:
            self.seen = dict(current)
            return []
        self._follow_restores(current)
        ahead = {scope for scope, revision in current.items() if revision > self.seen.get(scope, 0)}
        due, self.pending = sorted(ahead & self.pending), ahead - self.pending
        if not due:
            return []
        messages = await self.source.messages_for(due)
        # Known before the frames go: a snapshot built meanwhile carries them, so a socket
        # that joins after the frames still learns of the edit.
        self.seen.update({scope: current[scope] for scope in due})
        for message in messages:
            await self.handle(message)
        self.changes_found += len(due)
        log.warning("configuration changed with no notification (%s): handled from its revision", ", ".join(due))
        return due

    def _follow_restores(self, current: dict[str, int]) -> None:
        """A database restored to older revisions, for two polls (not a read that raced
        a notification): follow it, or every page rendered from it would reload forever."""
        assert self.seen is not None
        behind = {scope for scope, revision in self.seen.items() if current.get(scope, 0) < revision}
        for scope in behind & self.behind:
            self.seen[scope] = current.get(scope, 0)
        self.behind = behind - self.behind

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await self.check()
            except asyncio.CancelledError:
                raise
            except Exception as error:  # the database restarting: the next poll tries again
                self.failures += 1
                log.warning("could not read the configuration revisions (%s)", type(error).__name__)
            try:
                await asyncio.wait_for(stop.wait(), timeout=self.every)
            except TimeoutError:
                pass

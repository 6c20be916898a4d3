"""Access checks of sockets that connect together, answered in one database hop.

Why: each handshake's `access_for` (dashboard/access/policy.py) ran in its own
`database_sync_to_async` call. Those run one at a time on asgiref's single
thread-sensitive thread, and each opened and closed a database connection
(`CONN_MAX_AGE = 0`). When 1,000 wallboards reconnected at once the checks queued
behind each other for seconds (time to snapshot up to 12 s, docs/performance.md
"Round two"), and the sockets waiting for their snapshots were the ones late.

Here the checks that arrive while one batch is being answered wait for the next, and
a batch is answered in one hop on one connection. Every check still runs its own
queries when its batch runs, so a token revoked before that is refused; identical
kiosk checks (same token and dashboard) within one batch share one answer. A batch's
answers let its handshakes go on RELEASE_PER_TURN per turn of the event loop, so that
frames to the sockets already open are written between them.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Callable

from channels.db import database_sync_to_async

from dashboard.access.policy import Access, access_for

MAX_BATCH = 200  # checks per hop: a batch must not hold the database thread for long
# Handshakes a batch's answer lets go on per turn of the event loop. Each goes on to
# accept, join its relay and write its snapshot (~0.5 ms): 200 released at once were one
# 100+ ms turn, in which the frames due to the sockets already open waited.
RELEASE_PER_TURN = 16

Check = tuple[object, str | None, str]  # (scope user, kiosk token, dashboard slug)


def decide_all(
    checks: list[Check], decide: Callable[..., Access | None] = access_for
) -> list[Access | None | Exception]:
    """Each check's answer (or the error it raised), in order; runs in the database thread."""
    answers: list[Access | None | Exception] = []
    shared: dict[tuple[str, str], Access | None] = {}
    for user, token, slug in checks:
        try:
            if token:
                if (token, slug) not in shared:
                    shared[(token, slug)] = decide(user, token, slug)
                answers.append(shared[(token, slug)])
            else:
                answers.append(decide(user, token, slug))
        except Exception as error:
            answers.append(error)
    return answers


class Admissions:
    """The checks waiting on one event loop, answered in batches, one batch at a time."""

    def __init__(self) -> None:
        self.queue: list[tuple[Check, asyncio.Future]] = []
        self.draining = False
        self.batches = 0

    async def check(self, user: object, token: str | None, slug: str) -> Access | None:
        future = asyncio.get_running_loop().create_future()
        self.queue.append(((user, token, slug), future))
        if not self.draining:
            self.draining = True
            asyncio.get_running_loop().create_task(self._drain(), name="socket admissions")
        return await future

    async def _drain(self) -> None:
        try:
            while self.queue:
                batch, self.queue = self.queue[:MAX_BATCH], self.queue[MAX_BATCH:]
                self.batches += 1
                try:
                    answers = await database_sync_to_async(decide_all)([check for check, _ in batch])
                except Exception as error:  # the hop itself failed: every check of it fails
                    answers = [error] * len(batch)
                await _release(batch, answers)
        finally:
            self.draining = False


async def _release(batch: list[tuple[Check, asyncio.Future]], answers: list[Access | None | Exception]) -> None:
    """Answer the batch's handshakes, RELEASE_PER_TURN a turn (they go on in the next)."""
    for n, ((_, future), answer) in enumerate(zip(batch, answers, strict=True), 1):
        if future.done():
            continue  # its handshake was cancelled meanwhile
        if isinstance(answer, Exception):
            future.set_exception(answer)
        else:
            future.set_result(answer)
        if n % RELEASE_PER_TURN == 0 and n < len(batch):
            await asyncio.sleep(0)


_admissions: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, Admissions] = weakref.WeakKeyDictionary()


def admissions() -> Admissions:
    """The running loop's (tests run several loops, one after another)."""
    loop = asyncio.get_running_loop()
    if loop not in _admissions:
        _admissions[loop] = Admissions()
    return _admissions[loop]


async def admit(user: object, token: str | None, slug: str) -> Access | None:
    return await admissions().check(user, token, slug)

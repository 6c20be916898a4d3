"""The periodic skills sync: a Service (dashboard/project/hosting.py) that `rundashboard` hosts
next to the in-process bridge.

The sync is blocking (sync HTTP clients, the ORM), so it runs in a worker thread
(`asyncio.to_thread`) and never stalls daphne's loop. It logs one line per run and
never dies of an error: a source that fails now is tried again next period. The
first run comes shortly after start, so the embedded default shows skills at once.
A run that changed anything tells the bridge (from the loop, where the in-memory
channel layer lives) to follow the new agents' states, and reloads only the pages
that show skills (dashboard/skills/pages.py), never every screen.

Between periodic runs it polls every POLL_S seconds for the admin's "Sync now"
requests (dashboard/skills/requests.py) and runs them at once. `minutes=0` turns the
periodic runs off but still serves requests.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable

from django.db import close_old_connections

from dashboard.project.db_thread import in_db_thread
from dashboard.skills.pages import anotify_skills_changed

log = logging.getLogger(__name__)
POLL_S = 2.0  # how often the job looks for "Sync now" requests (one small query)


def _sync_once(stopping: threading.Event) -> tuple[bool, str]:
    """(changed anything, one-line result); runs in a worker thread."""
    from dashboard.skills.outcome import SkillSyncError
    from dashboard.skills.sync import sync_skills

    close_old_connections()  # a thread of its own: never reuse a connection that died
    try:
        summary = sync_skills(should_stop=stopping.is_set)
        return summary.changed, f"skills sync: {summary}"
    except SkillSyncError as error:
        return error.summary.changed, f"skills sync failed: {error}"
    finally:
        close_old_connections()


def _requested_once(stopping: threading.Event, first: bool) -> tuple[bool, list[str]]:
    """Run the admin's queued syncs, if any; in a worker thread."""
    from dashboard.skills.requests import forget_dead_runs, has_requests, run_requested

    close_old_connections()
    try:
        if first:
            forget_dead_runs()
        return run_requested(stopping) if has_requests() else (False, [])
    finally:
        close_old_connections()


class SkillsSyncService:
    name = "skills sync"

    def __init__(
        self,
        minutes: float,
        first_delay_s: float = 2.0,
        may_run: Callable[[], bool] | None = None,
        poll_s: float = POLL_S,
    ) -> None:
        self.period_s = minutes * 60  # 0: no periodic runs, requests only
        # With REDIS_URL several processes host a bridge and this job: only the one
        # whose bridge holds the leader lease syncs, so two never write at once.
        self.may_run = may_run or (lambda: True)
        self.first_delay_s = first_delay_s
        self.poll_s = poll_s
        self._stop = asyncio.Event()
        self._stopping = threading.Event()  # read by the sync thread between pages
        self._task: asyncio.Task | None = None
        self.runs = 0
        self.requested_runs = 0
        self.requested_polls = 0

    async def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._run(), name="skills-sync")

    async def stop(self) -> None:
        self._stop.set()
        self._stopping.set()
        if self._task is not None:
            await self._task

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        due = loop.time() + self.first_delay_s if self.period_s else None
        while not await self._wait(self.poll_s if due is None else min(self.poll_s, max(0.0, due - loop.time()))):
            await self.run_requested()
            if due is not None and loop.time() >= due:
                await self.run_once()
                due = loop.time() + self.period_s

    async def _wait(self, seconds: float) -> bool:
        """True when stopped during the wait."""
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds)
        except TimeoutError:
            return False
        return True

    async def run_once(self) -> None:
        if not self.may_run():
            log.debug("skills sync skipped: this process's bridge is not the leader")
            return
        try:
            changed, line = await in_db_thread(_sync_once, self._stopping)
        except Exception:  # a bug must not end the schedule: log it, try next period
            log.exception("skills sync crashed")
            return
        self.runs += 1
        (log.warning if "failed" in line else log.info)("%s", line)
        if changed:
            await anotify_skills_changed()

    async def run_requested(self) -> None:
        """The admin's "Sync now" requests, when this process may sync."""
        if not self.may_run():
            return
        try:
            changed, lines = await in_db_thread(_requested_once, self._stopping, self.requested_polls == 0)
            self.requested_polls += 1
        except Exception:  # as run_once: log, and poll again
            log.exception("requested skills sync crashed")
            return
        for line in lines:
            self.requested_runs += 1
            (log.warning if "failed" in line else log.info)("%s", line)
        if changed:
            await anotify_skills_changed()

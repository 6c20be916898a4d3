"""Frames of a deposed bridge leader never reach a socket.

Every frame carries the lease term of the bridge that sent it (statsbridge/leadership.py,
statsbridge/fanout.py). The lease's clock check stops a leader before its lease runs
out, but not a send already past the check: a process paused between check and write
(SIGSTOP, a VM stall), or a write stuck for Redis' 30 s socket timeout, lands after the
new leader's frames. So each web process remembers the newest term it has seen, on any
dashboard, and drops frames of older ones (counted as `frames_fenced`).

With several connections (issue 22) each connection's bridge holds its own lease and
term, and all of them send to the same dashboards: the newest term is kept per sender
(the envelope's `conn`, absent for `default`), so a bridge that took its lease later
never fences another connection's bridge.
"""

from __future__ import annotations

from collections import Counter


class Terms:
    """The newest lease term this process has seen a frame of (0: none, or no election)."""

    def __init__(self, counters: Counter[str]) -> None:
        self.by_sender: dict[str, int] = {}
        self.counters = counters

    @property
    def newest(self) -> int:
        """`default`'s newest term."""
        return self.by_sender.get("", 0)

    def admit(self, term: object, sender: object = None) -> bool:
        if not isinstance(term, int) or isinstance(term, bool):
            return True  # untagged: a bridge without leader election
        key = sender if isinstance(sender, str) else ""
        if term < self.by_sender.get(key, 0):
            self.counters["frames_fenced"] += 1
            return False
        self.by_sender[key] = term
        return True

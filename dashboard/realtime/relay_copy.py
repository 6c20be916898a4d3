"""A relay's own copy of its dashboard's snapshot, so a socket joining a warm relay gets
its snapshot at once, with no round trip to the bridge.

Why: after issue 20's first round a connecting socket still waited for the bridge's
reply (a request through the layer, a build, ~120 KB back), 0.6-1.2 s under load, and
the frames that came meanwhile made its first second's latency (docs/performance.md,
"Round two"). A relay already receives every frame of its dashboard; starting from a
snapshot the bridge built, it can keep the same state itself.

What the copy is: the snapshot the bridge last sent this relay (built at `seq` of lease
`term`), with every `default` frame the relay received after it applied in arrival
order: an update replaces each STAT (a number with a timestamp is appended to the
STAT's history, as the store and the page do, within the history length the bridge's
snapshot gave it), a `bridge` frame replaces the link state. Frames of other
connections (`conn`, issue 22) are not `default`'s: their snapshots come to each
socket from their own bridge. A socket served from the copy records its `seq`, so the
update frames it held meanwhile (all already in the copy) are not sent again
(dashboard/realtime/local_socket.py).

When the copy is not used (the relay asks the bridge, as a cold relay does):
- until it is complete: the relay asked while in its group, every part of the reply
  came (`parts` on the envelope, statsbridge/fanout.py) and the frames received since
  the request with a newer `seq` than the build are applied on top;
- after a frame it cannot replay exactly: `config` (the statistics changed), `alert`
  and `message` (the snapshot's open alerts and floor messages), a frame of a newer
  lease term (another leader's store), a frame without a `seq`, any unknown kind; and
  after the layer blinked (frames may have been lost);
- when older than MAX_AGE_S. The relay asks for a fresh base every REFRESH_S while it
  has sockets (one request per relay, not per socket; spread by up to a quarter either
  way, REFRESH_SPREAD, so that a process's relays, made together in a connect storm,
  do not all ask in the same second: 100 replies at once stalled the writes): what changes in the bridge
  without a frame (history seeded from the database after start, statistics forgotten
  by a periodic configuration re-read, a frame the layer dropped on a full channel,
  floor messages expiring) is then at most that old in a copy.
Memory: one copy per relay (per dashboard and web process), about the size of the
decoded snapshot plus its encoded STATs (measured in docs/performance.md).
"""

from __future__ import annotations

import random
import time
from collections import Counter

import orjson

from statsbridge.config import HISTORY_POINTS
from statsbridge.messages import MAX_FRAME_BYTES
from statsbridge.store import HISTORY_BUDGET_POINTS, MIN_HISTORY_POINTS

REFRESH_S = 30.0  # ask the bridge for a new base this often while sockets are here
REFRESH_SPREAD = 0.25  # ... give or take this share of it, at random per base
MAX_AGE_S = 90.0  # a base older than this (the bridge did not answer) is not served
RETRY_S = 5.0  # after a copy was dropped, ask for a new base at most this often
SINCE_ASK_LIMIT = 20_000  # frames kept while a base is being asked for
ASK_LOST_S = 10.0  # a base asked for this long ago is not coming
_REPLAYED = ("update", "bridge")


class _Copy:
    """A complete snapshot state: the head (all but `statistics`) and the STATs."""

    def __init__(self, head: dict, stats: dict[str, dict], term: int, seq: int) -> None:
        self.head = head
        self.stats = stats
        self.term, self.seq = term, seq
        self.based_at = time.monotonic()
        self.refresh_after = REFRESH_S * random.uniform(1 - REFRESH_SPREAD, 1 + REFRESH_SPREAD)
        drawn = sum(1 for stat in stats.values() if "history" in stat)
        self.history_cap = min(HISTORY_POINTS, max(MIN_HISTORY_POINTS, HISTORY_BUDGET_POINTS // max(1, drawn)))
        self.encoded: dict[str, str] = {}  # STAT id -> its JSON, until it changes
        self.frames: tuple[int, list[str], list[bytes]] | None = None  # (seq, texts, bytes) last built

    def apply(self, message: dict, seq: int) -> None:
        if message.get("type") == "bridge":
            self.head["bridge"] = {key: value for key, value in message.items() if key != "term"}
        else:
            for stat in message.get("statistics", ()):
                self._apply_stat(stat)
        self.seq = max(self.seq, seq)
        self.frames = None

    def _apply_stat(self, stat: dict) -> None:
        key = stat.get("id")
        if not isinstance(key, str):
            return
        old = self.stats.get(key)
        new = dict(stat)
        history = old.get("history") if old is not None else None
        if history is not None and "history" not in stat:
            value, timestamp = stat.get("value"), stat.get("timestamp")
            if isinstance(value, (int, float)) and not isinstance(value, bool) and timestamp is not None:
                history.append([timestamp, value])
                if len(history) > self.history_cap:
                    del history[: len(history) - self.history_cap]
            new["history"] = history
        self.stats[key] = new
        self.encoded.pop(key, None)

    def build(self) -> tuple[list[str], list[bytes]]:
        """The snapshot as frames of at most ~MAX_FRAME_BYTES (as the bridge splits
        them: the `snapshot` first, then `update` frames), built once per `seq`."""
        if self.frames is not None and self.frames[0] == self.seq:
            return self.frames[1], self.frames[2]
        parts: list[list[str]] = [[]]
        size = 0
        for key, stat in self.stats.items():
            text = self.encoded.get(key)
            if text is None:
                text = self.encoded[key] = orjson.dumps(stat).decode()
            if size + len(text) > MAX_FRAME_BYTES and parts[-1]:
                parts.append([])
                size = 0
            parts[-1].append(text)
            size += len(text) + 1
        head = orjson.dumps({**self.head, "statistics": []}).decode()[:-2]  # ...,"statistics":[
        texts = [head + ",".join(parts[0]) + "]}"]
        texts += ['{"type":"update","statistics":[' + ",".join(part) + "]}" for part in parts[1:]]
        payloads = [text.encode() for text in texts]
        self.frames = (self.seq, texts, payloads)
        return texts, payloads


class RelayCopy:
    """One relay's copy: rebased from the bridge's replies, kept up by its frames."""

    def __init__(self, counters: Counter[str]) -> None:
        self.counters = counters
        self.current: _Copy | None = None
        self.asked_at: float | None = None  # a base was asked for while in the group
        self.last_asked = time.monotonic()
        self.had_copy = False  # a cold relay never asks on its own; one whose copy was dropped does
        self.since_ask: list[tuple[object, object, dict | None]] = []  # (term, seq, message) since then
        self.incoming: _Copy | None = None  # the reply's parts so far
        self.parts_left = 0

    # -- what the relay tells it ----------------------------------------------------

    def asked(self, in_group: bool) -> None:
        """The relay sent a snapshot request (only one sent in the group can be a base).
        With one already outstanding, the frames kept since it stay: its reply may
        still come first, and they are a superset of what the new one needs."""
        now = self.last_asked = time.monotonic()
        if self.asked_at is not None and now - self.asked_at < ASK_LOST_S:
            return
        self.since_ask.clear()
        self.asked_at = now if in_group else None

    def frame(self, text: str, term: object, seq: object, conn: object, message: dict | None = None) -> dict | None:
        """A frame the relay received (admitted by fencing); returns it decoded, if it was."""
        if isinstance(conn, str) and conn:
            return message  # another connection's: not in `default`'s snapshot
        if self.current is None and self.asked_at is None:
            return message  # nothing to keep up, nothing being built: no parsing
        if message is None:
            try:
                message = orjson.loads(text)
            except orjson.JSONDecodeError:
                message = None
        if self.asked_at is not None:
            if len(self.since_ask) < SINCE_ASK_LIMIT and time.monotonic() - self.asked_at < ASK_LOST_S:
                self.since_ask.append((term, seq, message))
            else:
                self.asked_at = None  # the reply is not coming: the next join asks again
                self.since_ask.clear()
        current = self.current
        if current is not None and not self._replay(current, term, seq, message):
            self.invalidate()
        return message

    def reply_part(self, message: dict, text: str) -> None:
        """A part of a reply to this relay's request (the first has `snapshot` true)."""
        if message.get("snapshot"):
            self.incoming, self.parts_left = None, 0
            term, seq, parts = message.get("term"), message.get("seq"), message.get("parts")
            if (
                self.asked_at is None
                or time.monotonic() - self.asked_at >= ASK_LOST_S
                or not _is_int(term)
                or not _is_int(seq)
                or not _is_int(parts)
                or parts < 1
            ):
                return  # not asked in the group, or an older bridge: not a base
            try:
                head = orjson.loads(text)
            except orjson.JSONDecodeError:
                return
            stats = {stat["id"]: stat for stat in head.pop("statistics", ()) if isinstance(stat.get("id"), str)}
            self.incoming, self.parts_left = _Copy(head, stats, term, seq), parts - 1
        elif self.incoming is not None:
            try:
                stats = orjson.loads(text).get("statistics", ())
            except orjson.JSONDecodeError:
                self.incoming = None
                return
            for stat in stats:
                if isinstance(stat.get("id"), str):
                    self.incoming.stats[stat["id"]] = stat
            self.parts_left -= 1
        if self.incoming is not None and self.parts_left == 0:
            self._complete(self.incoming)

    def _complete(self, base: _Copy) -> None:
        """Every part came: replay the frames newer than the build that came since the ask."""
        self.incoming, self.asked_at = None, None
        since, self.since_ask = self.since_ask, []
        for term, seq, message in since:
            if _is_int(seq) and term == base.term and seq <= base.seq:
                continue  # already in the build
            if not self._replay(base, term, seq, message):
                self.counters["snapshot_copies_dropped"] += 1
                return
        self.current, self.had_copy = base, True
        self.counters["snapshot_copies_built"] += 1

    def _replay(self, copy: _Copy, term: object, seq: object, message: dict | None) -> bool:
        """Apply one frame to `copy`; False if it cannot be replayed exactly."""
        if message is None or not _is_int(seq) or term != copy.term or message.get("type") not in _REPLAYED:
            return False
        if message.get("type") == "bridge" and message.get("connection"):
            return True
        copy.apply(message, seq)
        return True

    def invalidate(self) -> None:
        if self.current is not None:
            self.counters["snapshot_copies_dropped"] += 1
        self.current = None
        self.incoming = None

    def lost(self) -> None:
        """The layer blinked: frames may have been lost, and no request is answered."""
        self.invalidate()
        self.asked_at = None
        self.since_ask.clear()

    # -- what the relay asks ----------------------------------------------------------

    def snapshot(self) -> tuple[list[str], list[bytes], int, int] | None:
        """(texts, bytes, term, seq) of the snapshot now, or None if it must be asked for."""
        copy = self.current
        if copy is None or time.monotonic() - copy.based_at > MAX_AGE_S:
            return None
        texts, payloads = copy.build()
        return texts, payloads, copy.term, copy.seq

    def wants_refresh(self) -> bool:
        """Time to ask for a new base: the copy is about REFRESH_S old, or was dropped RETRY_S ago."""
        now = time.monotonic()
        if self.asked_at is not None and now - self.asked_at < ASK_LOST_S:
            return False
        if self.current is None:
            return self.had_copy and now - self.last_asked > RETRY_S
        return now - self.current.based_at > self.current.refresh_after


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)

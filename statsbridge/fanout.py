"""The one door to the browsers: the only module that sends to Channels groups.

Rule: nothing else calls `group_send` or `send` for dashboard traffic. An update
frame is serialised once per dashboard and sent as ready-made text, so consumers
forward it without touching it. Timestamps are the upstream's, unchanged
(end-to-end latency is measured from them).

One layer message per flush, not per dashboard: every frame of a flush (each
dashboard's update, or a status line for every dashboard) travels in one batch to
BROADCAST_GROUP, which each web process joins once; its hub hands each frame to its
relay for that dashboard and skips dashboards it has no socket for
(dashboard/realtime/local_hub.py). Why: channels-redis reads a process's inbox one
message per Redis round trip, and with one group per dashboard each process received
dashboards x flushes messages a second; at 100 dashboards they waited ~30 s in the
inbox (docs/performance.md, "5,000 sockets over two web processes with Redis").

Every layer message also carries this bridge's lease `term` (0 without leader
election) and a `seq`, a number counting the frames this bridge sent: relays drop
frames of an older term than they have seen (fencing), and a snapshot records the
`seq` it was built at, so another socket may reuse it when its relay has seen no
newer frame (statsbridge/snapshots.py; no wall clocks compared across hosts).

With several connections (issue 22) one bridge per connection sends to the same groups:
a bridge of a connection other than `default` adds `"conn": name` to every layer message
(relays fence and count `seq` per sender, dashboard/realtime/fencing.py) and names its
connection in its `bridge` frames, so pages grey only that connection's tiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from collections.abc import Set as AbstractSet
from typing import Any

from channels.exceptions import ChannelFull

from statsbridge.messages import (
    alert_message,
    bridge_message,
    config_message,
    encode,
    floor_message,
    snapshot_frames,
    tagged,
    update_message,
)
from statsbridge.snapshots import SnapshotCache
from statsbridge.status import BridgeStatus

FRAME_EVENT = "dashboard.frame"  # one frame: a snapshot part, or one of a batch's frames
BATCH_EVENT = "dashboard.frames"  # a flush's frames: {"frames": [[dashboard, text, seq], ...]}
BROADCAST_GROUP = "dashboards"  # every web process's hub, once (dashboard/realtime/local_hub.py)


def frames_of(batch: dict) -> Iterator[tuple[str, dict]]:
    """A batch's frames, each as (dashboard, the envelope a relay takes: text, term,
    seq and `conn` as when each frame was a layer message of its own)."""
    shared = {key: batch[key] for key in ("term", "conn") if key in batch}
    for dashboard, text, seq in batch.get("frames", ()):
        yield dashboard, {"type": FRAME_EVENT, "text": text, "seq": seq, **shared}


class ChannelsFanout:
    def __init__(
        self, layer: Any, may_publish: Callable[[], bool] | None = None, term: int = 0, connection: str | None = None
    ) -> None:
        self.layer = layer
        self.connection = connection  # None: `default`, whose frames are as before connections
        # Fencing (statsbridge/leadership.py): a bridge that may have lost its lease
        # sends nothing, checked before every single send; the term covers a send
        # already past the check.
        self.may_publish = may_publish or (lambda: True)
        self.term = term
        self.seq = 0
        self.frames_out = 0
        self.batches_out = 0  # layer messages to BROADCAST_GROUP
        self.values_out = 0
        self.fenced = 0
        self.snapshots = SnapshotCache()
        self.snapshots_dropped = 0

    async def send_updates(self, stats: list[dict], routes: Mapping[str, AbstractSet[str]]) -> None:
        per_dashboard: dict[str, list[dict]] = {}
        for stat in stats:
            for dashboard in routes.get(stat["id"], ()):
                per_dashboard.setdefault(dashboard, []).append(stat)
        values = sum(len(group_stats) for group_stats in per_dashboard.values())
        texts = [(dashboard, encode(tagged(update_message(s), self.term))) for dashboard, s in per_dashboard.items()]
        if await self._send_batch(texts):
            self.values_out += values
        else:
            self.fenced += values

    async def send_status(self, status: BridgeStatus, dashboards: set[str]) -> None:
        await self._broadcast(bridge_message(status, self.connection), dashboards)

    async def send_config_changed(
        self, dashboards: set[str], wallboard: str | None = None, drill: bool = False
    ) -> None:
        await self._broadcast(config_message(wallboard, drill), dashboards)

    async def send_alert(self, event: str, alert: dict, dashboards: set[str]) -> None:
        await self._broadcast(alert_message(event, alert), dashboards)

    async def send_floor_message(self, message: dict, dashboards: set[str]) -> None:
        """A message to the floor, or its withdrawal (dashboard/floor/service.py)."""
        await self._broadcast(floor_message(message), dashboards)

    async def _broadcast(self, message: dict, dashboards: set[str]) -> None:
        text = encode(tagged(message, self.term))
        await self._send_batch([(dashboard, text) for dashboard in sorted(dashboards)])

    async def send_snapshot(
        self,
        reply_channel: str,
        dashboard: str,
        status: BridgeStatus,
        stats: Callable[[], list[dict]],
        seen: object = None,
        extra: dict | None = None,
        relay: object = None,
    ) -> None:
        """`seen` is the request's [term, seq]: its relay gets every frame of this
        dashboard after that seq (dashboard/realtime/relays.py). `extra`: what the bridge's
        watchers add to the snapshot (the open alerts). `relay`: the asking relay's id,
        echoed with the dashboard so its process's hub channel routes the reply."""
        if not self.may_publish():
            return
        seen_seq = seen[1] if isinstance(seen, list) and len(seen) == 2 and seen[0] == self.term else None
        key = (status.state, status.since, status.detail, encode(extra) if extra else "")
        frames, built_seq = self.snapshots.frames(
            dashboard,
            seen_seq,
            self.seq,
            key,
            lambda: snapshot_frames(
                dashboard, status, stats(), term=self.term, extra=extra, connection=self.connection
            ),
        )
        for text in frames:
            first = text.startswith('{"type":"snapshot"')
            more: dict[str, Any] = {"parts": len(frames)} if first else {}  # a relay's copy: complete after all
            more["dashboard"] = dashboard
            if relay is not None:
                more["relay"] = relay
            try:
                await self.layer.send(reply_channel, self._envelope(text, built_seq, snapshot=first, **more))
            except ChannelFull:
                # channels-redis counts capacity per web process: a full one must not
                # stall the snapshots of every other socket. This one gets updates
                # after SNAPSHOT_WAIT_S (dashboard/realtime/local_socket.py) and its next reconnect.
                self.snapshots_dropped += 1
                return
            self.frames_out += 1

    async def _send_batch(self, texts: list[tuple[str, str]]) -> bool:
        """One layer message for all of `texts` ((dashboard, frame) pairs), each frame
        numbered as before: `seq` counts frames, not batches."""
        if not texts:
            return True
        if not self.may_publish():
            return False
        frames = []
        for dashboard, text in texts:
            self.seq += 1
            frames.append([dashboard, text, self.seq])
        batch: dict[str, Any] = {"type": BATCH_EVENT, "term": self.term, "frames": frames}
        if self.connection:
            batch["conn"] = self.connection
        await self.layer.group_send(BROADCAST_GROUP, batch)
        self.frames_out += len(frames)
        self.batches_out += 1
        return True

    def _envelope(self, text: str, seq: int, **more: Any) -> dict:
        envelope = {"type": FRAME_EVENT, "text": text, "term": self.term, "seq": seq, **more}
        if self.connection:
            envelope["conn"] = self.connection
        return envelope

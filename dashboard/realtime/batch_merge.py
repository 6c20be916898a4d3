"""Batches that waited in a web process's inbox, merged into one before they are written.

Why: a web process that falls behind (a connect storm, or more sockets than its share
of the CPU can write to at the bridge's flush rate) used to leave the bridge's batches
queued in Redis, where they expired after the layer's `expiry` (30 s) or were dropped
at its capacity, silently: screens kept stale values with 20-30 s of latency
(docs/performance.md, "5,000 sockets, steady state"). The hub now drains its channel
into a local inbox while it writes (dashboard/realtime/hub_channel.py), and what
waited there is written as one batch: each dashboard's consecutive `update` frames
become one, the newest value per statistic (as a socket that falls behind has its
values coalesced, dashboard/realtime/local_socket.py). A process that is behind so writes
fewer, larger frames, and its latency stays about one round of writes.

What is kept exactly: every frame that is not an `update` (config, bridge, alert,
message) stays in its place in its dashboard's order; only batches of the same lease
`term` and `conn` merge; a merged frame carries the newest `seq` of the frames it
replaces (a socket whose snapshot was built at or after it skips it, as it would have
skipped each of them), split at MAX_FRAME_BYTES as the bridge splits its snapshots.
"""

from __future__ import annotations

from collections import Counter

import orjson

from statsbridge.fanout import BATCH_EVENT
from statsbridge.messages import update_frames

_UPDATE_START = '{"type":"update"'


def mergeable(first: dict, second: dict) -> bool:
    return (
        first.get("type") == BATCH_EVENT == second.get("type")
        and first.get("term") == second.get("term")
        and first.get("conn") == second.get("conn")
    )


def runs(messages: list[dict]) -> list[list[dict]]:
    """`messages` in order, consecutive mergeable batches grouped (anything else alone)."""
    grouped: list[list[dict]] = []
    for message in messages:
        if grouped and mergeable(grouped[-1][-1], message):
            grouped[-1].append(message)
        else:
            grouped.append([message])
    return grouped


def merge(batches: list[dict], counters: Counter[str]) -> dict:
    """One batch with the frames of `batches` (mergeable, in order)."""
    if len(batches) == 1:
        return batches[0]
    counters["layer_batches_merged"] += len(batches) - 1
    frames: list[list] = []
    open_update: dict[str, int] = {}  # dashboard -> index in `frames` of its update being merged
    merged: dict[int, dict[str, dict]] = {}  # that index -> its statistics by id, once merged
    for batch in batches:
        for dashboard, text, seq in batch.get("frames", ()):
            at = open_update.get(dashboard)
            if not text.startswith(_UPDATE_START):
                open_update.pop(dashboard, None)  # a later update must not jump over it
                frames.append([dashboard, text, seq])
            elif at is None:
                open_update[dashboard] = len(frames)
                frames.append([dashboard, text, seq])
            else:
                stats = merged.get(at)
                if stats is None:
                    stats = merged[at] = _by_id(frames[at][1])
                for stat in _statistics(text):
                    counters["layer_values_merged"] += stat["id"] in stats
                    stats[stat["id"]] = stat
                frames[at][2] = seq
    term = batches[0].get("term")
    for at in sorted(merged, reverse=True):  # from the end: indexes before stay valid
        dashboard, _, seq = frames[at]
        frames[at : at + 1] = [
            [dashboard, text, seq] for text in update_frames(list(merged[at].values()), term=term or None)
        ]
    return {**batches[0], "frames": frames}


def _statistics(text: str) -> list[dict]:
    try:
        stats = orjson.loads(text).get("statistics", ())
    except (orjson.JSONDecodeError, AttributeError):
        return []
    return [stat for stat in stats if isinstance(stat, dict) and isinstance(stat.get("id"), str)]


def _by_id(text: str) -> dict[str, dict]:
    return {stat["id"]: stat for stat in _statistics(text)}

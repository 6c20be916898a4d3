"""The bridge's own cost: how many statistic updates per second it ingests on one core,
and the time from CometD receipt (a Bayeux message handed to the bridge) to the
channel-layer send of the frame that carries it.

No network: messages shaped exactly like the simulator's StatisticUpdate notifications
are handed to `Bridge.handle_message`, as the CometD link does, and the real fan-out
sends to a real in-memory channel layer with one listener per dashboard.

    .venv/bin/python bench/bench_bridge.py [--statistics 5000] [--batch 100] [--dashboards 10]
                                           [--seconds 5] [--rate 10000]

`--rate 0` feeds as fast as the loop allows (ingest ceiling); a positive rate paces the
feed, which is what the receipt-to-send latency means (each batch is matched with the
first send that follows it, since the flusher coalesces).
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from channels.layers import InMemoryChannelLayer  # noqa: E402

from statsbridge.bridge import Bridge  # noqa: E402
from statsbridge.config import BridgeConfig  # noqa: E402
from statsbridge.desired import DesiredSet, descriptor_of  # noqa: E402
from statsbridge.fanout import BROADCAST_GROUP, ChannelsFanout  # noqa: E402


class TimedFanout(ChannelsFanout):
    """The real fan-out, noting when each batch reached the layer."""

    def __init__(self, layer: InMemoryChannelLayer) -> None:
        super().__init__(layer)
        self.sent_at: list[float] = []

    async def send_updates(self, stats: list[dict], routes: dict[str, set[str]]) -> None:
        await super().send_updates(stats, routes)
        self.sent_at.append(time.perf_counter())


def build_desired(count: int, dashboards: int) -> DesiredSet:
    desired = DesiredSet()
    for n in range(count):
        desired.add(
            f"d{n % dashboards}",
            descriptor_of(object_type="Agent", object_id=f"agent{n:05d}", name="TimeInCurrentState"),
        )
    return desired


async def drain(layer: InMemoryChannelLayer, channel: str, stop: asyncio.Event) -> None:
    while not stop.is_set():
        try:
            await asyncio.wait_for(layer.receive(channel), 0.2)
        except TimeoutError:
            pass


async def run(args: argparse.Namespace) -> dict:
    desired = build_desired(args.statistics, args.dashboards)
    layer = InMemoryChannelLayer(capacity=1_000_000, expiry=3600)
    fanout = TimedFanout(layer)

    async def load() -> DesiredSet:
        return desired

    config = BridgeConfig(base_url="http://127.0.0.1:9", api_key="k", client_id="c", client_secret="s")
    bridge = Bridge(config, load_desired=load, sink=fanout)
    bridge.desired = desired
    keys = sorted(desired.statistics)
    subscription = "sub-1"
    bridge.reconciler.open[subscription] = set(keys)
    stop = asyncio.Event()
    listeners = []
    for _process in range(2):  # two web processes' hubs: every flush is one batch to each
        channel = await layer.new_channel()
        await layer.group_add(BROADCAST_GROUP, channel)
        listeners.append(asyncio.create_task(drain(layer, channel, stop)))
    flusher = asyncio.create_task(bridge._flush_loop(stop))

    received_at: list[float] = []
    cpu0, wall0, sent = time.process_time(), time.perf_counter(), 0
    n = 0
    while time.perf_counter() - wall0 < args.seconds:
        stamp = int(time.time() * 1000)
        records = [
            {"subscriptionId": subscription, "statisticId": keys[(n + i) % len(keys)], "value": i, "timestamp": stamp}
            for i in range(args.batch)
        ]
        n += args.batch
        message = {
            "channel": "/statistics/v3/updates",
            "data": {"name": "StatisticUpdate", "topic": "/statistics/v3/updates", "data": {"statistics": records}},
        }
        received_at.append(time.perf_counter())
        bridge.handle_message(message)
        sent += args.batch
        if args.rate > 0:
            due = wall0 + sent / args.rate
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        else:
            await asyncio.sleep(0)  # let the flusher run, as the CometD link's await would
    await asyncio.sleep(0.2)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    stop.set()
    flusher.cancel()
    for task in listeners:
        task.cancel()
    await asyncio.gather(flusher, *listeners, return_exceptions=True)
    await bridge.http.aclose()
    latencies = []
    for r in received_at:
        index = bisect.bisect_left(fanout.sent_at, r)
        if index < len(fanout.sent_at):
            latencies.append((fanout.sent_at[index] - r) * 1000)
    return {
        "updates": sent,
        "wall_s": wall,
        "cpu_s": cpu,
        "updates_per_s": sent / wall,
        "updates_per_cpu_s": sent / cpu,
        "frames": fanout.frames_out,
        "receipt_to_send_ms_median": statistics.median(latencies) if latencies else float("nan"),
        "receipt_to_send_ms_p99": sorted(latencies)[int(len(latencies) * 0.99) - 1] if latencies else float("nan"),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--statistics", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=100, help="updates per CometD message")
    parser.add_argument("--dashboards", type=int, default=10)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--rate", type=float, default=10000, help="updates/s fed; 0 = as fast as possible")
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dashboard.project.settings")
    result = asyncio.run(run(args))
    print(
        f"bench_bridge {time.strftime('%Y-%m-%d %H:%M')} statistics={args.statistics} batch={args.batch} "
        f"dashboards={args.dashboards} rate={args.rate or 'max'}"
    )
    print("| fed | updates/s (wall) | updates per CPU-second | CPU use | frames | receipt->send median ms | p99 ms |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {args.rate or 'max'} | {result['updates_per_s']:,.0f} | {result['updates_per_cpu_s']:,.0f} | "
        f"{result['cpu_s'] / result['wall_s']:.0%} | {result['frames']:,} | "
        f"{result['receipt_to_send_ms_median']:.3f} | {result['receipt_to_send_ms_p99']:.3f} |"
    )


if __name__ == "__main__":
    main()

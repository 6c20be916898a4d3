"""Prometheus metrics of the bridge in this process, read at scrape time.

A custom collector (no global counters to keep in step): it asks the running
bridge service for its counters when /metrics is scraped. No labels carry secrets.
The bridge's dicts change only on its event loop, so the figures are read there
(`on_loop`): a scrape from another thread iterating them meanwhile failed with
"dictionary changed size during iteration".
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterator
from typing import TypeVar

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector

T = TypeVar("T")
_services: list[tuple[object, asyncio.AbstractEventLoop | None]] = []


def register_service(service: object) -> None:
    """Called on the service's own loop (from its `start`)."""
    try:
        loop: asyncio.AbstractEventLoop | None = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    _services.append((service, loop))


def unregister_service(service: object) -> None:
    _services[:] = [(s, loop) for s, loop in _services if s is not service]


def on_loop(loop: asyncio.AbstractEventLoop | None, read: Callable[[], T], timeout: float = 5.0) -> T:
    """`read()` run on `loop`'s thread (directly when already there or when the loop
    is not running), so it never races the code that mutates what it reads."""
    try:
        running = asyncio.get_running_loop()
    except RuntimeError:
        running = None
    if loop is None or running is loop or not loop.is_running():
        return read()

    async def call() -> T:
        return read()

    return asyncio.run_coroutine_threadsafe(call(), loop).result(timeout)


class BridgeCollector(Collector):
    def collect(self) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
        defaults = [(s, loop) for s, loop in _services if getattr(s, "connection", None) is None]
        if defaults:
            service, loop = defaults[-1]
            counters, gauges, age = on_loop(loop, lambda: bridge_figures(service))
            for name, (help_text, value) in counters.items():
                yield CounterMetricFamily(f"statsbridge_{name}", help_text, value=value)
            for name, (help_text, value) in gauges.items():
                yield GaugeMetricFamily(f"statsbridge_{name}", help_text, value=value)
            yield GaugeMetricFamily("statsbridge_last_update_age_seconds", "age of the newest value", value=age)
        yield from connection_families([(s, loop) for s, loop in _services if getattr(s, "connection", None)])


Figures = dict[str, tuple[str, float]]


def connection_families(
    services: list[tuple[object, asyncio.AbstractEventLoop | None]],
) -> Iterator[CounterMetricFamily | GaugeMetricFamily]:
    """The bridges of connections other than `default` running here (issue 22): the same
    figures as `default`'s, as `statsbridge_connection_*{connection="name"}`."""
    if not services:
        return
    per = [(s.connection, on_loop(loop, lambda s=s: bridge_figures(s))) for s, loop in services]
    _, (counters, gauges, _) = per[0]
    for name, (help_text, _) in counters.items():
        family = CounterMetricFamily(f"statsbridge_connection_{name}", help_text, labels=["connection"])
        for connection, figures in per:
            family.add_metric([connection], figures[0][name][1])
        yield family
    for name, (help_text, _) in gauges.items():
        family = GaugeMetricFamily(f"statsbridge_connection_{name}", help_text, labels=["connection"])
        for connection, figures in per:
            family.add_metric([connection], figures[1][name][1])
        yield family
    age = GaugeMetricFamily(
        "statsbridge_connection_last_update_age_seconds", "age of the newest value", labels=["connection"]
    )
    for connection, figures in per:
        age.add_metric([connection], figures[2])
    yield age


def bridge_figures(service: object) -> tuple[Figures, Figures, float]:
    """(counters, gauges, age of the newest value) of one service, as plain numbers."""
    bridge, fanout = service.bridge, service.fanout  # type: ignore[attr-defined]
    c = bridge.counters
    watch = getattr(service, "revision_watch", None)
    counters = {
        "updates_in": ("statistic values received from the upstream", c.updates_in),
        "frames_out": ("frames sent to dashboard groups", fanout.frames_out),
        "layer_batches_out": ("layer messages carrying those frames (one per flush)", fanout.batches_out),
        "values_out": ("statistic values sent to dashboard groups", fanout.values_out),
        "snapshots_built": ("snapshots built and encoded", fanout.snapshots.builds),
        "snapshots_dropped": ("snapshot replies dropped: the web process's channel was full", fanout.snapshots_dropped),
        "snapshots_reused": (
            "snapshot requests answered with one built after they were asked",
            fanout.snapshots.reused,
        ),
        "reconnects": ("CometD handshakes", bridge.link.handshakes),
        "cometd_wait_seconds": (
            "seconds the CometD transport waited for room in the bridge's queue (the bridge was behind; "
            "the upstream held the backlog)",
            round(bridge.link.pressure.total(), 3),
        ),
        "cometd_waits": ("times the CometD transport found the bridge's queue full", bridge.link.pressure.waits),
        "resubscriptions": ("full re-subscriptions after outages or re-handshakes", c.resyncs),
        "upstream_errors": ("failed reconciliations", c.upstream_errors),
        "malformed_messages": ("notifications skipped as malformed", c.malformed),
        "unknown_values": ("values of an unknown shape (value null)", c.unknown_values),
        "stale_updates": ("updates for subscriptions no longer open", c.stale_updates),
        "token_fetches": ("access tokens fetched", bridge.tokens.fetches),
        "unauthorized_responses": ("401 answers to Statistics calls", bridge.rest.unauthorized),
        "send_failures": ("fan-out sends that failed (their values go again)", c.send_failures),
        "values_too_large": ("raw values over 64 KiB replaced by a marker", c.values_too_large),
        "values_fenced": ("values not sent: the leader lease was not held", fanout.fenced),
        "background_task_errors": ("background tasks that ended in an exception", bridge.background.failures),
        "config_changes_polled": (
            "configuration edits whose notification never came, found by the revision check",
            watch.changes_found if watch is not None else 0,
        ),
        "config_revision_failures": (
            "revision checks that could not read the database (retried)",
            watch.failures if watch is not None else 0,
        ),
        "token_save_failures": (
            "failed saves of a rotated refresh token (retried)",
            getattr(service, "token_save_failures", 0),
        ),
    }
    gauges = {
        "subscriptions_open": ("upstream subscriptions open", len(bridge.reconciler.open)),
        "statistics_open": ("upstream statistics open", len(bridge.reconciler.open_keys)),
        "statistics_invalid": ("statistics the upstream refused", len(bridge.reconciler.invalid)),
        "connected": ("1 when the bridge state is connected", int(bridge.status.state.value == "connected")),
    }
    last = bridge.store.last_update_ms
    age = max(0.0, time.time() - last / 1000) if last else float("nan")
    return counters, gauges, age

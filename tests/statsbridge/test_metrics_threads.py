"""Scrapes from another thread (daphne's sync views, a listener thread) read the
bridge's figures on the bridge's own loop: iterating its dicts beside it failed with
"dictionary changed size during iteration" (issue 14)."""

from __future__ import annotations

import asyncio
import sys
import threading

import pytest

from statsbridge.metrics import BridgeCollector, register_service, unregister_service
from statsbridge.service import BridgeService
from tests.statsbridge.conftest import config_for

SCRAPES = 300


def scrape_repeatedly(errors: list[BaseException], done: threading.Event) -> None:
    collector = BridgeCollector()
    try:
        for _ in range(SCRAPES):
            families = {family.name for family in collector.collect()}
            assert "statsbridge_statistics_open" in families
    except BaseException as error:  # noqa: BLE001  (reported by the test)
        errors.append(error)
    finally:
        done.set()


def churn(open_: dict[str, set[str]], round_: int) -> None:
    """What the reconciler does on its loop: subscriptions come and go, no await between."""
    for i in range(100):
        open_[f"new-{round_}-{i}"] = {f"key-{round_}-{i}-{j}" for j in range(4)}
    for i in range(100):
        del open_[f"new-{round_}-{i}"]


@pytest.mark.django_db
async def test_a_scrape_from_another_thread_never_races_the_bridge_loop() -> None:
    service = BridgeService(config_for("http://127.0.0.1:9"))
    reconciler = service.bridge.reconciler
    reconciler.open.update({f"sub-{i}": {f"stat-{i}-{j}" for j in range(4)} for i in range(2000)})
    register_service(service)  # on this loop, as BridgeService.start does
    errors: list[BaseException] = []
    done = threading.Event()
    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-5)  # switch threads often, so a race shows on every run
    try:
        threading.Thread(target=scrape_repeatedly, args=(errors, done), daemon=True).start()
        round_ = 0
        while not done.is_set():
            churn(reconciler.open, round_)
            round_ += 1
            await asyncio.sleep(0)  # the loop is free between steps, as the bridge's is
    finally:
        sys.setswitchinterval(interval)
        unregister_service(service)
    assert errors == []

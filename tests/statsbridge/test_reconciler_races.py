"""The reconciler's awaits are windows in which the bridge's other steps run: an
UNAVAILABLE (`forget_open`) may empty what it believed open while a DELETE is in flight."""

from __future__ import annotations

import asyncio

import httpx

from statsbridge.reconciler import Reconciler
from statsbridge.rest import StatisticsClient
from statsbridge.simulator.server import Simulator
from statsbridge.tokens import TokenProvider
from tests.statsbridge.conftest import config_for, demo_desired


async def test_unavailable_during_a_delete_leaves_the_reconcile_standing(simulator: Simulator) -> None:
    config = config_for(simulator.base_url, chunk_size=100)
    async with httpx.AsyncClient() as http:
        rest = StatisticsClient(config, http, TokenProvider(config, http))
        reconciler = Reconciler(rest, config.chunk_size, lambda subscription, values: None)
        desired = demo_desired(simulator.center.objects()).statistics
        reconciler.set_desired(desired)
        await reconciler.reconcile()
        assert len(reconciler.open) == 1
        reconciler.set_desired(dict(list(desired.items())[1:]))  # one key unwanted: DELETE, reopen
        task = asyncio.create_task(reconciler.reconcile())
        await asyncio.sleep(0)  # the task runs until it awaits the upstream (no reply can be in yet)
        assert not task.done()
        reconciler.forget_open()  # what handle_service_state("UNAVAILABLE") does meanwhile
        await asyncio.wait_for(task, 15)  # KeyError here before the fix
        assert set(desired) - reconciler.open_keys == {next(iter(desired))}

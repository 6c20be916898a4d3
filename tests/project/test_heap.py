"""The heap housekeeping of long-lived processes (dashboard/project/heap.py): the
arena limit leaves an explicit MALLOC_ARENA_MAX alone, the trimmer trims on its
period and not at all when turned off, and a trim after freeing a large block of
small objects gives memory back."""

from __future__ import annotations

import asyncio
import platform

import pytest

from dashboard.project import heap

glibc_only = pytest.mark.skipif(heap._glibc() is None, reason="malloc_trim/mallopt are glibc's")


def test_an_explicit_malloc_arena_max_wins() -> None:
    assert heap.limit_arenas(2, environ={"MALLOC_ARENA_MAX": "4"}) is False


def test_no_limit_asked_sets_none() -> None:
    assert heap.limit_arenas(0, environ={}) is False


@glibc_only
def test_the_limit_is_set_on_glibc() -> None:
    assert heap.limit_arenas(heap.ARENAS, environ={}) is True


@glibc_only
async def test_the_trimmer_trims_every_period() -> None:
    trimmer = heap.HeapTrimmer(every_s=0.05)
    await trimmer.start()
    try:
        for _ in range(100):
            await asyncio.sleep(0.05)
            if trimmer.trims >= 2:
                break
    finally:
        await trimmer.stop()
    assert trimmer.trims >= 2
    assert trimmer._task is None


async def test_a_zero_period_never_trims() -> None:
    trimmer = heap.HeapTrimmer(every_s=0)
    await trimmer.start()
    await asyncio.sleep(0.1)
    await trimmer.stop()
    assert trimmer.trims == 0


@glibc_only
@pytest.mark.skipif(platform.system() != "Linux", reason="reads /proc")
def test_a_trim_gives_freed_heap_back() -> None:
    # Medium strings (over pymalloc's 512 bytes) live in glibc's heap; keeping every
    # 100th pins the heap's top, so freeing the rest leaves holes only a trim returns.
    blocks = [("x" * 2000) + str(i) for i in range(60_000)]
    kept = blocks[::100]
    del blocks
    assert heap.trim() > 10 * 2**20
    assert kept


def test_rundashboard_hosts_the_trimmer_on_its_setting(settings) -> None:  # type: ignore[no-untyped-def]
    from dashboard.project.commands.rundashboard import Command

    settings.HEAP_TRIM_SECONDS = 17
    settings.GENESYS = {**settings.GENESYS, "API_BASE_URL": "http://127.0.0.1:9"}
    services = Command()._services(False, {"no_bridge": True, "simulator_port": 0})
    trimmers = [s for s in services if isinstance(s, heap.HeapTrimmer)]
    assert [t.every_s for t in trimmers] == [17]

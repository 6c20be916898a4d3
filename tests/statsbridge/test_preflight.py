"""The preflight's steps without Django, against a simulator whose Auth API lives on
another base (`auth_prefix`), as some tenants' sign-in does."""

from __future__ import annotations

from statsbridge.preflight import UpstreamCheck, run_checks
from statsbridge.simulator.server import Simulator
from tests.statsbridge.conftest import config_for


def watched(sim: Simulator) -> list[dict]:
    agent = next(o["objectId"] for o in sim.center.objects() if o["objectType"] == "Agent")
    return [{"objectType": "Agent", "objectId": agent, "name": "TimeInCurrentState"}]


async def check(sim: Simulator, **config: object) -> list:
    upstream = UpstreamCheck(config_for(sim.base_url, **config), statistics=watched(sim))
    try:
        return list((await run_checks(upstream.checks())).steps)
    finally:
        await upstream.aclose()


async def test_every_step_passes_with_sign_in_on_its_own_base(split_simulator: Simulator) -> None:
    steps = await check(split_simulator, auth_base_url=split_simulator.auth_base_url)
    assert [s.ok for s in steps] == [True] * 7, [s.line() for s in steps]
    assert steps[0].detail.count(" answers (HTTP") == 2 and split_simulator.auth_base_url in steps[0].detail


async def test_without_the_auth_base_the_api_key_step_names_both_settings(split_simulator: Simulator) -> None:
    steps = await check(split_simulator)
    assert steps[0].ok and steps[1].ok is False, [s.line() for s in steps]
    assert "GENESYS_AUTH_BASE_URL" in steps[1].detail and all(s.ok is None for s in steps[2:])


async def quiet_check(wait: float, connect_timeout_ms: int) -> list:
    """A center with no callers (flat day at share 0): its queues' waiting-call counts
    (ChangesBased) never change, so nothing is published however long the check waits."""
    sim = Simulator(port=0, agents=6, queues=2, seed=5, connect_timeout_ms=connect_timeout_ms, day_shape="flat:0")
    await sim.start()
    queues = [o["objectId"] for o in sim.center.objects() if o["objectType"] == "Queue"]
    statistics = [{"objectType": "Queue", "objectId": q, "name": "CurrentNumberWaitingCalls"} for q in queues]
    upstream = UpstreamCheck(config_for(sim.base_url), statistics=statistics, notification_timeout=wait)
    try:
        return list((await run_checks(upstream.checks())).steps)
    finally:
        await upstream.aclose()
        await sim.stop()


async def test_a_quiet_center_is_reported_as_quiet_not_broken() -> None:
    steps = await quiet_check(wait=5, connect_timeout_ms=1000)  # long polls come back every second
    assert [s.ok for s in steps] == [True] * 6 + [False], [s.line() for s in steps]
    line = steps[-1].line()
    assert "the tenant published nothing in 5 s" in line and "quiet center" in line, line
    assert "the CometD link works" in line and "--notification-wait" in line, line
    assert "proxy" not in line, line


async def test_a_long_poll_that_never_came_back_is_told_apart() -> None:
    steps = await quiet_check(wait=2, connect_timeout_ms=20_000)  # the poll is held past the wait
    line = steps[-1].line()
    assert steps[-1].ok is False and "the long poll did not come back either" in line, line
    assert "quiet center" not in line and "proxy" in line, line

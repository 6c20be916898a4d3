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

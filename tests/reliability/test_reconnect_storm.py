"""Issue 7, row 10: daphne restarted under 1,000 wallboard sockets (bench/reconnect_storm.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest

from tests.support.processes import ROOT, ManagedProcess, start_dashboard

sys.path.insert(0, str(ROOT / "bench"))
from reconnect_storm import storm_under  # noqa: E402

pytestmark = pytest.mark.slow
SOCKETS = 1000


@pytest.fixture
def server(tmp_path) -> Iterator[ManagedProcess]:  # type: ignore[no-untyped-def]
    proc = start_dashboard(tmp_path)
    yield proc
    proc.stop()


async def test_a_thousand_wallboards_are_all_back_within_a_minute_of_a_restart_without_5xx(
    server: ManagedProcess,
) -> None:
    result = await storm_under(server, SOCKETS, timeout=120)
    print(f"\nFIGURE row 10: {result}")
    assert result["reconnected"] == SOCKETS
    assert result["all_back_after_server_s"] is not None and result["all_back_after_server_s"] <= 60
    assert not [kind for kind in result["failures"] if kind.startswith("HTTP 5")], result["failures"]
    assert result["peak_handshakes_per_s"] < SOCKETS, "reconnects were not spread by the jitter"

"""The aiocometd-ng names statsbridge/cometd_transport.py overrides and reads exist on the
locked version, and a missing one stops every bridge at start, named."""

from __future__ import annotations

from statsbridge.cometd_transport import PRIVATE_NAMES, check_private_names
from statsbridge.private_names import Reach, missing
from tests.support.processes import run_python


class Fake:
    known = 1

    def hook(self, payload: object, *, headers: object) -> None: ...


def test_the_locked_aiocometd_ng_has_every_name_we_reach() -> None:
    assert missing(PRIVATE_NAMES) == []
    check_private_names()
    assert sum(len(reach.names) for reach in PRIVATE_NAMES) >= 25


def test_a_missing_name_or_parameter_is_named() -> None:
    reaches = [
        Reach(f"{__name__}:Fake", ("known", "gone", "hook(payload, headers)", "hook(find_response_for)")),
        Reach(f"{__name__}:Absent", ("x",)),
    ]
    assert missing(reaches) == [
        f"{__name__}:Fake.gone",
        f"{__name__}:Fake.hook(find_response_for)",
        f"{__name__}:Absent (module '{__name__}' has no attribute 'Absent')",
    ]


def test_a_bridge_does_not_start_when_aiocometd_ng_lost_a_name_we_override() -> None:
    # As an upgrade that renamed it would: our override would never be called.
    done = run_python(
        "import django; django.setup()\n"
        "from aiocometd_ng.transports.base import TransportBase\n"
        "del TransportBase._follow_advice\n"
        "from statsbridge.service import bridge_service\n"
        "bridge_service('http://127.0.0.1:9')\n"
    )
    assert done.returncode != 0
    assert "PrivateNameMissing" in done.stderr and "LongPollingTransport._follow_advice" in done.stderr, done.stderr


def test_a_name_set_in_the_constructor_is_checked_on_an_instance() -> None:
    done = run_python(
        "import aiocometd_ng.transports.long_polling as lp\n"
        "init = lp.LongPollingTransport.__init__\n"
        "def without_semaphore(self, **kw):\n"
        "    init(self, **kw); del self._http_semaphore\n"
        "lp.LongPollingTransport.__init__ = without_semaphore\n"
        "from statsbridge.cometd_transport import check_private_names\n"
        "check_private_names()\n"
    )
    assert done.returncode != 0 and "LongPollingTransport._http_semaphore" in done.stderr, done.stderr

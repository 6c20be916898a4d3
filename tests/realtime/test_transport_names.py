"""The Twisted/daphne/autobahn names dashboard/realtime/transport.py reads exist on the locked
versions, and under daphne a missing one stops start-up (dashboard/project/asgi.py), named,
instead of sockets silently never being judged slow."""

from __future__ import annotations

import subprocess

from dashboard.realtime.transport import PRIVATE_NAMES, check_private_names
from statsbridge.private_names import missing
from tests.support.processes import run_python


def start_asgi_under_daphne(patch: str) -> subprocess.CompletedProcess:
    """As rundashboard does: daphne.server first, then the application."""
    return run_python(f"import daphne.server\n{patch}\nimport dashboard.project.asgi\nprint('served')\n")


def test_the_locked_versions_have_every_name_we_reach() -> None:
    import daphne.server  # noqa: F401  (installs the asyncio reactor, as under daphne)

    assert missing(PRIVATE_NAMES) == []
    check_private_names()


def test_start_up_passes_on_the_locked_versions() -> None:
    done = start_asgi_under_daphne("")
    assert done.returncode == 0 and "served" in done.stdout, done.stderr


def test_start_up_fails_naming_a_buffer_attribute_twisted_lost() -> None:
    done = start_asgi_under_daphne("import twisted.internet.abstract as a\ndel a.FileDescriptor.offset")
    assert done.returncode != 0
    assert "PrivateNameMissing" in done.stderr and "twisted.internet.tcp:Connection.offset" in done.stderr, done.stderr


def test_start_up_fails_when_daphne_no_longer_hands_its_protocol_to_send() -> None:
    patch = (
        "import daphne.server as s\n"
        "def create_application(self, protocol, scope):\n    return None\n"
        "s.Server.create_application = create_application"
    )
    done = start_asgi_under_daphne(patch)
    assert done.returncode != 0 and "partial(self.handle_reply, protocol)" in done.stderr, done.stderr

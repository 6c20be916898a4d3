"""In Chromium: on a wallboard mixing two connections, an outage of one greys only its
own tile; the other connection's tile stays live, and the greyed one recovers (issue 22)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.connections.support import TwoTenants
from tests.support.waiting import wait_until

pytestmark = pytest.mark.browser

TILE = "section.tile:has(h2:text-is('{}'))"


@pytest.fixture(scope="module")
def tenants(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TwoTenants]:
    deployment = TwoTenants(Path(tmp_path_factory.mktemp("two-tenants-browser")))
    try:
        yield deployment.start()
    finally:
        deployment.stop()


def stale(page, title: str) -> bool:  # type: ignore[no-untyped-def]
    return "stale" in (page.locator(TILE.format(title)).get_attribute("class") or "")


def test_an_outage_greys_only_its_connections_tiles(tenants: TwoTenants, page) -> None:  # type: ignore[no-untyped-def]
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(tenants.wallboard_url)
    wait_until(lambda: not stale(page, "Tenant A") and not stale(page, "Tenant B"), timeout=60, what="both tiles live")
    tenants.outage(1, 15)
    wait_until(lambda: stale(page, "Tenant B"), timeout=20, what="Tenant B greyed")
    assert not stale(page, "Tenant A")
    names = page.locator(f"{TILE.format('Tenant A')} .agent .st").all_text_contents()
    assert len(names) == 5 and "–" not in names  # tenant A's agents still show their states
    wait_until(lambda: not stale(page, "Tenant B"), timeout=45, what="Tenant B live again after the outage")
    assert not stale(page, "Tenant A")
    assert errors == []

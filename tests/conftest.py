"""Shared fixtures: real server processes and a real headless Chromium."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.postgres import postgres_server, scratch_database
from tests.support.processes import ROOT, ManagedProcess, start_dashboard

pytest_plugins = ["tests.support.dashboard_fixtures"]

# Every simulator the suite starts (in-process fixtures, `simulate` and `rundashboard`
# subprocesses, which inherit this environment) keeps the peak's arrival rate whatever the
# hour: a test waiting for values to change must not depend on the time of day (the
# evening's ebb made brand-b's 20 agents change a few times a minute). Set, not defaulted:
# a developer's own SIMULATOR_DAY_SHAPE must not change the suite. The day's shape itself
# is tested on ContactCenter and the backfill, which take their curve as an argument.
os.environ["SIMULATOR_DAY_SHAPE"] = "flat"

ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="module")
def dashboard_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ManagedProcess]:
    """`manage.py rundashboard` in the embedded default, on free loopback ports."""
    proc = start_dashboard(tmp_path_factory.mktemp("dashboard"))
    yield proc
    proc.stop()


@pytest.fixture(scope="session")
def postgres_admin_url() -> Iterator[str]:
    """The one way tests reach PostgreSQL: the machine's on 127.0.0.1:5432, or a private
    server started for this session when none answers (tests/support/postgres.py)."""
    with postgres_server() as url:
        yield url


@pytest.fixture
def postgres_url(postgres_admin_url: str) -> Iterator[str]:
    """A fresh database for one test, dropped after."""
    with scratch_database(postgres_admin_url) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    """Module-scoped: sync Playwright holds an event loop while it lives, which
    would clash with the async tests of other modules."""
    from playwright.sync_api import sync_playwright

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, request: pytest.FixtureRequest) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 800})  # type: ignore[attr-defined]
    page = context.new_page()
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{request.node.name}-final.png"))
    context.close()

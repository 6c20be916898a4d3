"""The revision check's rules (statsbridge/revision_watch.py), on a revisions table kept
in a dict: the scopes it acts on, when, and what snapshots carry."""

from __future__ import annotations

from statsbridge.revision_watch import RevisionWatch


class Table:
    """The configuration's side: revisions as the database would hold them."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}

    async def read_revisions(self) -> dict[str, int]:
        return dict(self.rows)

    async def messages_for(self, scopes: list[str]) -> list[dict]:
        return [{"type": "config.changed", "scope": scope} for scope in scopes]


def watch_of(table: Table) -> tuple[RevisionWatch, list[dict]]:
    handled: list[dict] = []

    async def handle(message: dict) -> None:
        handled.append(message)

    return RevisionWatch(table, handle), handled


async def test_an_edit_nobody_announced_is_handled_at_the_second_check() -> None:
    table = Table()
    table.rows = {"*": 1, "w:floor": 3}
    watch, handled = watch_of(table)
    assert await watch.check() == []  # the baseline
    table.rows["w:floor"] = 4
    assert await watch.check() == []  # its notification may be on its way
    assert await watch.check() == ["w:floor"]
    assert handled == [{"type": "config.changed", "scope": "w:floor"}]
    assert watch.changes_found == 1
    assert await watch.check() == []


async def test_an_announced_edit_is_not_handled_again() -> None:
    table = Table()
    watch, handled = watch_of(table)
    await watch.check()
    table.rows["d:agents"] = 1
    await watch.check()  # read between the commit and the notification
    watch.noted({"type": "config.changed", "dashboards": ["agents"], "revisions": {"d:agents": 1}})
    assert await watch.check() == [] and await watch.check() == []
    assert handled == [] and watch.changes_found == 0


async def test_snapshots_carry_all_scopes_and_their_dashboards_own() -> None:
    table = Table()
    table.rows = {"*": 2, "d:agents": 5, "d:queues": 1, "w:floor": 3}
    watch, _ = watch_of(table)
    assert watch.revisions_for("agents") == {}  # nothing known before the first read
    await watch.check()
    assert watch.revisions_for("agents") == {"*": 2, "d:agents": 5, "w:floor": 3}


async def test_a_database_restored_to_older_revisions_is_followed_after_two_checks() -> None:
    table = Table()
    table.rows = {"w:floor": 9}
    watch, handled = watch_of(table)
    await watch.check()
    table.rows = {"w:floor": 2}
    await watch.check()
    assert watch.revisions_for("x") == {"w:floor": 9}  # one read may have raced a notification
    await watch.check()
    assert watch.revisions_for("x") == {"w:floor": 2} and handled == []

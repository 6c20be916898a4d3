"""`backfill_history`: the simulator's plausible past as 5-minute buckets in the weekday
shape, written once (a second run adds nothing, on SQLite and PostgreSQL), refused against
a real tenant; and the demo content backfills on its first run."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.files import import_dashboards
from dashboard.boards.models import Statistic
from dashboard.history.models import HistoryBucket
from dashboard.project.commands.backfill_history import backfill_simulated
from tests.support.processes import base_env, manage

pytestmark = pytest.mark.django_db

# Monday 2026-11-30 00:00 UTC plus a minute: the backfill's "now".
NOW = datetime(2026, 11, 30, 0, 1, tzinfo=UTC).timestamp()
OFFERED = {"name": "TotalNumberInboundCalls", "objectType": "Tenant", "objectId": "Environment"}
WAITING = {"name": "CurrentNumberWaitingCalls", "objectType": "Tenant", "objectId": "Environment"}


def board(**widget: object) -> dict:
    base = {"type": "kpi", "title": "Offered", "statistics": [OFFERED], "compare": "last-week"}
    return {"dashboards": [{"slug": "probe", "title": "Probe", "widgets": [base | widget]}]}


def daily_totals(stat: Statistic) -> dict[str, float]:
    """Calls offered per UTC day: the counter's last value of each day (it restarts at midnight)."""
    last: dict[str, float] = defaultdict(float)
    for bucket in HistoryBucket.objects.filter(statistic=stat).order_by("start"):
        last[bucket.start.strftime("%a %d")] = bucket.last
    return dict(last)


def test_a_backfilled_week_is_busiest_on_monday_and_quiet_at_the_weekend() -> None:
    import_dashboards(board())
    written = backfill_simulated(days=7, now=NOW)
    stat = Statistic.objects.get(name="TotalNumberInboundCalls")
    assert written == HistoryBucket.objects.count() == 7 * 288  # whole 5-minute buckets, none of today yet
    assert set(HistoryBucket.objects.values_list("interval", flat=True)) == {300}
    totals = daily_totals(stat)
    assert list(totals) == ["Mon 23", "Tue 24", "Wed 25", "Thu 26", "Fri 27", "Sat 28", "Sun 29"]
    monday, wednesday, saturday, sunday = (totals[d] for d in ("Mon 23", "Wed 25", "Sat 28", "Sun 29"))
    assert monday > wednesday > saturday > sunday
    assert sunday < 0.75 * monday
    # A counter's bucket runs from the value before it (min) to its own (max = last).
    first, second = HistoryBucket.objects.filter(statistic=stat).order_by("start")[:2]
    assert first.min == 0 and second.min == first.last and second.max == second.last


def test_the_hours_follow_the_day_shape() -> None:
    import_dashboards(board(statistics=[WAITING], title="Waiting"))
    backfill_simulated(days=7, now=NOW)
    by_hour: dict[int, list[float]] = defaultdict(list)
    for bucket in HistoryBucket.objects.all():
        by_hour[bucket.start.hour].append(bucket.last)
    mean = {hour: sum(v) / len(v) for hour, v in by_hour.items()}
    assert mean[10] > 3 * mean[3]  # the late-morning peak over the night


def test_a_second_backfill_adds_nothing_and_keeps_live_buckets() -> None:
    import_dashboards(board())
    backfill_simulated(days=2, now=NOW)
    stat = Statistic.objects.get()
    live = HistoryBucket.objects.order_by("-start").first()
    live.last, live.count = 12345.0, 3
    live.save()
    before = HistoryBucket.objects.count()
    backfill_simulated(days=2, now=NOW)
    assert HistoryBucket.objects.count() == before
    assert HistoryBucket.objects.get(pk=live.pk).last == 12345.0
    assert stat.history.count() == before


def test_the_command_writes_only_the_named_dashboards_statistics(capsys: pytest.CaptureFixture) -> None:
    import_dashboards(board())
    call_command("backfill_history", "--days", "0", "--dashboard", "nothing-here")
    assert HistoryBucket.objects.count() == 0
    call_command("backfill_history", "--days", "1", "--dashboard", "probe")
    assert HistoryBucket.objects.count() >= 288
    assert "buckets offered" in capsys.readouterr().out


def test_the_command_refuses_a_real_tenant(settings: object) -> None:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": "https://gapi-use1.genesyscloud.com"}  # type: ignore[attr-defined]
    import_dashboards(board())
    with pytest.raises(CommandError, match="never into a real tenant"):
        call_command("backfill_history", "--days", "1")
    assert HistoryBucket.objects.count() == 0


def test_the_demo_content_backfills_four_weeks_for_its_comparisons_once(settings: object) -> None:
    settings.GENESYS = settings.GENESYS | {"API_BASE_URL": None}  # type: ignore[attr-defined]
    made = ensure_demo_content(logins=False)
    assert any(m.startswith("history (") for m in made), made
    # The gauge and the trend show the same statistic on two rows: both get its past.
    for compared in Statistic.objects.filter(name="ServiceFactor", object_type="Tenant"):
        oldest = compared.history.order_by("start").first()
        assert oldest is not None and (datetime.now(UTC) - oldest.start).days >= 28
    intraday = Statistic.objects.get(name="TotalNumberInboundCalls", object_id="8001@SIP_Switch")
    assert intraday.history.order_by("start").first().start.date() == datetime.now(UTC).date()  # today only
    trend = Statistic.objects.get(name="CurrentNumberWaitingCalls", object_type="Tenant")
    assert not trend.history.exists()  # a trend without a comparison starts from live values
    count = HistoryBucket.objects.count()
    assert ensure_demo_content(logins=False) == []
    assert HistoryBucket.objects.count() == count


def test_the_backfill_writes_once_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    env = base_env(tmp_path, DATABASE_URL=postgres_url)
    manage(env, "migrate", "--verbosity", "0")
    (tmp_path / "board.json").write_text(json.dumps(board()))
    manage(env, "import_dashboards", str(tmp_path / "board.json"))
    count = "from dashboard.models import HistoryBucket; print(HistoryBucket.objects.count())"
    manage(env, "backfill_history", "--days", "1")
    first = int(manage(env, "shell", "-c", count).split()[-1])
    manage(env, "backfill_history", "--days", "1")
    assert first >= 288 and int(manage(env, "shell", "-c", count).split()[-1]) == first

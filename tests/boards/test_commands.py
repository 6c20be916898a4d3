"""The management commands wallboard_url, export_dashboards and import_dashboards."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from dashboard.access.models import WallboardToken
from dashboard.access.policy import wallboard_for_token
from dashboard.boards.files import export_dashboards, import_dashboards
from dashboard.boards.models import Dashboard, Wallboard
from tests.boards.test_files import example, invalid_file, rows

pytestmark = pytest.mark.django_db


def run(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    extra = {"stdin": StringIO(stdin)} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=err, **extra)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def floor() -> Wallboard:
    import_dashboards(example())
    Wallboard.objects.create(slug="lobby", title="Lobby")
    return Wallboard.objects.get(slug="floor")


def token_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["token"][0]


# -- wallboard_url ----------------------------------------------------------------


def test_wallboard_url_prints_a_kiosk_url_for_that_wallboard_only(floor: Wallboard) -> None:
    out, _ = run("wallboard_url", "floor", "--base", "https://wall.example.com/", "--label", "TV 1")

    url = out.strip()
    assert "\n" not in url
    assert url.startswith("https://wall.example.com/wallboards/floor/?token=")
    row = wallboard_for_token(token_of(url), "floor")
    assert row is not None and row.label == "TV 1"
    assert wallboard_for_token(token_of(url), "lobby") is None


def test_wallboard_url_defaults_to_the_local_dashboard(floor: Wallboard) -> None:
    out, _ = run("wallboard_url", "floor")

    assert out.startswith("http://127.0.0.1:8000/wallboards/floor/?token=")


def test_revoked_wallboard_url_is_rejected(floor: Wallboard) -> None:
    token = token_of(run("wallboard_url", "floor")[0].strip())
    WallboardToken.objects.update(revoked=timezone.now())

    assert wallboard_for_token(token, "floor") is None


def test_each_wallboard_url_is_separately_revocable(floor: Wallboard) -> None:
    first = token_of(run("wallboard_url", "floor")[0].strip())
    second = token_of(run("wallboard_url", "floor")[0].strip())
    row = wallboard_for_token(first)
    assert row is not None
    WallboardToken.objects.filter(pk=row.pk).update(revoked=timezone.now())

    assert wallboard_for_token(first, "floor") is None
    assert wallboard_for_token(second, "floor") is not None


def test_wallboard_url_for_unknown_slug_lists_the_wallboards(floor: Wallboard) -> None:
    with pytest.raises(CommandError, match="'nowhere'.*floor, lobby"):
        run("wallboard_url", "nowhere")


# -- export_dashboards ------------------------------------------------------------


def test_export_prints_the_dashboard_file(floor: Wallboard) -> None:
    out, _ = run("export_dashboards")

    assert json.loads(out) == export_dashboards()
    assert out.startswith('{\n  "dashboards"')


def test_export_writes_to_a_file(floor: Wallboard, tmp_path: Path) -> None:
    target = tmp_path / "probe.json"

    out, _ = run("export_dashboards", "probe", "--output", str(target))

    assert out == ""
    assert json.loads(target.read_text()) == export_dashboards(["probe"])


def test_export_of_unknown_slugs_names_them(floor: Wallboard) -> None:
    with pytest.raises(CommandError, match="'ghost', 'phantom'"):
        run("export_dashboards", "probe", "ghost", "phantom")


# -- import_dashboards ------------------------------------------------------------


def test_import_reports_what_it_did(tmp_path: Path) -> None:
    path = tmp_path / "probe.json"
    path.write_text(json.dumps(example()))

    first, _ = run("import_dashboards", str(path))
    second, _ = run("import_dashboards", str(path))

    assert first.splitlines() == [
        "2 created, 0 updated, 0 unchanged",
        "  created: dashboard probe",
        "  created: wallboard floor",
    ]
    assert second.splitlines()[0] == "0 created, 0 updated, 2 unchanged"
    assert Dashboard.objects.get().slug == "probe"


def test_import_reads_stdin() -> None:
    out, _ = run("import_dashboards", "-", stdin=json.dumps(example()))

    assert out.startswith("2 created")


def test_import_tells_the_bridge_only_when_something_changed(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[None] = []
    monkeypatch.setattr("dashboard.boards.commands.import_dashboards.notify_bridge", lambda: calls.append(None))
    text = json.dumps(example())

    run("import_dashboards", "-", stdin=text)
    run("import_dashboards", "-", stdin=text)

    assert len(calls) == 1


def test_import_of_a_bad_file_prints_every_error_and_changes_nothing() -> None:
    before = rows()

    with pytest.raises(CommandError, match="3 error"):
        out, err = StringIO(), StringIO()
        call_command("import_dashboards", "-", stdin=StringIO(json.dumps(invalid_file())), stdout=out, stderr=err)

    lines = err.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines] == [
        "dashboards[0].widgets[0].statistics[0].objectType",
        "dashboards[0].widgets[1].type",
        "wallboards[0].dashboards",
    ]
    assert rows() == before


def test_import_of_invalid_json_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{"dashboards": [\n  {"slug": "x",}\n]}')

    with pytest.raises(CommandError, match="line 2, column"):
        run("import_dashboards", str(path))


def test_import_of_a_missing_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="cannot read .*missing.json"):
        run("import_dashboards", str(tmp_path / "missing.json"))

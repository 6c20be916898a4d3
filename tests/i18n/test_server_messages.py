"""Messages the server writes (not the templates, not the scripts) in the reader's
language, through the real server (rundashboard) over HTTP: a builder draft conflict,
a draft's dashboard-file problems and warnings on publish, and the statistic picker's
catalogue. One editor chose German, one English; each reads only their own."""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator

import httpx
import pytest

from tests.support.live_server import run_in_server, sign_in
from tests.support.processes import ManagedProcess

SLUG = "queues"
EDITORS = {"redakteurin": "de", "editor-en": "en"}


@pytest.fixture(scope="module")
def editors(dashboard_server: ManagedProcess) -> Iterator[dict[str, httpx.Client]]:
    """Two superusers of the running server, each with their language on their row."""
    run_in_server(
        dashboard_server,
        "import json; from django.contrib.auth.models import User; "
        "from dashboard.i18n.models import LanguagePreference\n"
        f"for name, language in {EDITORS!r}.items():\n"
        "    user = User.objects.create_superuser(name, password=name + '-pw')\n"
        "    LanguagePreference.objects.create(user=user, language=language)\n"
        "print(json.dumps({'ok': True}))",
    )
    clients = {name: sign_in(dashboard_server, name, name + "-pw") for name in EDITORS}
    yield clients
    for client in clients.values():
        client.close()


def _post(client: httpx.Client, path: str, body: object, revision: int | None = None) -> httpx.Response:
    headers = {"X-CSRFToken": client.cookies["csrftoken"]}
    if revision is not None:
        headers["X-Draft-Revision"] = str(revision)
    return client.post(path, json=body, headers=headers)


def _discard(client: httpx.Client) -> None:
    assert _post(client, f"/dashboards/{SLUG}/edit/discard", {}).status_code == 200


def _published(client: httpx.Client) -> dict:
    state = client.get(f"/dashboards/{SLUG}/edit/state").json()
    assert not state["hasDraft"], "a draft was left over"
    return state["document"]


def test_a_draft_conflict_names_the_other_editor_in_each_readers_language(editors: dict) -> None:
    german, english = editors["redakteurin"], editors["editor-en"]
    document = _published(german)
    try:
        assert _post(english, f"/dashboards/{SLUG}/edit/draft", document, revision=0).status_code == 200
        refused = _post(german, f"/dashboards/{SLUG}/edit/draft", document, revision=0)
        assert refused.status_code == 409 and refused.json()["conflict"]
        said = refused.json()["error"]
        assert re.fullmatch(
            r"Nicht gespeichert: editor-en hat diesen Entwurf um \d\d:\d\d:\d\d gespeichert, nachdem Sie ihn "
            r"geladen hatten\. Laden Sie den aktuellen Entwurf.*",
            said,
        ), said
        assert _post(german, f"/dashboards/{SLUG}/edit/draft", document, revision=1).status_code == 200
        refused = _post(english, f"/dashboards/{SLUG}/edit/draft", document, revision=1)
        assert refused.status_code == 409
        assert re.match(
            r"Not saved: redakteurin saved this draft at \d\d:\d\d:\d\d, after you loaded it", refused.json()["error"]
        )
        _discard(german)
        gone = _post(german, f"/dashboards/{SLUG}/edit/draft", document, revision=2).json()["error"]
        assert "wurde inzwischen veröffentlicht oder verworfen" in gone, gone
    finally:
        _discard(german)


def _broken(document: dict) -> dict:
    """The published board with a widget whose title is missing and whose statistic
    names an unknown object type, and a coverage widget naming a skill nobody has."""
    broken = copy.deepcopy(document)
    stat = {"name": "CurrentNumberWaitingCalls", "objectType": "Warteschlange", "objectId": "8001@SIP_Switch"}
    broken["widgets"] += [
        {"type": "kpi", "title": "", "width": 1, "statistics": [stat]},
        {"type": "skill-coverage", "title": "Abdeckung", "width": 2, "skills": ["Klingonisch"]},
    ]
    return broken


def test_publishing_a_draft_with_problems_says_them_in_german(editors: dict) -> None:
    german = editors["redakteurin"]
    document = _published(german)
    where = f"dashboards[0].widgets[{len(document['widgets'])}]"
    try:
        saved = _post(german, f"/dashboards/{SLUG}/edit/draft", _broken(document), revision=0).json()
        refused = _post(german, f"/dashboards/{SLUG}/edit/publish", {})
        assert refused.status_code == 400 and refused.json()["error"] == "der Entwurf hat Fehler"
        problems = refused.json()["problems"]
        assert problems == saved["problems"]
        assert f"{where}.title: eine nicht leere Zeichenkette ist erforderlich" in problems, problems
        assert any(
            p.startswith(f"{where}.statistics[0].objectType: Unbekannter Objekttyp 'Warteschlange'; erlaubt: Agent, ")
            for p in problems
        ), problems
        # A draft whose only news is a skill nobody has yet: publishable, with a warning.
        valid = _broken(document)
        del valid["widgets"][-2]
        warned = _post(german, f"/dashboards/{SLUG}/edit/draft", valid, revision=1).json()
        assert warned["problems"] == [] and warned["warnings"] == [
            f"dashboards[0].widgets[{len(document['widgets'])}].skills: 'Klingonisch' ist noch kein bekannter "
            "Skill (er kommt vielleicht mit dem nächsten Skill-Abgleich)"
        ]
    finally:
        _discard(german)


def test_the_same_problems_read_in_english_for_an_english_editor(editors: dict) -> None:
    english = editors["editor-en"]
    document = _published(english)
    where = f"dashboards[0].widgets[{len(document['widgets'])}]"
    try:
        _post(english, f"/dashboards/{SLUG}/edit/draft", _broken(document), revision=0)
        refused = _post(english, f"/dashboards/{SLUG}/edit/publish", {}).json()
        assert refused["error"] == "the draft has problems"
        assert f"{where}.title: a non-empty string is required" in refused["problems"]
    finally:
        _discard(english)


def _labels(client: httpx.Client) -> dict[str, str]:
    catalog = client.get("/builder/catalog").json()
    return {entry["name"]: entry["label"] for entry in catalog["names"]}


def test_the_pickers_catalogue_labels_are_in_the_editors_language(editors: dict) -> None:
    german, english = _labels(editors["redakteurin"]), _labels(editors["editor-en"])
    assert german["CurrentNumberWaitingCalls"] == "Wartende Anrufe"
    assert german["ServiceFactor"] == "Servicelevel"
    assert german["CurrentNumberAfterCallWorkAgents"] == "Agenten in Nacharbeit"
    assert english["CurrentNumberWaitingCalls"] == "Calls waiting"
    assert english["ServiceFactor"] == "Service level"
    catalog = editors["redakteurin"].get("/builder/catalog").json()
    assert {f["name"]: f["help"] for f in catalog["definitionFields"]}["category"] == "Was berechnet wird"
    assert catalog["unitChoices"] == [["count", "Anzahl"], ["duration", "Dauer (mm:ss)"], ["percent", "Prozent"]]


def test_the_editors_palette_names_widget_kinds_in_german(editors: dict) -> None:
    page = editors["redakteurin"].get(f"/dashboards/{SLUG}/edit/").text
    assert '"label": "KPI-Kachel mit Sparkline"' in page and '"label": "Warteschlangentabelle"' in page
    assert "KPI tile with sparkline" not in page

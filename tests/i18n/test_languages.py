"""Who reads which language, through Django's test client: a user's choice (the menu,
kept on their row), a wallboard's own language whatever its browser says, the
browser's Accept-Language for anyone else, and the page configs' time zones."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth.models import User
from django.test import Client

from dashboard.access.policy import issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Dashboard, Wallboard
from dashboard.i18n.models import LanguagePreference

pytestmark = pytest.mark.django_db


def _config(html: str, element: str = "page-config") -> dict:
    found = re.search(rf'<script id="{element}" type="application/json">(.*?)</script>', html, re.S)
    assert found, f"no #{element}"
    return json.loads(found.group(1))


def _supervisor(client: Client) -> User:
    ensure_demo_content(logins=False)
    user = User.objects.create(username="sue")
    user.groups.set(Dashboard.objects.get(slug="agents").groups.all())
    client.force_login(user)
    return user


def test_english_by_default_with_an_empty_catalogue(client: Client) -> None:
    _supervisor(client)
    page = client.get("/").content.decode()
    assert '<html lang="en">' in page and "Sign out" in page
    assert _config(page, "i18n-catalogue") == {}


def test_the_language_menu_keeps_a_users_choice_across_sessions(client: Client) -> None:
    user = _supervisor(client)
    done = client.post("/i18n/language/", {"language": "de", "next": "/dashboards/agents/"})
    assert done.status_code == 302 and done["Location"] == "/dashboards/agents/"
    assert LanguagePreference.objects.get(user=user).language == "de"
    fresh = Client()  # another browser: no language cookie, English Accept-Language
    fresh.force_login(user)
    page = fresh.get("/dashboards/agents/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert '<html lang="de">' in page
    assert "Abmelden" in page and "Sign out" not in page
    assert "Keine Alarme" in page and "Dieses Dashboard bearbeiten" not in page  # a supervisor edits nothing
    catalogue = _config(page, "i18n-catalogue")
    assert catalogue["Ready"] == "Bereit" and catalogue["No alerts"] == "Keine Alarme"
    assert catalogue["{count} breach: {parts}"] == [
        "{count} Überschreitung: {parts}",
        "{count} Überschreitungen: {parts}",
    ]


def test_an_unknown_language_changes_nothing(client: Client) -> None:
    user = _supervisor(client)
    client.post("/i18n/language/", {"language": "xx", "next": "/"})
    assert not LanguagePreference.objects.filter(user=user).exists()
    assert '<html lang="en">' in client.get("/").content.decode()


def test_the_menu_refuses_a_foreign_next_url(client: Client) -> None:
    _supervisor(client)
    done = client.post("/i18n/language/", {"language": "de", "next": "https://evil.example/"})
    assert done.status_code == 302 and "evil.example" not in done["Location"]


def test_a_signed_out_visitor_gets_their_browsers_language(client: Client) -> None:
    page = client.get("/accounts/login/", HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9").content.decode()
    assert '<html lang="de">' in page and "Benutzername" in page and "Passwort" in page


def test_a_wallboard_speaks_its_own_language_not_its_browsers(client: Client) -> None:
    ensure_demo_content(logins=False)
    wallboard = Wallboard.objects.get(slug="floor")
    wallboard.language, wallboard.time_zone = "de", "Europe/Berlin"
    wallboard.save()
    token = issue_token(wallboard, label="test")
    response = client.get(f"/wallboards/floor/?token={token}", HTTP_ACCEPT_LANGUAGE="en-US,en")
    page = response.content.decode()
    assert response["Content-Language"] == "de"
    assert '<html lang="de">' in page and "Getrennt" in page and ">Disconnected<" not in page
    assert _config(page)["timeZone"] == "Europe/Berlin"
    assert _config(page, "i18n-catalogue")["Disconnected"] == "Getrennt"
    denied = client.get("/wallboards/floor/?token=nope").content.decode()
    assert "Dieser Wallboard-Link ist ungültig" in denied


def test_the_dashboard_page_sends_its_time_zone(client: Client) -> None:
    _supervisor(client)
    Dashboard.objects.filter(slug="agents").update(time_zone="America/New_York")
    assert _config(client.get("/dashboards/agents/").content.decode())["timeZone"] == "America/New_York"


def test_a_bad_time_zone_is_refused_by_the_model() -> None:
    from django.core.exceptions import ValidationError

    wallboard = Wallboard(slug="x", title="X", time_zone="Mars/Olympus")
    with pytest.raises(ValidationError) as raised:
        wallboard.full_clean()
    assert "time_zone" in raised.value.message_dict

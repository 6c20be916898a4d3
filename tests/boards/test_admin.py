"""The configuration pages (dashboard/boards/admin.py), through Django's test client, and
the "test this statistic" action against a real simulator on a loopback port."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db.models import Model
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from dashboard.access.models import WallboardToken
from dashboard.access.policy import issue_token, wallboard_for_token
from dashboard.boards.demo import demo_file
from dashboard.boards.files import import_dashboards
from dashboard.boards.models import Dashboard, Statistic, Wallboard

pytestmark = pytest.mark.django_db

DASHBOARD_MODELS = [model for model in admin.site._registry if model._meta.app_label == "dashboard"]
# The skills pages need synced data: tests/skills/test_admin.py renders them (connections: tests/connections).
CONFIG_MODELS = [
    model
    for model in DASHBOARD_MODELS
    if model.__module__
    not in (
        "dashboard.skills.models",
        "dashboard.alerts.models",
        "dashboard.builder.models",
        "dashboard.connections.models",
    )
]


@pytest.fixture
def demo() -> None:
    import_dashboards(demo_file())


def admin_url(model: type[Model], view: str, *args: object) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def run_action(client: Client, model: type[Model], action: str, *objects: Model) -> list[str]:
    response = client.post(
        admin_url(model, "changelist"), {"action": action, "_selected_action": [obj.pk for obj in objects]}
    )
    assert response.status_code == 302, response.content[:2000]
    return [str(message) for message in get_messages(response.wsgi_request)]


def form_errors(response: HttpResponse) -> dict[str, list[str]]:
    assert response.status_code == 200, "the form was accepted"
    return response.context["adminform"].form.errors


# -- every page renders -----------------------------------------------------------


def test_every_dashboard_model_is_registered() -> None:
    names = {model.__name__ for model in DASHBOARD_MODELS}
    assert names == {
        "Statistic",
        "Dashboard",
        "Widget",
        "WidgetStatistic",
        "Wallboard",
        "WallboardPage",
        "WallboardToken",
        "SkillSource",
        "Skill",
        "AgentMapping",
        "AgentSkill",
        "SkillCluster",
        "AgentSkillCluster",
        "NotificationChannel",
        "AlertRule",
        "AlertEvent",
        "DashboardDraft",
        "DashboardVersion",
        "Connection",
    }


@pytest.mark.parametrize("model", CONFIG_MODELS, ids=lambda m: m.__name__)
def test_changelist_and_change_pages_render(staff: Client, demo: None, model: type[Model]) -> None:
    issue_token(Wallboard.objects.get(slug="floor"), label="TV")

    assert staff.get(admin_url(model, "changelist")).status_code == 200
    assert staff.get(admin_url(model, "changelist"), {"q": "8001"}).status_code == 200
    assert staff.get(admin_url(model, "change", model.objects.first().pk)).status_code == 200


@pytest.mark.parametrize("model", [m for m in CONFIG_MODELS if m is not WallboardToken], ids=lambda m: m.__name__)
def test_add_pages_render(staff: Client, model: type[Model]) -> None:
    assert staff.get(admin_url(model, "add")).status_code == 200


def test_tokens_are_issued_only_by_the_action(staff: Client) -> None:
    assert staff.get(admin_url(WallboardToken, "add")).status_code == 403


def test_admin_is_titled_for_the_product(staff: Client) -> None:
    assert "Contact center live: configuration" in staff.get("/admin/").content.decode()


def test_dashboard_list_links_to_the_live_page(staff: Client, demo: None) -> None:
    page = staff.get(admin_url(Dashboard, "changelist")).content.decode()
    assert 'href="/dashboards/queues/"' in page


# -- statistic validation -----------------------------------------------------------

STAT_FORM = {
    "label": "",
    "unit": "count",
    "object_type": "Queue",
    "object_id": "8001@SIP_Switch",
    "name": "",
    "definition": "",
    "expected_period_s": "10",
}


def test_statistic_with_name_and_definition_is_refused_on_the_name(staff: Client) -> None:
    data = STAT_FORM | {
        "name": "CurrentNumberWaitingCalls",
        "definition": '{"category": "CurrentNumber", "subject": "DNAction"}',
    }

    errors = form_errors(staff.post(admin_url(Statistic, "add"), data))

    assert "not both" in errors["name"][0]
    assert not Statistic.objects.exists()


def test_statistic_with_a_malformed_definition_field_names_it(staff: Client) -> None:
    data = STAT_FORM | {"definition": '{"category": "CurrentNumber", "notificationFrequency": "10"}'}

    errors = form_errors(staff.post(admin_url(Statistic, "add"), data))

    assert errors["definition"][0] == "notificationFrequency: expected an integer, got string"
    assert not Statistic.objects.exists()


def test_statistic_with_names_we_do_not_know_is_saved_with_warnings(staff: Client) -> None:
    definition = (
        '{"category": "TenantSpecialCategory", "subject": "DNAction", "mainMask": "CallWait,MyAction",'
        ' "objects": "Queue", "filter": "VoiceCalls", "timeProfile": "Default", "timeRange": "0-20"}'
    )
    response = staff.post(admin_url(Statistic, "add"), STAT_FORM | {"definition": definition})

    assert response.status_code == 302
    assert Statistic.objects.get().definition["category"] == "TenantSpecialCategory"
    warnings = [str(m) for m in get_messages(response.wsgi_request) if m.level_tag == "warning"]
    assert any("category 'TenantSpecialCategory' is not one we know" in w for w in warnings), warnings
    assert any("action 'MyAction' is not one we know" in w for w in warnings), warnings
    assert len(warnings) == 2, warnings  # objects, filter, timeProfile, timeRange are known fields


def test_statistic_with_an_unknown_object_type_names_it(staff: Client) -> None:
    errors = form_errors(
        staff.post(
            admin_url(Statistic, "add"), STAT_FORM | {"name": "CurrentNumberWaitingCalls", "object_type": "Queu"}
        )
    )

    assert "Queu" in errors["object_type"][0]


def test_valid_statistic_is_saved(staff: Client) -> None:
    response = staff.post(admin_url(Statistic, "add"), STAT_FORM | {"name": "CurrentNumberWaitingCalls"})

    assert response.status_code == 302
    assert Statistic.objects.get().name == "CurrentNumberWaitingCalls"


# -- kiosk tokens ---------------------------------------------------------------------


def test_issue_kiosk_token_shows_a_working_url(staff: Client, demo: None) -> None:
    floor = Wallboard.objects.get(slug="floor")

    [message] = run_action(staff, Wallboard, "issue_kiosk_token", floor)

    url = re.search(r'href="([^"]+)"', message).group(1)  # type: ignore[union-attr]
    assert url.startswith("http://testserver/wallboards/floor/?token=")
    token = parse_qs(urlsplit(url).query)["token"][0]
    assert wallboard_for_token(token, "floor") is not None


def test_revoke_tokens_revokes_every_token_of_the_wallboard(staff: Client, demo: None) -> None:
    floor = Wallboard.objects.get(slug="floor")
    tokens = [issue_token(floor), issue_token(floor)]

    [message] = run_action(staff, Wallboard, "revoke_tokens", floor)

    assert "Revoked 2" in message
    assert all(wallboard_for_token(token, "floor") is None for token in tokens)
    assert not WallboardToken.objects.filter(revoked__isnull=True).exists()


def test_revoke_selected_tokens_leaves_the_others(staff: Client, demo: None) -> None:
    floor = Wallboard.objects.get(slug="floor")
    kept, revoked = issue_token(floor, "kept"), issue_token(floor, "revoked")

    run_action(staff, WallboardToken, "revoke_selected", WallboardToken.objects.get(label="revoked"))

    assert wallboard_for_token(kept, "floor") is not None
    assert wallboard_for_token(revoked, "floor") is None


# -- test this statistic ----------------------------------------------------------------


def test_peek_shows_the_current_value(staff: Client, upstream: str) -> None:
    stat = Statistic.objects.create(
        label="Waiting", name="CurrentNumberWaitingCalls", object_type="Queue", object_id="8001@SIP_Switch"
    )

    [message] = run_action(staff, Statistic, "peek_statistics", stat)

    assert re.fullmatch(r"Waiting = -?\d+(\.\d+)?", message), message


def test_peek_of_an_unknown_object_shows_the_upstreams_error(staff: Client, upstream: str) -> None:
    stat = Statistic.objects.create(
        label="Nowhere", name="CurrentNumberWaitingCalls", object_type="Queue", object_id="9999@SIP_Switch"
    )

    [message] = run_action(staff, Statistic, "peek_statistics", stat)

    assert "400" in message and "no Queue '9999@SIP_Switch'" in message, message
    assert "simulator-" not in message  # no credential ever reaches the page


def test_peek_of_an_ad_hoc_definition_asks_the_upstream(staff: Client, upstream: str) -> None:
    stat = Statistic.objects.create(
        label="In range",
        object_type="Queue",
        object_id="8001@SIP_Switch",
        definition={
            "category": "TotalNumberInTimeRange",
            "subject": "DNAction",
            "mainMask": "CallAnswered",
            "timeRange": "0-20",
        },
    )

    [message] = run_action(staff, Statistic, "peek_statistics", stat)

    assert re.fullmatch(r"In range = \d+", message), message


def test_peek_of_a_definition_the_upstream_refuses_shows_its_message(staff: Client, upstream: str) -> None:
    stat = Statistic.objects.create(
        label="Odd", object_type="Queue", object_id="8001@SIP_Switch", definition={"category": "TenantSpecialCategory"}
    )

    [message] = run_action(staff, Statistic, "peek_statistics", stat)

    assert message.startswith("Odd: the upstream refused it:") and "TenantSpecialCategory" in message, message

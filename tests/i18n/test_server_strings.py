"""Server-side strings read in the active language, in process: the builder's budget
refusal, a widget's threshold rule, and the built-in statistic labels a German
wallboard's queue table heads its columns with."""

from __future__ import annotations

import json
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

from dashboard.access.policy import issue_token
from dashboard.boards.demo import ensure_demo_content
from dashboard.boards.models import Wallboard, Widget
from dashboard.boards.statistic_labels import name_label
from dashboard.builder.budget import Budget


def test_the_budget_refusal_reads_in_german() -> None:
    budget = Budget(adds=3, removes=1, open_now=99, open_after=101, limit=100)
    with translation.override("de"):
        said = budget.refusal()
    assert said == (
        "Dieser Entwurf würde 101 Statistiken bei Genesys offen halten, über dem Budget von 100 "
        "(SUBSCRIPTION_BUDGET): er fügt 3 hinzu und entfernt 1."
    )
    with translation.override("en"):
        assert budget.refusal().startswith("This draft would keep 101 statistics open upstream")


@pytest.mark.parametrize(
    ("direction", "german"),
    [
        ("above", "bei „überschritten, wenn darüber“ muss der kritische Wert mindestens so hoch sein wie der Warnwert"),
        ("below", "bei „überschritten, wenn darunter“ darf der kritische Wert höchstens so hoch sein wie der Warnwert"),
    ],
)
def test_a_widgets_threshold_rule_is_said_in_german(direction: str, german: str) -> None:
    warning, critical = (10, 5) if direction == "above" else (5, 10)
    widget = Widget(kind="kpi", warning=warning, critical=critical, direction=direction)
    with translation.override("de"), pytest.raises(ValidationError) as raised:
        widget.clean()
    assert raised.value.message_dict == {"critical": [german]}


def test_statistic_labels_follow_the_active_language() -> None:
    with translation.override("de"):
        assert name_label("TotalNumberAbandonedCalls") == "Abgebrochene Anrufe"
        assert name_label("SomethingTheTenantMade") == "Something the tenant made"  # no catalogue entry: as is
    assert name_label("TotalNumberAbandonedCalls") == "Calls abandoned"


@pytest.mark.django_db
def test_a_german_wallboards_table_heads_its_columns_in_german(client: Client) -> None:
    ensure_demo_content(logins=False)
    wallboard = Wallboard.objects.get(slug="floor")
    wallboard.language = "de"
    wallboard.save()
    page = client.get(f"/wallboards/floor/?token={issue_token(wallboard, label='test')}").content.decode()
    config = json.loads(re.search(r'<script id="page-config" type="application/json">(.*?)</script>', page, re.S)[1])
    labels = {s["nameLabel"] for p in config["pages"] for w in p["widgets"] for s in w.get("statistics", [])}
    assert "Wartende Anrufe" in labels and "Calls waiting" not in labels, labels

"""Channels and alert rules in dashboard files (dashboard/boards/files.py; format in
../shared/interfaces.md, "Alerts").

`{"channels": [{"name", "kind", "url" | "to", "enabled"?}], "dashboards": [{..., "alerts":
[{"name", "widget", "level", "after_seconds", "repeat_seconds", "channels", "sound",
"escalate"?: {"after_minutes", "channels"}}]}]}`. Secrets are never exported: not a
webhook's signing secret, not a Slack URL (the URL is the credential). An import may carry
`"secret"` (and a Slack `"url"`); without them an existing channel keeps its own.
Rules name their widget by title, so a widget title must be unique on its dashboard.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dashboard.alerts.models import AlertRule, Level, NotificationChannel

KINDS = set(NotificationChannel.Kind.values)


# -- export ------------------------------------------------------------------------


def channel_entry(channel: NotificationChannel) -> dict:
    entry: dict[str, Any] = {"name": channel.name, "kind": channel.kind}
    if channel.kind == "webhook":
        entry["url"] = channel.url
    if channel.kind == "email":
        entry["to"] = list(channel.to or [])
    if not channel.enabled:
        entry["enabled"] = False
    return entry


def export_channels() -> list[dict]:
    return [channel_entry(c) for c in NotificationChannel.objects.all()]


def rule_entry(rule: AlertRule) -> dict:
    entry: dict[str, Any] = {
        "name": rule.name,
        "widget": rule.widget.title,
        "level": rule.level,
        "after_seconds": rule.after_seconds,
        "repeat_seconds": rule.repeat_seconds,
        "channels": sorted(c.name for c in rule.channels.all()),
        "sound": rule.sound,
    }
    if rule.escalate_after_minutes is not None:
        entry["escalate"] = {
            "after_minutes": rule.escalate_after_minutes,
            "channels": sorted(c.name for c in rule.escalation_channels.all()),
        }
    if not rule.enabled:
        entry["enabled"] = False
    return entry


def alert_entries(dashboard: object) -> list[dict]:
    rules = AlertRule.objects.filter(dashboard=dashboard).select_related("widget").order_by("name")
    return [rule_entry(rule) for rule in rules]


# -- validation --------------------------------------------------------------------


def validate_channels(raw: Any, errors: list[str]) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(gettext("%(where)s: a list is required") % {"where": "channels"})
        return []
    seen: set[str] = set()
    return [c for c in (_channel(item, f"channels[{i}]", seen, errors) for i, item in enumerate(raw)) if c]


def _channel(raw: Any, where: str, seen: set[str], errors: list[str]) -> dict | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        errors.append(gettext("%(where)s: a non-empty name is required") % {"where": f"{where}.name"})
        return None
    name, kind = raw["name"].strip()[:80], raw.get("kind")
    if name in seen:
        errors.append(
            gettext("%(where)s: %(name)s appears twice in the file") % {"where": f"{where}.name", "name": repr(name)}
        )
    seen.add(name)
    if kind not in KINDS:
        errors.append(
            gettext("%(where)s: one of %(choices)s") % {"where": f"{where}.kind", "choices": ", ".join(sorted(KINDS))}
        )
        return None
    entry: dict[str, Any] = {"name": name, "kind": kind}
    url = raw.get("url")
    if kind in ("webhook", "slack") and url is not None or kind == "webhook":
        if not isinstance(url, str) or not url.startswith(("http://", "https://")) or len(url) > 500:
            errors.append(gettext("%(where)s: an http(s) URL is required") % {"where": f"{where}.url"})
        entry["url"] = url
    if kind == "email":
        to = raw.get("to")
        if not isinstance(to, list) or not to or not all(isinstance(a, str) and "@" in a for a in to):
            errors.append(gettext("%(where)s: a list of e-mail addresses is required") % {"where": f"{where}.to"})
        entry["to"] = to
    if raw.get("enabled", True) is not True:
        entry["enabled"] = False
    secret = raw.get("secret")
    if secret is not None and not isinstance(secret, str):
        errors.append(gettext("%(where)s: a string") % {"where": f"{where}.secret"})
    return {"entry": entry, "secret": secret if isinstance(secret, str) else None}


def validate_alerts(raw: Any, widgets: list[dict], channels: set[str], where: str, errors: list[str]) -> list[dict]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.append(gettext("%(where)s: a list is required") % {"where": where})
        return []
    by_title: dict[str, list[dict]] = {}
    for widget in widgets:
        if widget:
            by_title.setdefault(widget["title"], []).append(widget)
    seen: set[str] = set()
    rules = [_rule(item, f"{where}[{i}]", by_title, channels, seen, errors) for i, item in enumerate(raw)]
    return sorted((r for r in rules if r), key=lambda r: r["name"])


def _seconds(raw: Any, default: int, where: str, errors: list[str]) -> int:
    value = default if raw is None else raw
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 7 * 86400:
        errors.append(gettext("%(where)s: an integer number of seconds from 0 to 604800") % {"where": where})
    return value


def _channel_names(raw: Any, channels: set[str], where: str, errors: list[str]) -> list[str]:
    if not isinstance(raw, list) or not all(isinstance(n, str) for n in raw):
        errors.append(gettext("%(where)s: a list of channel names") % {"where": where})
        return []
    for name in raw:
        if name not in channels:
            errors.append(gettext("%(where)s: unknown channel %(name)s") % {"where": where, "name": repr(name)})
    return sorted(set(raw))


def _rule(raw: Any, where: str, by_title: dict, channels: set[str], seen: set[str], errors: list[str]) -> dict | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str) or not raw["name"].strip():
        errors.append(gettext("%(where)s: a non-empty name is required") % {"where": f"{where}.name"})
        return None
    name = raw["name"].strip()[:120]
    if name in seen:
        errors.append(
            gettext("%(where)s: %(name)s appears twice on this dashboard")
            % {"where": f"{where}.name", "name": repr(name)}
        )
    seen.add(name)
    level, matches = raw.get("level", "critical"), by_title.get(raw.get("widget"), [])
    if level not in Level.values:
        errors.append(gettext("%(where)s: 'warning' or 'critical'") % {"where": f"{where}.level"})
    if len(matches) != 1:
        message = (
            gettext("%(where)s: no widget titled %(title)s")
            if not matches
            else gettext("%(where)s: more than one widget titled %(title)s")
        )
        errors.append(message % {"where": f"{where}.widget", "title": repr(raw.get("widget"))})
    elif (matches[0].get("thresholds") or {}).get(level) is None:
        errors.append(
            gettext("%(where)s: the widget %(title)s has no %(level)s threshold")
            % {"where": f"{where}.level", "title": repr(raw.get("widget")), "level": level}
        )
    entry: dict[str, Any] = {
        "name": name,
        "widget": raw.get("widget"),
        "level": level,
        "after_seconds": _seconds(raw.get("after_seconds"), 60, f"{where}.after_seconds", errors),
        "repeat_seconds": _seconds(raw.get("repeat_seconds"), 600, f"{where}.repeat_seconds", errors),
        "channels": _channel_names(raw.get("channels", []), channels, f"{where}.channels", errors),
        "sound": raw.get("sound", True),
    }
    if not isinstance(entry["sound"], bool):
        errors.append(gettext("%(where)s: true or false") % {"where": f"{where}.sound"})
    escalate = raw.get("escalate")
    if escalate is not None:
        if not isinstance(escalate, dict):
            errors.append(
                gettext("%(where)s: an object with after_minutes and channels") % {"where": f"{where}.escalate"}
            )
        else:
            minutes = escalate.get("after_minutes")
            if isinstance(minutes, bool) or not isinstance(minutes, int) or not 1 <= minutes <= 10080:
                errors.append(
                    gettext("%(where)s: an integer from %(low)s to %(high)s")
                    % {"where": f"{where}.escalate.after_minutes", "low": 1, "high": 10080}
                )
            entry["escalate"] = {
                "after_minutes": minutes,
                "channels": _channel_names(
                    escalate.get("channels", []), channels, f"{where}.escalate.channels", errors
                ),
            }
    if raw.get("enabled", True) is not True:
        entry["enabled"] = False
    return entry


# -- apply (inside the import's transaction) ------------------------------------------


def apply_channels(validated: list[dict], summary: Any) -> None:
    for item in validated:
        entry, secret = item["entry"], item["secret"]
        channel = NotificationChannel.objects.filter(name=entry["name"]).first()
        label = f"channel {entry['name']}"
        url_kept = entry["kind"] == "slack" and "url" not in entry and channel is not None
        shown = {k: v for k, v in entry.items() if not (k == "url" and entry["kind"] == "slack")}
        if (
            channel is not None
            and channel_entry(channel) == shown
            and (secret is None or secret == channel.secret)
            and ("url" not in entry or entry["url"] == channel.url)
        ):
            summary.unchanged.append(label)
            continue
        (summary.updated if channel else summary.created).append(label)
        channel = channel or NotificationChannel(name=entry["name"])
        channel.kind, channel.to = entry["kind"], entry.get("to", [])
        channel.url = channel.url if url_kept else entry.get("url", "")
        channel.enabled = entry.get("enabled", True)
        if secret is not None:
            channel.secret = secret
        if channel.kind == "slack" and not channel.url:
            channel.enabled = False
            summary.warnings.append(f"{label}: no Slack URL in the file; set it in the admin (created disabled)")
        channel.save()


def apply_alerts(dashboard: object, entries: list[dict]) -> None:
    """The dashboard's widgets were just re-created: re-create its rules too."""
    AlertRule.objects.filter(dashboard=dashboard).delete()
    widgets = {w.title: w for w in dashboard.widgets.all()}  # type: ignore[attr-defined]
    channels = {c.name: c for c in NotificationChannel.objects.all()}
    for entry in entries:
        escalate = entry.get("escalate") or {}
        rule = AlertRule.objects.create(
            dashboard=dashboard,
            name=entry["name"],
            widget=widgets[entry["widget"]],
            level=entry["level"],
            after_seconds=entry["after_seconds"],
            repeat_seconds=entry["repeat_seconds"],
            sound=entry["sound"],
            escalate_after_minutes=escalate.get("after_minutes"),
            enabled=entry.get("enabled", True),
        )
        rule.channels.set([channels[n] for n in entry["channels"]])
        rule.escalation_channels.set([channels[n] for n in escalate.get("channels", [])])

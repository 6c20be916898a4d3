"""Dashboards and wallboards as JSON files (format: ../shared/interfaces.md).

Import is all-or-nothing and idempotent: everything is validated first (errors name
their place, e.g. `dashboards[0].widgets[2].statistics[0].objectType`), then applied
in one transaction; a dashboard whose content already equals the file's is left
untouched, so importing the same file twice changes nothing the second time.
The demo content is one of these files (dashboard/boards/demo.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext

from dashboard.alerts import files as alert_files
from dashboard.boards.models import Dashboard, Statistic, Wallboard, WallboardPage, Widget, WidgetStatistic
from dashboard.boards.validation import definition_warnings
from dashboard.connections.files import connection_field, connection_named
from dashboard.connections.models import Connection
from dashboard.history import files as history_files
from dashboard.i18n import files as i18n_files
from dashboard.skills.files import COVERAGE, coverage_entry, coverage_skills, unknown_skill_warnings

WIDGET_TYPES = {k.value for k in Widget.Kind}


class DashboardFileError(Exception):
    def __init__(self, errors: list[str]) -> None:
        super().__init__("; ".join(errors))
        self.errors = errors


@dataclass
class ImportSummary:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def __str__(self) -> str:
        counts = f"{len(self.created)} created, {len(self.updated)} updated, {len(self.unchanged)} unchanged"
        return "\n".join([counts, *(f"warning: {w}" for w in self.warnings)])


# -- export ----------------------------------------------------------------------


def statistic_entry(stat: Statistic) -> dict:
    entry: dict[str, Any] = {"objectType": stat.object_type, "objectId": stat.object_id}
    if stat.definition:
        entry["definition"] = stat.definition
    else:
        entry["name"] = stat.name
    if stat.label:
        entry["label"] = stat.label
    entry["unit"] = stat.unit
    entry.update(connection_field(stat))
    return entry


def dashboard_entry(dashboard: Dashboard) -> dict:
    widgets = []
    for widget in dashboard.widgets.all():
        if widget.kind == COVERAGE:
            widgets.append(coverage_entry(widget))
            continue
        stats = [
            statistic_entry(ws.statistic)
            for ws in WidgetStatistic.objects.filter(widget=widget).select_related("statistic", "statistic__connection")
        ]
        entry = {"type": widget.kind, "title": widget.title, "width": widget.width, "statistics": stats}
        if widget.thresholds():
            entry["thresholds"] = widget.thresholds()
        entry.update(history_files.widget_options(widget))
        widgets.append(entry)
    entry = {
        "slug": dashboard.slug,
        "title": dashboard.title,
        "columns": dashboard.columns,
        "groups": sorted(g.name for g in dashboard.groups.all()),
        "widgets": widgets,
        **i18n_files.zone_option(dashboard),
    }
    alerts = alert_files.alert_entries(dashboard)
    if alerts:
        entry["alerts"] = alerts
    return entry


def wallboard_entry(wallboard: Wallboard) -> dict:
    return {
        "slug": wallboard.slug,
        "title": wallboard.title,
        "dashboards": [d.slug for d in wallboard.pages()],
        "rotate_seconds": wallboard.rotate_seconds,
        "theme": wallboard.theme,
        **i18n_files.wallboard_options(wallboard),
    }


def export_dashboards(slugs: list[str] | None = None) -> dict:
    dashboards = Dashboard.objects.all()
    wallboards = Wallboard.objects.all()
    if slugs:
        dashboards = dashboards.filter(slug__in=slugs)
    exported = [wallboard_entry(w) for w in wallboards]
    if slugs:
        # Only wallboards whose every page is in the file: the file must import anywhere.
        exported = [w for w in exported if w["dashboards"] and set(w["dashboards"]) <= set(slugs)]
    data = {"dashboards": [dashboard_entry(d) for d in dashboards], "wallboards": exported}
    channels = alert_files.export_channels()
    if channels:
        data = {"channels": channels, **data}
    return data


# -- validation -------------------------------------------------------------------
# Problems are said in the active language (the builder's editor, the admin) and start
# with their place, which stays as the file spells it.


def _one_of(where: str, choices: Any) -> str:
    return gettext("%(where)s: one of %(choices)s") % {"where": where, "choices": ", ".join(choices)}


def _integer_from(where: str, low: int, high: int) -> str:
    return gettext("%(where)s: an integer from %(low)s to %(high)s") % {"where": where, "low": low, "high": high}


def _normalise_statistic(raw: Any, where: str, errors: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(gettext("%(where)s: expected an object") % {"where": where})
        return None
    stat = Statistic(
        name=raw.get("name") or "",
        definition=raw.get("definition"),
        object_type=raw.get("objectType") or "",
        object_id=raw.get("objectId") or "",
        label=raw.get("label") or "",
        unit=raw.get("unit") or "count",
        connection=connection_named(raw, where, errors),
    )
    for key, value in (
        ("name", stat.name),
        ("objectType", stat.object_type),
        ("objectId", stat.object_id),
        ("label", stat.label),
    ):
        if not isinstance(value, str):
            errors.append(gettext("%(where)s: expected a string") % {"where": f"{where}.{key}"})
            return None
    if stat.unit not in Statistic.Unit.values:
        errors.append(_one_of(f"{where}.unit", Statistic.Unit.values))
    try:
        stat.clean()
    except ValidationError as error:
        for name, messages in error.message_dict.items():
            key = {"object_type": "objectType", "object_id": "objectId"}.get(name, name)
            errors.extend(f"{where}.{key}: {m}" for m in messages)
        return None
    return statistic_entry(stat)


def _normalise_widget(raw: Any, where: str, errors: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(gettext("%(where)s: expected an object") % {"where": where})
        return None
    kind, title = raw.get("type"), raw.get("title")
    if kind not in WIDGET_TYPES:
        errors.append(_one_of(f"{where}.type", sorted(WIDGET_TYPES)))
    if not isinstance(title, str) or not title:
        errors.append(gettext("%(where)s: a non-empty string is required") % {"where": f"{where}.title"})
    if kind == COVERAGE:
        entry = {
            "type": kind,
            "title": title,
            "width": raw.get("width", 1),
            "skills": coverage_skills(raw, where, errors),
        }
        return _with_common(raw, entry, where, errors)
    raw_stats = raw.get("statistics")
    if not isinstance(raw_stats, list) or not raw_stats:
        errors.append(gettext("%(where)s: a non-empty list is required") % {"where": f"{where}.statistics"})
        raw_stats = []
    stats = [_normalise_statistic(s, f"{where}.statistics[{i}]", errors) for i, s in enumerate(raw_stats)]
    return _with_common(
        raw, {"type": kind, "title": title, "width": raw.get("width", 1), "statistics": stats}, where, errors
    )


def _with_common(raw: dict, entry: dict, where: str, errors: list[str]) -> dict:
    """Width and thresholds, checked the same way for every kind of widget."""
    if not isinstance(entry["width"], int) or not 1 <= entry["width"] <= 12:
        errors.append(_integer_from(f"{where}.width", 1, 12))
    thresholds = raw.get("thresholds")
    if thresholds is not None:
        normalised = _normalise_thresholds(thresholds, f"{where}.thresholds", errors)
        if normalised:
            entry["thresholds"] = normalised
    history_files.normalise_options(raw, entry, where, errors)
    return entry


def _normalise_thresholds(raw: Any, where: str, errors: list[str]) -> dict | None:
    if not isinstance(raw, dict):
        errors.append(gettext("%(where)s: expected an object") % {"where": where})
        return None
    widget = Widget(warning=raw.get("warning"), critical=raw.get("critical"), direction=raw.get("direction", "above"))
    for key in ("warning", "critical"):
        value = raw.get(key)
        if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float))):
            errors.append(gettext("%(where)s: a number") % {"where": f"{where}.{key}"})
            return None
    if widget.direction not in Widget.Direction.values:
        errors.append(gettext("%(where)s: 'above' or 'below'") % {"where": f"{where}.direction"})
        return None
    try:
        widget.clean()
    except ValidationError as error:
        errors.extend(f"{where}: {m}" for m in error.messages)
    return widget.thresholds()


def _slug_and_title(raw: Any, where: str, seen: set[str], errors: list[str]) -> tuple[str, str] | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("slug"), str) or slugify(raw["slug"]) != raw["slug"]:
        errors.append(gettext("%(where)s: a slug (letters, digits, hyphens) is required") % {"where": f"{where}.slug"})
        return None
    if raw["slug"] in seen:
        errors.append(
            gettext("%(where)s: %(slug)s appears twice in the file")
            % {"where": f"{where}.slug", "slug": repr(raw["slug"])}
        )
    seen.add(raw["slug"])
    title = raw.get("title") or raw["slug"]
    if not isinstance(title, str) or len(title) > 120:
        errors.append(gettext("%(where)s: a string of at most 120 characters") % {"where": f"{where}.title"})
    return raw["slug"], str(title)


def _string_list(raw: Any, where: str, errors: list[str]) -> list[str]:
    if raw is None:
        return []
    if not isinstance(raw, list) or not all(isinstance(x, str) and x for x in raw):
        errors.append(gettext("%(where)s: a list of names") % {"where": where})
        return []
    return raw


def _int_in(raw: Any, low: int, high: int, where: str, errors: list[str]) -> int:
    if isinstance(raw, bool) or not isinstance(raw, int) or not low <= raw <= high:
        errors.append(_integer_from(where, low, high))
    return raw


def _validate_dashboard(
    raw: Any, where: str, seen: set[str], errors: list[str], channels: set[str] = frozenset()
) -> dict | None:  # type: ignore[assignment]
    named = _slug_and_title(raw, where, seen, errors)
    if named is None:
        return None
    widgets = [_normalise_widget(w, f"{where}.widgets[{j}]", errors) for j, w in enumerate(raw.get("widgets") or [])]
    entry = {
        "slug": named[0],
        "title": named[1],
        "columns": _int_in(raw.get("columns", 4), 1, 12, f"{where}.columns", errors),
        "groups": sorted(_string_list(raw.get("groups"), f"{where}.groups", errors)),
        "widgets": widgets,
    }
    i18n_files.normalise_zone(raw, entry, where, errors)
    alerts = alert_files.validate_alerts(raw.get("alerts"), widgets, channels, f"{where}.alerts", errors)
    if alerts:
        entry["alerts"] = alerts
    return entry


def _validate_wallboard(raw: Any, where: str, seen: set[str], known: set[str], errors: list[str]) -> dict | None:
    named = _slug_and_title(raw, where, seen, errors)
    if named is None:
        return None
    pages = _string_list(raw.get("dashboards"), f"{where}.dashboards", errors)
    for slug in pages:
        if slug not in known:
            errors.append(
                gettext("%(where)s: unknown dashboard %(slug)s") % {"where": f"{where}.dashboards", "slug": repr(slug)}
            )
    theme = raw.get("theme", "dark")
    if theme not in Wallboard.Theme.values:
        errors.append(_one_of(f"{where}.theme", Wallboard.Theme.values))
    entry = {
        "slug": named[0],
        "title": named[1],
        "dashboards": pages,
        "rotate_seconds": _int_in(raw.get("rotate_seconds", 30), 5, 3600, f"{where}.rotate_seconds", errors),
        "theme": theme,
    }
    i18n_files.normalise_wallboard_options(raw, entry, where, errors)
    return entry


def _validate(data: Any) -> tuple[list[dict], list[dict], list[dict]]:
    errors: list[str] = []
    if not isinstance(data, dict):
        raise DashboardFileError([gettext("the file must be a JSON object with 'dashboards' and 'wallboards'")])
    channels = alert_files.validate_channels(data.get("channels"), errors)
    channel_names = {c["entry"]["name"] for c in channels} | set(
        alert_files.NotificationChannel.objects.values_list("name", flat=True)
    )
    seen: set[str] = set()
    dashboards = [
        _validate_dashboard(raw, f"dashboards[{i}]", seen, errors, channel_names)
        for i, raw in enumerate(data.get("dashboards") or [])
    ]
    known = seen | set(Dashboard.objects.values_list("slug", flat=True))
    seen_wallboards: set[str] = set()
    wallboards = [
        _validate_wallboard(raw, f"wallboards[{i}]", seen_wallboards, known, errors)
        for i, raw in enumerate(data.get("wallboards") or [])
    ]
    if errors:
        raise DashboardFileError(errors)
    return channels, [d for d in dashboards if d], [w for w in wallboards if w]


# -- apply -----------------------------------------------------------------------


def import_dashboards(data: Any) -> ImportSummary:
    channels, dashboards, wallboards = _validate(data)
    summary = ImportSummary(warnings=unknown_skill_warnings(dashboards) + _definition_warnings(dashboards))
    with transaction.atomic():
        alert_files.apply_channels(channels, summary)
        for entry in dashboards:
            _apply_dashboard(entry, summary)
        for entry in wallboards:
            _apply_wallboard(entry, summary)
    return summary


def _definition_warnings(dashboards: list[dict]) -> list[str]:
    """Names in ad-hoc definitions that we do not know: imported, and said (Genesys judges)."""
    return [
        warning
        for i, dashboard in enumerate(dashboards)
        for j, widget in enumerate(dashboard.get("widgets", []))
        for k, stat in enumerate(widget.get("statistics") or [])
        for warning in definition_warnings(
            stat.get("definition"), f"dashboards[{i}].widgets[{j}].statistics[{k}].definition"
        )
    ]


def _apply_dashboard(entry: dict, summary: ImportSummary) -> None:
    from django.contrib.auth.models import Group

    dashboard = Dashboard.objects.filter(slug=entry["slug"]).first()
    label = f"dashboard {entry['slug']}"
    if dashboard is not None and dashboard_entry(dashboard) == entry:
        summary.unchanged.append(label)
        return
    (summary.updated if dashboard else summary.created).append(label)
    dashboard = dashboard or Dashboard(slug=entry["slug"])
    dashboard.title, dashboard.columns = entry["title"], entry["columns"]
    dashboard.time_zone = i18n_files.zone_field(entry)
    dashboard.save()
    dashboard.groups.set([Group.objects.get_or_create(name=name)[0] for name in entry["groups"]])
    dashboard.widgets.all().delete()
    for position, raw in enumerate(entry["widgets"]):
        thresholds = raw.get("thresholds") or {}
        widget = Widget.objects.create(
            dashboard=dashboard,
            kind=raw["type"],
            title=raw["title"],
            width=raw["width"],
            position=position,
            warning=thresholds.get("warning"),
            critical=thresholds.get("critical"),
            direction=thresholds.get("direction", "above"),
            skills=raw.get("skills", []),
            **history_files.widget_fields(raw),
        )
        for index, stat in enumerate(raw.get("statistics", [])):
            WidgetStatistic.objects.create(widget=widget, statistic=_statistic_for(stat), position=index)
    alert_files.apply_alerts(dashboard, entry.get("alerts", []))


def _statistic_for(entry: dict) -> Statistic:
    connection = Connection.objects.get(name=entry["connection"]) if "connection" in entry else None
    found = Statistic.objects.filter(
        connection=connection,
        object_type=entry["objectType"],
        object_id=entry["objectId"],
        name=entry.get("name") or "",
        label=entry.get("label", ""),
        unit=entry["unit"],
    )
    for stat in found:
        if (stat.definition or None) == (entry.get("definition") or None):
            return stat
    return Statistic.objects.create(
        connection=connection,
        object_type=entry["objectType"],
        object_id=entry["objectId"],
        name=entry.get("name") or "",
        definition=entry.get("definition"),
        label=entry.get("label", ""),
        unit=entry["unit"],
    )


def _apply_wallboard(entry: dict, summary: ImportSummary) -> None:
    wallboard = Wallboard.objects.filter(slug=entry["slug"]).first()
    label = f"wallboard {entry['slug']}"
    if wallboard is not None and wallboard_entry(wallboard) == entry:
        summary.unchanged.append(label)
        return
    (summary.updated if wallboard else summary.created).append(label)
    wallboard = wallboard or Wallboard(slug=entry["slug"])
    wallboard.title, wallboard.rotate_seconds, wallboard.theme = (
        entry["title"],
        entry["rotate_seconds"],
        entry["theme"],
    )
    wallboard.time_zone, wallboard.language = i18n_files.zone_field(entry), entry.get("language", "")
    wallboard.save()
    WallboardPage.objects.filter(wallboard=wallboard).delete()
    for position, slug in enumerate(entry["dashboards"]):
        WallboardPage.objects.create(wallboard=wallboard, dashboard=Dashboard.objects.get(slug=slug), position=position)

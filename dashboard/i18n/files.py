"""Time zone and language in dashboard files (dashboard/boards/files.py calls these, one
line each). Omitted when default, so files written before them stay byte-for-byte the
same: a dashboard or wallboard may carry `"timeZone"` (an IANA name; absent: the
server's TIME_ZONE), a wallboard `"language"` (a code of settings.LANGUAGES; absent:
the site's default). The dashboard half duplicates history-compare's
dashboard/history/files.py (which always writes `timeZone`): keep one when merging.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dashboard.boards.time_zones import default_time_zone, is_time_zone
from dashboard.i18n.languages import language_codes


def zone_option(row: Any) -> dict:
    zone = getattr(row, "time_zone", "") or default_time_zone()
    return {} if zone == default_time_zone() else {"timeZone": zone}


def wallboard_options(wallboard: Any) -> dict:
    options = zone_option(wallboard)
    if wallboard.language:
        options["language"] = wallboard.language
    return options


def normalise_zone(raw: dict, entry: dict, where: str, errors: list[str]) -> None:
    """Copy a valid `timeZone` into `entry` (only when not the default: export's shape)."""
    zone = raw.get("timeZone")
    if zone is None or zone == default_time_zone():
        return
    if not is_time_zone(zone):
        errors.append(gettext("%(where)s: an IANA time zone name, e.g. Europe/Berlin") % {"where": f"{where}.timeZone"})
        return
    entry["timeZone"] = zone


def normalise_wallboard_options(raw: dict, entry: dict, where: str, errors: list[str]) -> None:
    normalise_zone(raw, entry, where, errors)
    language = raw.get("language")
    if language in (None, ""):
        return
    if language not in language_codes():
        errors.append(
            gettext("%(where)s: one of %(choices)s")
            % {"where": f"{where}.language", "choices": ", ".join(language_codes())}
        )
        return
    entry["language"] = language


def zone_field(entry: dict) -> str:
    return entry.get("timeZone") or default_time_zone()

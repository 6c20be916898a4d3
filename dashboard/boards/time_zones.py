"""A dashboard's time zone: a plain IANA name (e.g. Europe/Berlin), checked against zoneinfo.

The default is the server's `TIME_ZONE` setting, read when a dashboard is made (a callable
default, so the migration does not freeze one machine's setting).
"""

from __future__ import annotations

from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext


def default_time_zone() -> str:
    return str(settings.TIME_ZONE or "UTC")


def is_time_zone(name: object) -> bool:
    """True for a name zoneinfo knows; paths and empty strings are refused."""
    if not isinstance(name, str) or not name or len(name) > 64 or name.startswith("/") or ".." in name:
        return False
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return False
    return True


def validate_time_zone(name: str) -> None:
    if not is_time_zone(name):
        raise ValidationError(
            gettext("%(name)s is not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)")
            % {"name": repr(name)}
        )


def zone_of(name: str | None) -> ZoneInfo:
    """The zone for a stored name; an unknown one (a row edited by hand) falls back to the default."""
    return ZoneInfo(name if name and is_time_zone(name) else default_time_zone())

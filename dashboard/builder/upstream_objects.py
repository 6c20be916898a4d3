"""The objects the upstream's configuration has, for the picker's object browser:
one Provisioning API listing per object type (statsbridge/provisioning.py), cached.

Configuration changes rarely (an agent hired, a queue added), so a listing is kept for
LISTING_SECONDS and every search in between reads the cache; "Refresh" in the picker
asks again. A failure is kept for FAILURE_SECONDS only, so a picker typing into its
search box does not call a broken upstream once per key, and is shown as the upstream
said it (the picker still offers configured and skills-data objects meanwhile).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime

from asgiref.sync import async_to_sync
from django.core.cache import cache
from django.utils.translation import gettext

from dashboard.connections.configs import config_of
from dashboard.connections.models import DEFAULT_CONNECTION, Connection
from statsbridge.exceptions import StatsBridgeError
from statsbridge.provisioning import list_objects, listable

log = logging.getLogger(__name__)
LISTING_SECONDS = 600
FAILURE_SECONDS = 30
CACHE_KEY = "builder:upstream-objects:v2:{}:{}"


@dataclass
class UpstreamObjects:
    objects: list[dict] = field(default_factory=list)
    error: str | None = None
    fetched_at: str | None = None
    truncated: bool = False
    listed: bool = True  # False: the upstream has no listing for this object type

    def as_dict(self) -> dict:
        return {
            "listed": self.listed,
            "error": self.error,
            "fetchedAt": self.fetched_at,
            "truncated": self.truncated,
            "count": len(self.objects),
        }


def upstream_objects(object_type: str, refresh: bool = False, connection: str = DEFAULT_CONNECTION) -> UpstreamObjects:
    """One connection's objects of one Stat Server type, from the cache when fresh."""
    if not listable(object_type):
        return UpstreamObjects(listed=False)
    key = CACHE_KEY.format(connection, object_type)
    cached = None if refresh else cache.get(key)
    if isinstance(cached, UpstreamObjects):
        return cached
    found = _fetch(object_type, connection)
    cache.set(key, found, FAILURE_SECONDS if found.error else LISTING_SECONDS)
    return found


def _fetch(object_type: str, connection: str) -> UpstreamObjects:
    now = datetime.now(UTC).isoformat(timespec="seconds")
    try:
        listing = async_to_sync(list_objects)(config_of(connection), object_type)
    except Connection.DoesNotExist:
        return UpstreamObjects(
            error=gettext("no connection named %(name)s") % {"name": repr(connection)}, fetched_at=now
        )
    except StatsBridgeError as error:  # messages carry no secrets (statsbridge/exceptions.py)
        log.info("listing %s objects from the Provisioning API failed: %s", object_type, error)
        return UpstreamObjects(error=str(error), fetched_at=now)
    return UpstreamObjects(listing.objects, fetched_at=now, truncated=listing.truncated)


def matching(found: UpstreamObjects, query: str) -> list[dict]:
    """The cached objects whose id or name contains `query` (any case), marked as upstream's."""
    needle = query.strip().lower()
    return [
        {**obj, "source": "upstream"}
        for obj in found.objects
        if not needle or needle in obj["objectId"].lower() or needle in obj["name"].lower()
    ]

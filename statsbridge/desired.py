"""What the dashboards want opened upstream: statistics, de-duplicated, and which
dashboards each one feeds.

A statistic's key is a hash of its descriptor (name or definition, object type and
id), so the same statistic on five dashboards is one key and one upstream
statistic. The key is also the `statisticId` sent upstream and the STAT `id`.

`history` names the keys some widget draws over time: only those keep a history in
the bridge (statsbridge/store.py), about 6 KB per statistic when full (a ring of
typed arrays, statsbridge/points.py; docs/performance.md "History").

Memory (issue 20: 20,000 statistics, rebuilt on every configuration change): keys and
descriptor strings are interned, so a rebuild shares them with the previous set, the
reconciler and the store, and the many statistics of one object share its id; `routes`
values are shared frozensets (most statistics feed one dashboard: one set for all of
them, not a 216-byte set each). Together 13 -> 4.3 MiB per set (20,000 statistics, 2,857 agents).
"""

from __future__ import annotations

import hashlib
import sys
from dataclasses import dataclass, field

import orjson


def _shared(text: object) -> object:
    """One object for equal strings (each database row brings its own copies)."""
    return sys.intern(text) if type(text) is str else text


def descriptor_of(*, object_type: str, object_id: str, name: str | None = None, definition: dict | None = None) -> dict:
    descriptor: dict = {"objectType": _shared(object_type), "objectId": _shared(object_id)}
    if definition:
        descriptor["definition"] = definition
    else:
        descriptor["name"] = _shared(name)
    return descriptor


def statistic_key(descriptor: dict, connection: str = "default") -> str:
    """The statistic's id on pages and in the store. Two connections may serve the same
    descriptor (two tenants, one queue name): a connection other than `default` salts
    the key, so `default`'s keys stay what they were before connections existed."""
    salted = descriptor if connection == "default" else {**descriptor, "connection": connection}
    canonical = orjson.dumps(salted, option=orjson.OPT_SORT_KEYS)
    return sys.intern("st-" + hashlib.sha1(canonical).hexdigest()[:16])


@dataclass
class DesiredSet:
    statistics: dict[str, dict] = field(default_factory=dict)  # key -> descriptor
    routes: dict[str, frozenset[str]] = field(default_factory=dict)  # key -> dashboard slugs (shared sets)
    history: set[str] = field(default_factory=set)  # keys drawn over time somewhere
    _route_sets: dict[frozenset[str], frozenset[str]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def add(self, dashboard: str, descriptor: dict, history: bool = False, connection: str = "default") -> str:
        key = statistic_key(descriptor, connection)
        self.statistics[key] = descriptor
        slugs = self.routes.get(key)
        if slugs is None or dashboard not in slugs:
            wanted = frozenset((dashboard,)) if slugs is None else slugs | {dashboard}
            self.routes[key] = self._route_sets.setdefault(wanted, wanted)
        if history:
            self.history.add(key)
        return key

    def keys_for(self, dashboard: str) -> list[str]:
        return sorted(k for k, slugs in self.routes.items() if dashboard in slugs)

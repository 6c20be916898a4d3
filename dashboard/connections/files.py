"""Connections in dashboard files: a statistic of a connection other than `default`
carries `"connection": "<name>"`; `default`'s carry nothing, so files written before
connections existed (and every file of a single-upstream deployment) are unchanged.
A name the importing deployment does not know is an error naming its place; the
connection's settings and secrets never travel in a file."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from dashboard.connections.models import DEFAULT_CONNECTION, Connection


def connection_field(stat: Any) -> dict[str, str]:
    """What a statistic entry adds for its connection ({} for `default`)."""
    if not stat.connection_id:
        return {}
    return {"connection": stat.connection.name}


def connection_named(raw: dict, where: str, errors: list[str]) -> Connection | None:
    """The Connection a statistic entry names (None: `default`); an error when unknown."""
    name = raw.get("connection")
    if name is None or name == DEFAULT_CONNECTION:
        return None
    if not isinstance(name, str) or not name:
        errors.append(gettext("%(where)s: a connection name (a string)") % {"where": f"{where}.connection"})
        return None
    row = Connection.objects.filter(name=name).first()
    if row is None:
        known = ", ".join([DEFAULT_CONNECTION, *Connection.objects.values_list("name", flat=True)])
        errors.append(
            gettext(
                "%(where)s: unknown connection %(name)s (this deployment has: %(known)s); "
                "add it in the admin under Connections first"
            )
            % {"where": f"{where}.connection", "name": repr(name), "known": known}
        )
    return row

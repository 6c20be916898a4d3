"""What the supervisor features add to each statistic of a page's config:
`nameLabel` (the catalogue's label of its name, for a table's column header) and, for a
service level, `offered` (the key of the calls-offered count that says "no calls")."""

from __future__ import annotations

from dashboard.boards.statistic_labels import name_label
from dashboard.supervisor.no_calls import is_service_level, offered_key


def supervisor_fields(name: str | None, definition: dict | None, object_type: str, object_id: str) -> dict:
    fields: dict = {"nameLabel": name_label(name, definition)}
    if is_service_level(name, definition):
        fields["offered"] = offered_key(object_type, object_id)
    return fields

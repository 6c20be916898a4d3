"""The one place the builder reads the ad-hoc definition grammar from
(statsbridge/definitions.py: the fields, their types, the names known for each).
Nothing is copied: the picker offers what validation reads, and warns as it warns."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy

from statsbridge import definitions

# The order an admin fills them in, with a line of help each; the types and choices
# come from the grammar.
_HELP: dict[str, Any] = {  # lazy: read in the editor's language
    "category": gettext_lazy("What to compute"),
    "subject": gettext_lazy("What it is computed from"),
    "mainMask": gettext_lazy("Statuses or actions counted, comma-separated (* for all)"),
    "relMask": gettext_lazy("Relative mask, for ratios"),
    "intervalType": gettext_lazy("How the time window grows or slides"),
    "intervalLength": gettext_lazy("Seconds of a sliding window"),
    "notificationMode": gettext_lazy("When the upstream sends values"),
    "notificationFrequency": gettext_lazy("Seconds between values"),
    "insensitivity": gettext_lazy("Smallest change worth a notification"),
    "maskType": gettext_lazy("What the masks apply to"),
}
_MASKS = ("mainMask", "relMask")


def _field(name: str) -> dict[str, Any]:
    kind = definitions.FIELDS[name]
    choices = definitions.KNOWN_NAMES.get(name, ())
    if name in _MASKS:
        choices, shown = sorted(definitions.MASK_NAMES), "mask"
    else:
        shown = "choice" if choices else kind.kind
    return {
        "name": name,
        "kind": shown,
        "type": kind.kind,
        "minimum": kind.minimum,
        "choices": [str(c) for c in (sorted(choices) if isinstance(choices, frozenset) else choices)],
        "help": str(_HELP.get(name, "")),
        "documented": name in definitions.DOCUMENTED_FIELDS,
    }


def definition_fields() -> list[dict[str, Any]]:
    """[{"name", "kind" (choice, mask, integer, number, string), "type", "minimum",
    "choices", "help", "documented"}]: the helped fields first, then the rest."""
    names = [n for n in _HELP if n in definitions.FIELDS] + [n for n in definitions.FIELDS if n not in _HELP]
    return [_field(name) for name in names]


def known_field_names() -> list[str]:
    return sorted(definitions.FIELDS)

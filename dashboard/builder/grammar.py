"""The one place the builder reads the ad-hoc definition grammar (fields, types,
choices) from. Today that is the module dashboard/validation.py validates with; once
statsbridge/definitions.py exists, the integrator points `_grammar_module` at it.
Nothing is copied: the picker offers exactly what validation accepts."""
from __future__ import annotations

import importlib
import inspect
from types import ModuleType
from typing import Any

# Field -> (kind, the table of choices in the grammar module, help).
_FIELDS: dict[str, tuple[str, str | None, str]] = {
    "category": ("choice", "CATEGORIES", "What to compute"),
    "subject": ("choice", "SUBJECTS", "What it is computed from"),
    "mainMask": ("mask", "MASK_NAMES", "Statuses or actions counted, comma-separated (* for all)"),
    "relMask": ("mask", "MASK_NAMES", "Relative mask, for ratios"),
    "intervalType": ("choice", "INTERVAL_TYPES", "How the time window grows or slides"),
    "intervalLength": ("integer", None, "Seconds (required with SlidingWindow)"),
    "notificationMode": ("choice", "NOTIFICATION_MODES", "When the upstream sends values"),
    "notificationFrequency": ("integer", None, "Seconds between values (1 to 3600)"),
    "insensitivity": ("number", None, "Smallest change worth a notification"),
}


def _grammar_module() -> ModuleType:
    try:
        return importlib.import_module("statsbridge.definitions")
    except ModuleNotFoundError:
        from dashboard import validation

        return inspect.getmodule(validation.parse_definition)  # type: ignore[return-value]


def definition_fields() -> list[dict[str, Any]]:
    """[{"name", "kind", "choices", "help", "known"}] in the order an admin fills them;
    `known` is every field name the grammar accepts (for the JSON view's warnings)."""
    grammar = _grammar_module()
    known = sorted(getattr(grammar, "FIELDS", {}) or _FIELDS)
    fields = []
    for name, (kind, table, help_text) in _FIELDS.items():
        if known and name not in known:
            continue
        choices = sorted(getattr(grammar, table, ())) if table else []
        if table == "CATEGORIES":
            choices = list(getattr(grammar, table, ()))
        fields.append({"name": name, "kind": kind, "choices": [str(c) for c in choices], "help": help_text})
    return fields


def known_field_names() -> list[str]:
    return sorted(getattr(_grammar_module(), "FIELDS", {}) or _FIELDS)

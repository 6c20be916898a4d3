"""Reading typed fields out of decoded JSON, naming the field when one is wrong.

A bad field raises `Invalid("skills[3].level: expected a number, got 'high'")`; the
client adds which call it was and re-raises it as a SkillSourceProtocolError. Paths
are built as the reader descends, so the message points at the exact item.
"""

from __future__ import annotations

import re
from typing import Any

_INTEGER = re.compile(r"^\s*-?\d+\s*$")
MAX_SHOWN = 40  # characters of an offending value quoted in a message


class Invalid(Exception):
    pass


def at(path: str, key: str | int) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _got(value: Any) -> str:
    shown = repr(value)
    return shown if len(shown) <= MAX_SHOWN else shown[:MAX_SHOWN] + "..."


def mapping(value: Any, path: str) -> dict:
    if not isinstance(value, dict):
        raise Invalid(f"{path or 'reply'}: expected an object, got {_got(value)}")
    return value


def items(obj: dict, key: str, path: str = "", *, required: bool = True) -> list[tuple[str, Any]]:
    """The list under `key` as (item path, item) pairs; absent is [] unless required."""
    where = at(path, key)
    value = obj.get(key)
    if value is None:
        if required:
            raise Invalid(f"{where}: missing")
        return []
    if not isinstance(value, list):
        raise Invalid(f"{where}: expected a list, got {_got(value)}")
    return [(at(where, i), item) for i, item in enumerate(value)]


def text(obj: dict, key: str, path: str = "") -> str:
    """A required, non-empty string."""
    value = obj.get(key)
    if value is None:
        raise Invalid(f"{at(path, key)}: missing")
    if not isinstance(value, str) or not value:
        raise Invalid(f"{at(path, key)}: expected a non-empty string, got {_got(value)}")
    return value


def optional_text(obj: dict, key: str, path: str = "") -> str | None:
    value = obj.get(key)
    if value is not None and not isinstance(value, str):
        raise Invalid(f"{at(path, key)}: expected a string, got {_got(value)}")
    return value


def number(obj: dict, key: str, path: str = "") -> int:
    """A required whole number, given as one or as a string of digits ("7")."""
    value = obj.get(key)
    if value is None:
        raise Invalid(f"{at(path, key)}: missing")
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and _INTEGER.match(value):
        return int(value)
    raise Invalid(f"{at(path, key)}: expected a number, got {_got(value)}")


def optional_int(obj: dict, key: str, path: str = "") -> int | None:
    if obj.get(key) is None:
        return None
    return number(obj, key, path)


def flag(obj: dict, key: str, path: str = "") -> bool:
    value = obj.get(key)
    if not isinstance(value, bool):
        raise Invalid(f"{at(path, key)}: expected true or false, got {_got(value)}")
    return value


def texts(obj: dict, key: str, path: str = "") -> tuple[str, ...]:
    """An optional list of strings (absent is empty)."""
    out = []
    for where, item in items(obj, key, path, required=False):
        if not isinstance(item, str):
            raise Invalid(f"{where}: expected a string, got {_got(item)}")
        out.append(item)
    return tuple(out)

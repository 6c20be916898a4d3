"""Checking, at start-up, the private names we reach into in pinned dependencies.

Two modules go past public APIs on purpose, for speed or for control the libraries do not
offer: dashboard/realtime/transport.py (Twisted's TCP buffers, daphne's protocol) and
statsbridge/cometd_transport.py (aiocometd-ng's transport and client). The versions are
locked (requirements.txt), but a name that disappears in an upgrade would not raise: an
override nobody calls, or a `getattr` default, quietly turns the feature off (slow readers
never detected). So each module lists what it reaches (`Reach`), and start-up calls
`require()`, which raises naming every name the installed versions lack.

Plain Python (no Django), as the protocol code it serves.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


class PrivateNameMissing(RuntimeError):
    """An installed dependency lacks a name we rely on: the lock was bypassed or changed."""


@dataclass(frozen=True)
class Reach:
    """Names we use on one class (`"package.module:Class"`). A name may carry the
    parameters we call or override it with: `"_follow_advice(reconnect_advice, reconnect_timeout)"`.
    Attributes set in `__init__` are looked for on an instance made by `sample`."""

    target: str
    names: tuple[str, ...]
    sample: Callable[[type], object] | None = field(default=None, compare=False)


def resolve(target: str) -> type:
    module, _, qualname = target.partition(":")
    value: object = importlib.import_module(module)
    for part in qualname.split("."):
        value = getattr(value, part)
    return value  # type: ignore[return-value]


def missing(reaches: Iterable[Reach]) -> list[str]:
    """`Class.name` (or `Class.name(param)`) for everything the installed versions lack."""
    absent: list[str] = []
    for reach in reaches:
        try:
            cls = resolve(reach.target)
            holder = reach.sample(cls) if reach.sample else cls
        except (ImportError, AttributeError) as error:
            absent.append(f"{reach.target} ({error})")
            continue
        absent.extend(f"{reach.target}.{name}" for name in _lacking(holder, reach.names))
    return absent


def _lacking(holder: object, names: tuple[str, ...]) -> list[str]:
    lacking = []
    for spec in names:
        name, _, params = spec.partition("(")
        if not hasattr(holder, name):
            lacking.append(spec)
            continue
        wanted = [p.strip() for p in params.rstrip(")").split(",") if p.strip()]
        if wanted:
            try:
                have = inspect.signature(getattr(holder, name)).parameters
            except (TypeError, ValueError):
                have = {}
            lacking.extend(f"{name}({p})" for p in wanted if p not in have)
    return lacking


def require(reaches: Iterable[Reach], who: str) -> None:
    """Raise `PrivateNameMissing` naming each missing name; silent when all are there."""
    absent = missing(reaches)
    if absent:
        raise PrivateNameMissing(
            f"{who} relies on names the installed packages lack: {', '.join(absent)}. "
            "Install the locked versions (make setup: requirements.txt), or adapt the code."
        )

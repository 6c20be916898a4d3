"""The ad-hoc definition grammar's problems (statsbridge/definitions.py) in the reader's
language. The grammar imports nothing from Django, so it hands over a code and its
values; the words are here, looked up when shown (the active language). A code this
table does not know (a newer grammar) reads as the grammar's English."""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext


class Coded(Protocol):
    problem: str
    code: str
    params: dict[str, str]


def _texts() -> dict[str, str]:
    """Code (`/close`: with a near known name) -> text. The English is the grammar's own."""
    return {
        "required": gettext("required"),
        "expected-string": gettext("expected a string, got %(got)s"),
        "expected-integer": gettext("expected an integer, got %(got)s"),
        "expected-number": gettext("expected a number, got %(got)s"),
        "expected-object": gettext("expected an object, got %(got)s"),
        "minimum": gettext("must be %(minimum)s or more, got %(value)s"),
        "field": gettext("unknown field (expected one of %(options)s); sent to Genesys as given"),
        "field/close": gettext("unknown field (did you mean '%(close)s'?); sent to Genesys as given"),
        "sliding-window-length": gettext("usually given with intervalType SlidingWindow"),
        "empty-mask": gettext("empty mask (give action names, or * for all)"),
        "unknown-action": gettext("action '%(action)s' is not one we know; Genesys will say whether it exists"),
        "unknown-action/close": gettext(
            "action '%(action)s' is not one we know (did you mean '%(close)s'?); Genesys will say whether it exists"
        ),
        "unknown-name": gettext("%(key)s '%(value)s' is not one we know; Genesys will say whether it exists"),
        "unknown-name/close": gettext(
            "%(key)s '%(value)s' is not one we know (did you mean '%(close)s'?); Genesys will say whether it exists"
        ),
    }


def problem_text(found: Coded) -> str:
    """A Finding's or an InvalidDefinition's problem, in the active language."""
    text = _texts().get(f"{found.code}/close" if "close" in found.params else found.code)
    return text % found.params if text else found.problem

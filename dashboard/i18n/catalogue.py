"""The JavaScript catalogue a page embeds (#i18n-catalogue, JSON): our own
locale/<code>/LC_MESSAGES/djangojs.mo for the active language. Embedded rather than a
script URL so a kiosk gets its wallboard's language, not its browser's; only our own
strings (Django admin's JavaScript catalogue is not needed on these pages)."""

from __future__ import annotations

import gettext as gettext_module
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

from dashboard.i18n.languages import language_codes


def locale_dir() -> Path:
    return Path(settings.LOCALE_PATHS[0])


@lru_cache(maxsize=16)
def js_catalogue(language: str) -> dict[str, str | list[str]]:
    """msgid -> translation; a plural entry: singular msgid -> [its forms] (static/js/i18n.js ngettext)."""
    found = gettext_module.translation("djangojs", localedir=locale_dir(), languages=[language], fallback=True)
    catalog = getattr(found, "_catalog", {})
    entries: dict[str, str | list[str]] = {
        k: v for k, v in catalog.items() if isinstance(k, str) and k and v and k != v
    }
    plurals: dict[str, dict[int, str]] = {}
    for key, text in catalog.items():
        if isinstance(key, tuple):
            plurals.setdefault(key[0], {})[key[1]] = text
    for msgid, forms in plurals.items():
        entries[msgid] = [forms[i] for i in sorted(forms)]
    return entries


def i18n_context(request: HttpRequest) -> dict:
    """Template context: the JavaScript catalogue and the language menu's choices."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    names = dict(settings.LANGUAGES)
    return {
        "js_catalogue": js_catalogue(language.split("-")[0]),
        "language_menu": [(code, names[code]) for code in language_codes()],
    }

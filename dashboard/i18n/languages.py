"""The interface's languages: settings.LANGUAGES is the one list (add one there and in
locale/<code>/; README "Languages"). Choices read from it at call time."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import get_supported_language_variant


def language_codes() -> list[str]:
    return [code for code, _ in settings.LANGUAGES]


def supported(code: str | None) -> str | None:
    """The supported variant of `code` (de-at -> de), or None when we do not have it."""
    if not code:
        return None
    try:
        return get_supported_language_variant(code)
    except LookupError:
        return None


def wallboard_language(wallboard: object) -> str:
    """A wallboard's chosen language, else the site's default (never the kiosk browser's)."""
    return supported(getattr(wallboard, "language", "")) or supported(settings.LANGUAGE_CODE) or "en"

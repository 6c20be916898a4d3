"""Activates a signed-in user's chosen language (after LocaleMiddleware, which reads
the language cookie and Accept-Language). Wallboards choose their own (views.py)."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

from dashboard.i18n.languages import supported


def preferred_language(user: object) -> str | None:
    if not getattr(user, "is_authenticated", False):
        return None
    from dashboard.i18n.models import LanguagePreference

    row = LanguagePreference.objects.filter(user_id=user.pk).values_list("language", flat=True).first()  # type: ignore[attr-defined]
    return supported(row)


class UserLanguageMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = preferred_language(getattr(request, "user", None))
        if language:
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)

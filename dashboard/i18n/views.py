"""The language menu's target: remembers a signed-in user's choice on their row, then
lets Django's set_language set the cookie and redirect back (to a safe `next` only)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from dashboard.i18n.languages import supported
from dashboard.i18n.models import LanguagePreference


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    language = supported(request.POST.get("language"))
    if language and request.user.is_authenticated:
        LanguagePreference.objects.update_or_create(user=request.user, defaults={"language": language})
    return django_set_language(request)

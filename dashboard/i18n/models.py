"""A user's chosen interface language (the language menu, or the admin). No row: the
browser's Accept-Language or the language cookie decides (LocaleMiddleware)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy


class LanguagePreference(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_preference")
    language = models.CharField(
        max_length=10,
        choices=[("en", "English"), ("de", "Deutsch")],
        help_text=gettext_lazy("The interface language of this user's pages"),
    )

    def __str__(self) -> str:
        return f"{self.user}: {self.language}"

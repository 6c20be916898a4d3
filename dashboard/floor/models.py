"""Messages to the floor: a supervisor's short note shown on chosen wallboards.

A message is plain text (never markup: pages set it with `textContent`), shown as a
banner or a ticker, `info` or `urgent`, until `until` or until someone withdraws it.
Rows are kept after expiry and withdrawal: the admin lists who posted what.
The frames that carry it are in statsbridge/messages.py (`floor_message`); the service
that sends them in dashboard/floor/service.py.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from dashboard.boards.models import Wallboard

MAX_TEXT = 280  # a wallboard line read from across the room, not a letter


class FloorMessage(models.Model):
    class Level(models.TextChoices):
        INFO = "info", _("info")
        URGENT = "urgent", _("urgent")

    class Style(models.TextChoices):
        BANNER = "banner", _("banner")
        TICKER = "ticker", _("ticker")

    text = models.CharField(max_length=MAX_TEXT, help_text=_("Plain text, one line"), verbose_name=_("text"))
    level = models.CharField(max_length=6, choices=Level.choices, default=Level.INFO, verbose_name=_("level"))
    style = models.CharField(max_length=6, choices=Style.choices, default=Style.BANNER, verbose_name=_("style"))
    until = models.DateTimeField(help_text=_("Shown until then (or until withdrawn)"), verbose_name=_("until"))
    wallboards = models.ManyToManyField(Wallboard, related_name="floor_messages", verbose_name=_("wallboards"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("author")
    )
    author_name = models.CharField(
        max_length=150, blank=True, help_text=_("Kept if the user is deleted"), verbose_name=_("author name")
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=_("created"))
    withdrawn_at = models.DateTimeField(null=True, blank=True, verbose_name=_("withdrawn at"))
    withdrawn_by = models.CharField(max_length=150, blank=True, verbose_name=_("withdrawn by"))

    class Meta:
        verbose_name_plural = _("floor messages")
        ordering = ["-created"]
        verbose_name = _("floor message")

    def __str__(self) -> str:
        return f"{self.author_name or 'someone'}: {self.text[:40]}"

    def is_active(self, now: object = None) -> bool:
        return self.withdrawn_at is None and self.until > (now or timezone.now())

    def withdraw(self, by: str) -> bool:
        """False when it was no longer showing (withdrawn already, or expired)."""
        if not self.is_active():
            return False
        self.withdrawn_at, self.withdrawn_by = timezone.now(), by[:150]
        self.save(update_fields=["withdrawn_at", "withdrawn_by"])
        return True


def active_messages() -> models.QuerySet[FloorMessage]:
    return FloorMessage.objects.filter(withdrawn_at__isnull=True, until__gt=timezone.now())

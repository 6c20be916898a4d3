"""Access's models: kiosk tokens for wallboards, and the admin's upstream
authorization (the refresh token of "Connect to Genesys")."""

from __future__ import annotations

import secrets

from django.db import models
from django.utils.translation import gettext_lazy

from dashboard.access.crypto_fields import EncryptedTextField
from dashboard.boards.models import Wallboard
from dashboard.connections.models import Connection


def _token_id() -> str:
    return secrets.token_urlsafe(12)


class WallboardToken(models.Model):
    """A read-only, revocable credential for one wallboard's kiosk URL. The URL carries
    a signed value naming this row; revoking the row kills the URL."""

    wallboard = models.ForeignKey(
        Wallboard, related_name="tokens", on_delete=models.CASCADE, verbose_name=gettext_lazy("wallboard")
    )
    token_id = models.CharField(
        max_length=32, unique=True, default=_token_id, editable=False, verbose_name=gettext_lazy("token id")
    )
    label = models.CharField(
        max_length=120,
        blank=True,
        help_text=gettext_lazy("e.g. 'TV by the sales floor'"),
        verbose_name=gettext_lazy("label"),
    )
    created = models.DateTimeField(auto_now_add=True, verbose_name=gettext_lazy("created"))
    last_seen = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("last seen"))
    revoked = models.DateTimeField(null=True, blank=True, verbose_name=gettext_lazy("revoked"))

    class Meta:
        verbose_name = gettext_lazy("wallboard token")
        verbose_name_plural = gettext_lazy("wallboard tokens")

    def __str__(self) -> str:
        return f"{self.wallboard.slug} · {self.label or self.token_id[:6]}"


class UpstreamAuthorization(models.Model):
    """The refresh token an admin obtained with "Connect to Genesys" (authorization-code
    flow), used by the bridge when no service account is configured. One row at most per
    connection (no connection: `default`). The token is never shown back, logged or exported."""

    connection = models.OneToOneField(
        Connection, null=True, blank=True, on_delete=models.CASCADE, related_name="authorization"
    )
    refresh_token = EncryptedTextField()  # encrypted at rest (dashboard/access/crypto_fields.py)
    connected_by = models.CharField(max_length=150)
    connected_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = gettext_lazy("Genesys authorizations")
        verbose_name = gettext_lazy("Genesys authorization")

    def __str__(self) -> str:
        return f"connected by {self.connected_by}"

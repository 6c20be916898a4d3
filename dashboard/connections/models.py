"""A Genesys upstream as data: URLs, API key, OAuth client and service account.

Secrets (API key, client secret, password) are encrypted at rest like the other upstream
secrets (dashboard/access/crypto_fields.py) and never shown back. The connection named
`default` is not a row: it is the GENESYS_* environment variables, so a deployment
without rows behaves exactly as before; a row may not take that name.
"""

from __future__ import annotations

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext, gettext_lazy

from dashboard.access.crypto_fields import EncryptedTextField

DEFAULT_CONNECTION = "default"


class Connection(models.Model):
    name = models.SlugField(
        unique=True,
        help_text=gettext_lazy("Short name used in dashboard files and `check_genesys --connection`, e.g. brand-b"),
        verbose_name=gettext_lazy("name"),
    )
    enabled = models.BooleanField(
        default=True,
        help_text=gettext_lazy("A disabled connection is not read by any bridge"),
        verbose_name=gettext_lazy("enabled"),
    )
    base_url = models.URLField(
        max_length=300,
        help_text=gettext_lazy("e.g. https://gapi-use1.genesyscloud.com"),
        verbose_name=gettext_lazy("base url"),
    )
    auth_base_url = models.URLField(
        max_length=300,
        blank=True,
        help_text=gettext_lazy("Where sign-in lives, when not on the base URL (optional)"),
        verbose_name=gettext_lazy("auth base url"),
    )
    api_key = EncryptedTextField(help_text=gettext_lazy("Sent as x-api-key"), verbose_name=gettext_lazy("api key"))
    client_id = models.CharField(
        max_length=200, help_text=gettext_lazy("OAuth client"), verbose_name=gettext_lazy("client id")
    )
    client_secret = EncryptedTextField(verbose_name=gettext_lazy("client secret"))
    username = models.CharField(
        max_length=200,
        blank=True,
        help_text=gettext_lazy(
            "Service account for the password grant; empty: an admin connects with the authorization code"
        ),
        verbose_name=gettext_lazy("username"),
    )
    password = EncryptedTextField(blank=True, verbose_name=gettext_lazy("password"))
    groups = models.ManyToManyField(
        Group,
        blank=True,
        related_name="connections",
        help_text=gettext_lazy("Who may see dashboards carrying this connection's statistics (empty: everyone)"),
        verbose_name=gettext_lazy("groups"),
    )

    class Meta:
        verbose_name = gettext_lazy("connection")
        verbose_name_plural = gettext_lazy("connections")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=~models.Q(name=DEFAULT_CONNECTION), name="connection_name_not_default")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.name == DEFAULT_CONNECTION:
            raise ValidationError(
                {
                    "name": gettext("%(name)s is the connection of the GENESYS_* environment variables; pick another")
                    % {"name": repr(DEFAULT_CONNECTION)}
                }
            )

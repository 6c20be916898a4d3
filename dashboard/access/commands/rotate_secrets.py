"""`rotate_secrets`: re-encrypt every stored upstream secret with the newest key.

Key rotation, step by step (dashboard/access/crypto_fields.py): put a new key first in
FIELD_ENCRYPTION_KEYS (keep the old ones after it), restart, run this command, then
remove the old keys. A secret no configured key opens is left as it is, counted, and
the command exits non-zero: the key that opens it is still needed.
"""

from __future__ import annotations

from cryptography.fernet import Fernet
from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from dashboard.access.crypto_fields import EncryptedTextField, Undecryptable


def encrypted_fields() -> list[tuple[type, str]]:
    """(model, field name) of every EncryptedTextField of every installed model."""
    return [
        (model, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, EncryptedTextField)
    ]


@transaction.atomic
def rotate(model: type, field: str) -> tuple[int, int]:
    """(rows re-encrypted, rows unreadable) of one field: each value is read with any
    key and written with the newest."""
    done = unreadable = 0
    for pk, value in model.objects.exclude(**{field: ""}).values_list("pk", field):  # type: ignore[attr-defined]
        if isinstance(value, Undecryptable):
            unreadable += 1
            continue
        model.objects.filter(pk=pk).update(**{field: value})  # type: ignore[attr-defined]
        done += 1
    return done, unreadable


class Command(BaseCommand):
    help = "Re-encrypt every stored secret with the newest key of FIELD_ENCRYPTION_KEYS."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--generate-key", action="store_true", help="print a new key for FIELD_ENCRYPTION_KEYS and change nothing"
        )

    def handle(self, *args: object, **options: object) -> None:
        if options["generate_key"]:
            self.stdout.write(Fernet.generate_key().decode())
            return
        lost = 0
        for model, field in encrypted_fields():
            done, unreadable = rotate(model, field)
            lost += unreadable
            self.stdout.write(
                f"{model._meta.label}.{field}: {done} re-encrypted"  # type: ignore[attr-defined]
                + (f", {unreadable} unreadable (left as they were)" if unreadable else "")
            )
        if lost:
            raise CommandError(
                f"{lost} secret(s) could not be decrypted with the configured keys: keep the key "
                "that opens them in FIELD_ENCRYPTION_KEYS (or DJANGO_SECRET_KEY_FALLBACKS) and run again"
            )

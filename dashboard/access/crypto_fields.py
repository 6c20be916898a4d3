"""Upstream secrets encrypted at rest: `EncryptedTextField` and its keys.

Why: a copy of the database (a backup, a dump handed to support) must not hand out the
refresh token or the skill sources' passwords. Values are Fernet tokens (AES-128-CBC +
HMAC-SHA256, from the `cryptography` package) under a `fernet:` prefix, so a row written
before encryption (no prefix) still reads, and `manage.py rotate_secrets` or migration
0007 encrypts it.

Keys, newest first (MultiFernet encrypts with the first and decrypts with any):
- `FIELD_ENCRYPTION_KEYS`: Fernet keys (`manage.py rotate_secrets --generate-key`), then
- one key derived with HKDF-SHA256 from `DJANGO_SECRET_KEY`, and one from each of
  `DJANGO_SECRET_KEY_FALLBACKS`, so that moving to dedicated keys, or to a new secret
  key, loses nothing: add the new key, run `rotate_secrets`, then drop the old one.
A value no key opens reads as an empty `Undecryptable` (logged, never shown) and is
written back unchanged, so a missing key never destroys the stored ciphertext.
"""

from __future__ import annotations

import base64
import logging
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

log = logging.getLogger(__name__)
PREFIX = "fernet:"
_HKDF_SALT = b"dashboard.access.crypto_fields"
_HKDF_INFO = b"upstream secrets at rest v1"


class Undecryptable(str):
    """A stored secret no configured key opens: reads as "", saves back as it was."""

    def __new__(cls, stored: str) -> Undecryptable:
        value = super().__new__(cls, "")
        value.stored = stored
        return value


def derived_key(secret_key: str) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=_HKDF_SALT, info=_HKDF_INFO)
    return base64.urlsafe_b64encode(hkdf.derive(secret_key.encode()))


def _keys() -> tuple[bytes, ...]:
    dedicated = tuple(k.encode() for k in getattr(settings, "FIELD_ENCRYPTION_KEYS", []))
    secret_keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return dedicated + tuple(derived_key(k) for k in secret_keys)


@lru_cache(maxsize=4)
def _fernet(keys: tuple[bytes, ...]) -> MultiFernet:
    fernets = []
    for index, key in enumerate(keys):
        try:
            fernets.append(Fernet(key))
        except ValueError:  # the key itself is never echoed
            raise ImproperlyConfigured(
                f"FIELD_ENCRYPTION_KEYS entry {index + 1} is not a Fernet key (32 url-safe base64 bytes); "
                "make one with `python manage.py rotate_secrets --generate-key`"
            ) from None
    return MultiFernet(fernets)


def fernet() -> MultiFernet:
    """The keys as settings name them now (tests and rotations may change them)."""
    return _fernet(_keys())


def encrypt(plain: str) -> str:
    return PREFIX + fernet().encrypt(plain.encode()).decode()


def decrypt(stored: str) -> str:
    """The plain text of a stored value; a value without the prefix is a legacy plain row."""
    if not stored.startswith(PREFIX):
        return stored
    try:
        return fernet().decrypt(stored[len(PREFIX) :].encode()).decode()
    except InvalidToken:
        log.warning(
            "a stored secret cannot be decrypted with the configured keys "
            "(FIELD_ENCRYPTION_KEYS / DJANGO_SECRET_KEY changed?): treated as unset"
        )
        return Undecryptable(stored)


def is_encrypted(stored: str | None) -> bool:
    return bool(stored) and stored.startswith(PREFIX)  # type: ignore[union-attr]


class EncryptedTextField(models.TextField):
    """A text field stored encrypted (see module docstring); "" stays "" so forms and
    `if source.secret` keep meaning "not set". Not searchable or orderable by value."""

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if isinstance(value, Undecryptable):
            return value.stored
        if value is None or value == "":
            return value
        return encrypt(str(value))  # in Python a value is always plain: encrypt every write

"""Encryption at rest for account secrets: Fernet with key rotation."""

from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from menueditor.logredact import remember


@cache
def _fernet_for(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(k.encode()) for k in keys])
    except (ValueError, TypeError) as exc:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS holds a key that is not a Fernet key "
            '(make one with: python -c "from cryptography.fernet import Fernet; '
            'print(Fernet.generate_key().decode())")'
        ) from exc


def fernet() -> MultiFernet:
    """The current key ring: the first key encrypts, every key decrypts."""
    keys = tuple(settings.FIELD_ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("Set FIELD_ENCRYPTION_KEYS to at least one Fernet key.")
    return _fernet_for(keys)


def encrypt(plaintext: str) -> str:
    remember(plaintext)  # a secret this process holds is masked in every log line from now on
    return fernet().encrypt(plaintext.encode("utf-8")).decode("ascii")


def decrypt(ciphertext: str) -> str:
    try:
        plaintext = fernet().decrypt(ciphertext.encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS: "
            "keep the old key in the list after a rotation."
        ) from exc
    remember(plaintext)
    return plaintext


def rotate(ciphertext: str) -> str:
    """Re-encrypt with the newest key (used by the rotate_encryption_keys command)."""
    try:
        return fernet().rotate(ciphertext.encode("ascii")).decode("ascii")
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with any key in FIELD_ENCRYPTION_KEYS: "
            "put the key it was encrypted with back in the list, then rotate again."
        ) from exc


class EncryptedTextField(models.TextField):
    """A text field stored as a Fernet token; '' stays '' (not set)."""

    def from_db_value(self, value, expression, connection):
        if not value:
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if not value:
            return value
        return encrypt(value)

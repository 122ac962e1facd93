"""Test settings: the real settings with fixed keys; the database still comes from DATABASE_URL."""

import os

os.environ.setdefault("SECRET_KEY", "test-secret-key-not-for-production")
# Two keys, so every test also exercises decryption with a ring of more than one key.
os.environ.setdefault(
    "FIELD_ENCRYPTION_KEYS",
    "dGVzdC1rZXktMDAwMDAwMDAwMDAwMDAwMDAwMDAwMDA=,b2xkLXRlc3Qta2V5LTAwMDAwMDAwMDAwMDAwMDAwMDA=",
)
os.environ.setdefault("DEBUG", "false")

from menueditor.settings import *  # noqa: F403

SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import tempfile
    from pathlib import Path

    # A file rather than memory: the concurrency tests' threads and subprocesses (and the browser
    # tests' live server) must share one database with the settings bin/run uses (IMMEDIATE, WAL).
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(Path(tempfile.gettempdir()) / f"menueditor-test-{os.getpid()}.sqlite3")
    }

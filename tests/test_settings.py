"""Start-up refuses to run in production without its secrets; the deploy checks pass."""

import os
import subprocess
import sys

import pytest
from cryptography.fernet import Fernet
from django.conf import settings

# Run the real settings in a fresh interpreter. A local .env (bin/run writes one) must not leak in,
# so its reading is switched off: these tests judge the settings' own defaults.
WITHOUT_DOTENV = "import environ; environ.Env.read_env = classmethod(lambda cls, *a, **k: None)\n"
SETUP = WITHOUT_DOTENV + "import django; django.setup(); print('started')"
DEPLOY_CHECK = WITHOUT_DOTENV + (
    "from django.core.management import execute_from_command_line\n"
    "execute_from_command_line(['manage.py', 'check', '--deploy', '--fail-level', 'WARNING'])"
)


def run_python(code: str, **env: str) -> subprocess.CompletedProcess:
    clean_env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", "/tmp"),
        "DJANGO_SETTINGS_MODULE": "menueditor.settings",
    }
    return subprocess.run(
        [sys.executable, "-c", code],
        env=clean_env | env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "Zq8v-production-like-secret-key-with-plenty-of-entropy-4f9a1c77e2b0d3",
    "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "ALLOWED_HOSTS": "menus.intranet.example",
}


def test_production_without_secret_key_stops_naming_it():
    result = run_python(SETUP, **(PRODUCTION | {"SECRET_KEY": ""}))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the environment variable SECRET_KEY" in result.stderr


def test_production_without_encryption_keys_stops_naming_them():
    result = run_python(SETUP, **(PRODUCTION | {"FIELD_ENCRYPTION_KEYS": ""}))
    assert result.returncode != 0
    assert "ImproperlyConfigured: Set the environment variable FIELD_ENCRYPTION_KEYS" in result.stderr


def test_debug_off_is_the_default():
    env = {k: v for k, v in PRODUCTION.items() if k != "DEBUG"} | {"SECRET_KEY": ""}
    result = run_python(SETUP, **env)
    assert "SECRET_KEY" in result.stderr


def test_production_with_both_starts():
    result = run_python(SETUP, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "started"


def test_development_starts_without_secrets():
    result = run_python(SETUP, DEBUG="true")
    assert result.returncode == 0, result.stderr


def test_deploy_check_passes_with_production_settings():
    result = run_python(DEPLOY_CHECK, **PRODUCTION)
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNING" not in result.stderr


def test_deploy_check_passes_behind_an_https_proxy():
    result = run_python(DEPLOY_CHECK, **PRODUCTION, BEHIND_HTTPS_PROXY="true")
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


CLIENT_ADDRESS = WITHOUT_DOTENV + (
    "import django; django.setup()\n"
    "from axes.helpers import get_client_ip_address\n"
    "from django.conf import settings\n"
    "from django.test import RequestFactory\n"
    "request = RequestFactory().post(\n"
    "    '/login/', REMOTE_ADDR='127.0.0.1', HTTP_X_FORWARDED_FOR='10.9.9.9, 10.0.0.2, 10.8.0.1'\n"
    ")\n"
    "print(settings.TRUSTED_PROXY_COUNT, get_client_ip_address(request))"
)


@pytest.mark.parametrize(
    ("environment", "expected"),
    [
        ({}, "0 127.0.0.1"),  # no proxy said: the header is the client's own writing, ignored
        ({"BEHIND_HTTPS_PROXY": "true"}, "1 10.8.0.1"),  # one proxy: the entry it wrote
        ({"TRUSTED_PROXY_COUNT": "2"}, "2 10.0.0.2"),
        ({"BEHIND_HTTPS_PROXY": "true", "TRUSTED_PROXY_COUNT": "0"}, "0 127.0.0.1"),
    ],
)
def test_sign_in_lockout_takes_the_client_address_the_settings_trust(environment, expected):
    result = run_python(CLIENT_ADDRESS, **PRODUCTION, **environment)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected


def test_a_negative_proxy_count_stops_start_up_naming_it():
    result = run_python(SETUP, **PRODUCTION, TRUSTED_PROXY_COUNT="-1")
    assert result.returncode != 0
    assert "TRUSTED_PROXY_COUNT" in result.stderr

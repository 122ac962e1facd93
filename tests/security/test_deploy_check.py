"""`manage.py check --deploy` with production settings prints no warning, and would print one."""

from __future__ import annotations

import subprocess
import sys

from tests.security.test_headers import ROOT, production_env


def deploy_check(**env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=production_env() | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_settings_pass_the_deploy_check_without_a_warning():
    result = deploy_check()
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "System check identified no issues" in output
    assert "WARNING" not in output and "?: (security." not in output


def test_without_the_proxy_setting_https_is_still_enforced():
    result = deploy_check(BEHIND_HTTPS_PROXY="false")
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_check_does_catch_a_weak_production_set_up():
    """The test above can fail: a short secret key and plain-HTTP cookies are reported."""
    result = deploy_check(SECRET_KEY="short", SECURE_COOKIES="false")
    assert result.returncode != 0
    output = result.stdout + result.stderr
    assert "security.W009" in output  # the secret key
    assert "security.W012" in output  # the session cookie without Secure


def test_production_refuses_to_start_without_its_secrets():
    env = production_env()
    del env["SECRET_KEY"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr

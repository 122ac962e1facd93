"""Response headers and page markup under the strict Content-Security-Policy, on every page.

Every HTML page of the app and the admin (from the resolver) carries the policy, refuses framing,
turns off MIME sniffing and keeps referrers on this site; no page relies on inline script or style,
which the policy would block.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.security.conftest import client_for
from tests.security.urlmap import targets

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_TAG = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.DOTALL | re.IGNORECASE)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def html_pages(world) -> list:
    pages = []
    for role in ("superuser", "publisher"):
        for target in targets(world.map):
            response = client_for(world.users[role]).get(target.url)
            if response.status_code == 200 and response["Content-Type"].startswith("text/html"):
                pages.append((f"{role} {target}", response))
    return pages


def test_every_page_has_a_strict_policy_and_no_inline_code(world):
    pages = html_pages(world)
    assert len(pages) > 30  # the app's pages and the admin's, for two people
    wrong = []
    for where, response in pages:
        csp = policy(response)
        script_src = csp.get("script-src", [])
        nonces = [w[len("'nonce-") : -1] for w in script_src if w.startswith("'nonce-")]
        checks = {
            "default-src 'self'": csp.get("default-src") == ["'self'"],
            "script-src 'self' + nonce": "'self'" in script_src and len(nonces) == 1,
            "no unsafe-*": not any("unsafe" in w for ws in csp.values() for w in ws),
            "style-src 'self'": csp.get("style-src") == ["'self'"],
            "frame-ancestors 'none'": csp.get("frame-ancestors") == ["'none'"],
            "object-src 'none'": csp.get("object-src") == ["'none'"],
            "base-uri": csp.get("base-uri") == ["'self'"],
            "form-action": csp.get("form-action") == ["'self'"],
            "X-Frame-Options DENY": response.get("X-Frame-Options") == "DENY",
            "nosniff": response.get("X-Content-Type-Options") == "nosniff",
            "Referrer-Policy": response.get("Referrer-Policy") == "same-origin",
        }
        page = response.content.decode()
        for attrs, body in SCRIPT_TAG.findall(page):
            src = re.search(r'\bsrc="([^"]*)"', attrs)
            if body.strip() and 'type="application/json"' not in attrs:
                checks[f"inline script {body.strip()[:40]!r}"] = False
            if src and re.match(r"(?i)(https?:)?//", src.group(1)):
                checks[f"script from another host {src.group(1)}"] = False
            nonce = re.search(r'\bnonce="([^"]*)"', attrs)
            if nonce and nonces and nonce.group(1) != nonces[0]:
                checks["script nonce differs from the header's"] = False
        checks["no style attribute"] = not re.search(r"<[^>]+\sstyle=", page)
        checks["no <style> element"] = "<style" not in page.lower()
        checks["no inline event handler"] = not re.search(r"<[^>]+\son[a-z]+\s*=", page, re.IGNORECASE)
        checks["no javascript: link"] = "javascript:" not in page.lower()
        checks["no CDN"] = not re.search(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="(?:https?:)?//', page)
        failed = [name for name, ok in checks.items() if not ok]
        if failed:
            wrong.append(f"{where}: {failed}")
    assert not wrong, "\n".join(wrong)


def test_each_response_gets_its_own_nonce(world):
    client = client_for(world.users["publisher"])
    url = reverse("menu_edit", args=[world.menu_a.pk])
    first, second = (policy(client.get(url))["script-src"] for _ in range(2))
    assert first != second


def test_sign_in_page_and_static_files_carry_the_headers(db):
    client = Client()
    response = client.get(reverse("login"))
    assert policy(response)["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    # Any answer, a missing page included, tells browsers not to guess content types.
    for url in ("/static/css/app.css", "/no-such-page/", reverse("menu_export", args=[1])):
        assert client.get(url)["X-Content-Type-Options"] == "nosniff", url


def test_session_and_csrf_cookies_are_secure_and_http_only_when_signed_in(settings, factories):
    """With production cookie settings, a real sign-in sets Secure, HttpOnly, SameSite cookies."""
    settings.SESSION_COOKIE_SECURE = True
    settings.CSRF_COOKIE_SECURE = True
    factories.user(username="marketer", password="right-password-123")
    client = Client()
    client.get(reverse("login"), secure=True)
    response = client.post(
        reverse("login"), {"username": "marketer", "password": "right-password-123"}, secure=True
    )
    assert response.status_code == 302
    session = response.cookies["sessionid"]
    assert session["secure"] and session["httponly"]
    assert session["samesite"].lower() in ("lax", "strict")
    assert client.cookies["csrftoken"]["secure"]


def test_https_responses_carry_hsts_in_production(settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = Client().get(reverse("login"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


PRODUCTION_SETTINGS = """
import json
from django.conf import settings
print(json.dumps({name: getattr(settings, name, None) for name in (
    "DEBUG", "SESSION_COOKIE_SECURE", "SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_SECURE",
    "SECURE_SSL_REDIRECT", "SECURE_HSTS_SECONDS", "SECURE_CONTENT_TYPE_NOSNIFF", "X_FRAME_OPTIONS",
    "SECURE_REFERRER_POLICY", "SECURE_PROXY_SSL_HEADER", "SESSION_COOKIE_SAMESITE")}))
"""


def production_env() -> dict[str, str]:
    from cryptography.fernet import Fernet

    return {
        "PATH": "/usr/bin:/bin",
        "HOME": "/tmp",
        "DJANGO_SETTINGS_MODULE": "menueditor.settings",
        "DEBUG": "false",
        "SECRET_KEY": "k" + __import__("secrets").token_urlsafe(50),
        "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
        "ALLOWED_HOSTS": "menus.intranet.example",
        "BEHIND_HTTPS_PROXY": "true",
        "DATABASE_URL": "sqlite:////tmp/menueditor-deploy-check.sqlite3",
    }


def test_production_settings_make_cookies_secure_and_trust_the_proxy():
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + PRODUCTION_SETTINGS],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    values = json.loads(result.stdout)
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"] and values["SESSION_COOKIE_HTTPONLY"]
    assert values["CSRF_COOKIE_SECURE"] and values["SECURE_SSL_REDIRECT"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_CONTENT_TYPE_NOSNIFF"] and values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert values["SESSION_COOKIE_SAMESITE"] in ("Lax", "Strict")

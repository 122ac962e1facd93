"""Browser fixtures: Debian's Chromium driven by Playwright's sync API against pytest-django's live server.

`browser` (one Chromium per session), `page` (a fresh context per test, laptop-sized), `browser_user`
(a staff member who may edit and publish) and `signed_in_page` (that user signed in through the
sign-in page). Tests using them need `@pytest.mark.django_db(transaction=True)` like any live-server test.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator

import pytest
from django.urls import reverse

from tests.plugins.factories import make_user

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 768}
BROWSER_PASSWORD = "browser-test-password-1"


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser) -> Iterator:
    context = browser.new_context(viewport=LAPTOP, locale="en-US", accept_downloads=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    # A CSP violation or a script error is a bug even when the test's path still works.
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and "Content Security Policy" in message.text.replace("-", " ")
            else None
        ),
    )
    yield page
    context.close()
    assert not errors, "errors in the browser:\n" + "\n".join(errors)


@pytest.fixture
def browser_user(transactional_db):
    return make_user(username="marketer", perms=("change_menu", "publish_menu"), password=BROWSER_PASSWORD)


@pytest.fixture
def signed_in_page(page, live_server, browser_user):
    """A page signed in as `browser_user` through the sign-in form, on the home page."""
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", browser_user.username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))
    return page

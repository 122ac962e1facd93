"""The editor never goes silent: failed requests are said in place, and a publish shows it is running.

The failures are made in the browser's network (Playwright's routing, offline mode), as a broken
server or connection would make them; the page and the server under test are the real ones.
Set SCREENSHOTS=1 to write docs/screenshots/editor-not-saved.png, editor-publishing.png and
editor-publish-unknown.png.
"""

from __future__ import annotations

import contextlib
import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from menueditor.models import Menu, Publication
from tests.browser.test_editor_browser import name_input, preview_item, type_into
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
SERVER_ERROR = {"status": 500, "content_type": "text/html", "body": "<h1>Server Error (500)</h1>"}


def screenshot_dir(tmp_path: Path) -> Path:
    target = DOCS if os.environ.get("SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    return target


def open_editor(page: Page, live_server, menu: Menu) -> None:
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))


def test_a_save_the_server_fails_says_not_saved_and_keeps_the_edits(
    signed_in_page: Page, live_server, browser_user, tmp_path
):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    open_editor(page, live_server, menu)
    type_into(page, name_input(page, "0"), "改过了")
    type_into(page, page.locator("#f-b-1-s-0-url"), "https://example.com/new")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")

    page.route("**/save/", lambda route: route.fulfill(**SERVER_ERROR))
    save = page.locator("#save-button")
    save.click()
    problem = page.locator("#request-problem")
    expect(problem).to_have_attribute("role", "alert")
    expect(problem).to_contain_text("Not saved. The server answered with an error (500).")
    expect(problem).to_contain_text("Your edits are still here. Try again.")
    expect(problem).to_be_visible()
    # Nothing of the form was replaced; the button works again; the draft is as it was.
    expect(name_input(page, "0")).to_have_value("改过了")
    expect(page.locator("#f-b-1-s-0-url")).to_have_value("https://example.com/new")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    expect(save).to_be_enabled()
    expect(save).to_be_focused()  # back on the button for the retry
    menu.refresh_from_db()
    assert menu.revision == 1
    page.mouse.move(0, 0)
    # caret="initial": Playwright hides the caret with an inline style, which the CSP refuses.
    page.screenshot(path=str(screenshot_dir(tmp_path) / "editor-not-saved.png"), caret="initial")

    # The server is back: the retry saves, and the message goes.
    page.unroute("**/save/")
    save.click()
    expect(page.locator("#save-status")).to_contain_text("Saved · revision 2")
    expect(problem).to_be_empty()
    menu.refresh_from_db()
    assert menu.tree["button"][0]["name"] == "改过了"


def test_offline_a_save_a_structural_edit_and_a_preview_say_so_and_lose_nothing(
    signed_in_page: Page, live_server, browser_user
):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    open_editor(page, live_server, menu)
    field = name_input(page, "0")
    type_into(page, field, "离线")
    expect(preview_item(page, "0")).to_have_text("离线")

    page.context.set_offline(True)
    problem = page.locator("#request-problem")
    page.locator("#save-button").click()
    saving = problem.locator('[data-group="save"]')
    expect(saving).to_contain_text("Not saved. The server could not be reached: check the connection.")
    expect(saving).to_contain_text("Your edits are still here.")
    expect(page.locator("#save-button")).to_be_enabled()

    # A structural edit fails too: said on its own line, the save's failure still said.
    page.get_by_role("button", name="Move button 1 right").click()
    structure = problem.locator('[data-group="structure"]')
    expect(structure).to_contain_text("The change was not made. The server could not be reached")
    expect(saving).to_be_visible()
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["离线", "菜单"])
    expect(field).to_have_value("离线")

    # Typing goes on; the preview cannot follow, and says so once.
    field.press("End")
    field.press_sequentially("中", delay=15)
    expect(problem.locator('[data-group="preview"]')).to_contain_text("The preview was not updated.")
    expect(problem.locator(".problem-line")).to_have_count(3)
    expect(field).to_have_value("离线中")

    # Back online: the next save keeps what is on screen and the messages go.
    page.context.set_offline(False)
    page.locator("#save-button").click()
    expect(page.locator("#save-status")).to_contain_text("Saved · revision 2")
    expect(problem).to_be_empty()
    menu.refresh_from_db()
    assert menu.tree["button"][0]["name"] == "离线中"


def test_a_structural_edit_the_server_fails_is_said_and_can_be_dismissed(
    signed_in_page: Page, live_server, browser_user
):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    open_editor(page, live_server, menu)
    type_into(page, name_input(page, "1.1"), "点赞")
    page.route("**/structure/", lambda route: route.fulfill(**SERVER_ERROR))
    page.get_by_role("button", name="+ Add a button").click()
    problem = page.locator("#request-problem")
    expect(problem).to_contain_text("The change was not made. The server answered with an error (500).")
    expect(page.locator("#tree .btn-card.level-1")).to_have_count(2)
    expect(name_input(page, "1.1")).to_have_value("点赞")
    problem.get_by_role("button", name="Dismiss").click()
    expect(problem).to_be_empty()
    # Once the server answers again, the same button works.
    page.unroute("**/structure/")
    page.get_by_role("button", name="+ Add a button").click()
    expect(page.locator("#tree .btn-card.level-1")).to_have_count(3)
    expect(name_input(page, "1.1")).to_have_value("点赞")


@pytest.mark.parametrize("kind", ["save", "preview"])
def test_a_request_that_times_out_is_said(signed_in_page: Page, live_server, browser_user, kind):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    open_editor(page, live_server, menu)
    # Shorter timeouts than the page's, so the test need not wait 10 or 30 s for a slow answer.
    page.evaluate(
        "document.getElementById('request-feedback').dataset.timeoutPreview = '300';"
        "window.htmx.config.timeout = 300;"
    )

    def slow(route):
        page.wait_for_timeout(900)
        with contextlib.suppress(Exception):  # the browser gave up on the request already
            route.continue_()

    page.route(f"**/{kind}/", slow)
    type_into(page, name_input(page, "0"), "慢")
    problem = page.locator("#request-problem")
    if kind == "save":
        page.locator("#save-button").click()
        expect(problem).to_contain_text("The save was not confirmed. The server did not answer in time.")
        expect(page.locator("#save-button")).to_be_enabled()
    else:
        expect(problem).to_contain_text("The preview was not updated. The server did not answer in time.")
    expect(name_input(page, "0")).to_have_value("慢")
    page.unroute_all(behavior="ignoreErrors")  # a keystroke's slow request may still be held


def test_a_publish_whose_answer_is_lost_says_the_outcome_is_unknown(
    signed_in_page: Page, live_server, browser_user, simulator, tmp_path
):
    page = signed_in_page
    account = make_account(members=(browser_user,), api_base=simulator.url)
    menu = make_menu(account)
    open_editor(page, live_server, menu)
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text(f"Publish to {account.name}?")

    # The request reaches the server, which publishes, but the answer never comes back.
    def lost(route):
        route.fetch()
        route.abort("connectionreset")

    page.route("**/publish/", lost)
    page.get_by_role("button", name="Publish now").click()
    problem = page.locator("#publish-problem")
    expect(problem).to_have_attribute("role", "alert")
    expect(problem).to_contain_text("We could not tell whether the menu was published.")
    expect(problem).to_contain_text("The connection failed before an answer came")
    link = problem.get_by_role("link", name="Check the history before publishing again")
    expect(link).to_have_attribute("href", reverse("account_history", args=[account.slug]))
    expect(page.locator("#publish-running")).to_be_empty()
    expect(page.locator("#publish-confirm")).to_be_enabled()
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir(tmp_path) / "editor-publish-unknown.png"), caret="initial")
    # It did go through: the history the message points to says so.
    assert Publication.objects.get(menu=menu).outcome == "success"
    link.click()
    expect(page.locator("ol.history > li").first).to_contain_text("Succeeded")


def test_a_review_the_server_fails_says_nothing_was_published(
    signed_in_page: Page, live_server, browser_user, simulator
):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,), api_base=simulator.url))
    open_editor(page, live_server, menu)
    page.route("**/publish/review/", lambda route: route.fulfill(**SERVER_ERROR))
    page.get_by_role("button", name="Publish…").click()
    problem = page.locator("#publish-problem")
    expect(problem).to_contain_text("Nothing was published. The server answered with an error (500).")
    expect(page.locator("#publish-button")).to_be_enabled()
    # Trying again works, and the message goes when the review is shown.
    page.unroute("**/publish/review/")
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text("Publish to")
    expect(problem).to_be_empty()


def test_a_slow_publish_shows_it_is_running_and_for_how_long(
    signed_in_page: Page, live_server, browser_user, simulator, tmp_path
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree={"button": [{"type": "click", "name": "联系客服", "key": "CONTACT"}]})
    simulator.add_fault("/cgi-bin/menu/create", delay=3)
    open_editor(page, live_server, menu)
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text("Publish to 星光咖啡?")
    page.get_by_role("button", name="Publish now").click()
    running = page.locator("#publish-running")
    expect(running).to_have_attribute("role", "status")
    expect(running).to_contain_text("Publishing…")
    expect(running).to_have_text(re.compile(r"Publishing… 2 s"), timeout=5000)
    expect(page.locator("#publish-confirm")).to_be_disabled()
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir(tmp_path) / "editor-publishing.png"), caret="initial")
    # The answer arrives: the outcome replaces the indicator.
    expect(page.locator("#publish-panel h2")).to_have_text("Published", timeout=15000)
    expect(running).to_be_empty()
    expect(page.locator("#publish-problem")).to_be_empty()


def test_a_save_after_the_session_ended_says_so(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    open_editor(page, live_server, menu)
    type_into(page, name_input(page, "0"), "还在")
    # The session ends (expired, or signed out in another tab); the CSRF cookie stays.
    page.context.clear_cookies(name="sessionid")
    page.locator("#save-button").click()
    problem = page.locator("#request-problem")
    expect(problem).to_contain_text("Not saved. The server answered with the sign-in page")
    expect(name_input(page, "0")).to_have_value("还在")
    expect(page.locator("#save-button")).to_be_enabled()

"""Publishing in Chromium when colleagues act at the same time: the review's confirmation covers the
live menu it showed, and a publish while another runs is told who is publishing.

Set SCREENSHOTS=1 to write docs/screenshots/editor-live-changed.png and editor-publish-busy.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts import leases
from menueditor.models import Publication
from tests.browser.test_editor_failures import screenshot_dir
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

CONSOLE = {"button": [{"type": "click", "name": "控制台做的", "key": "CONSOLE"}]}
AGAIN = {"button": [{"type": "view", "name": "又改了", "url": "https://example.com/again"}]}
DRAFT = {"button": [{"type": "click", "name": "联系客服", "key": "CONTACT"}]}


def test_a_confirmation_replaces_only_the_live_menu_the_review_showed(
    signed_in_page: Page, live_server, browser_user, simulator, tmp_path
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=DRAFT)
    simulator.wechat_menu = CONSOLE  # made in the MP console: drift
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    page.get_by_role("button", name="Publish…").click()
    panel = page.locator("#publish-panel")
    expect(panel).to_contain_text("changed elsewhere")

    # A colleague changes the live menu again while the review is open.
    simulator.wechat_menu = AGAIN
    page.get_by_role("button", name="Replace the live menu").click()
    expect(panel.locator("h2")).to_have_text("The live menu changed while you were reviewing")
    expect(panel).to_contain_text("又改了")
    assert simulator.wechat_menu == AGAIN
    assert not simulator.requests_to("/cgi-bin/menu/create")
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir(tmp_path) / "editor-live-changed.png"), caret="initial")

    # Confirming what is shown now replaces exactly that menu.
    page.get_by_role("button", name="Replace the live menu").click()
    expect(panel.locator("h2")).to_have_text("Published")
    assert simulator.wechat_menu == DRAFT
    assert Publication.objects.get().outcome == "success"


def test_a_publish_while_another_runs_says_who_started_it(
    signed_in_page: Page, live_server, browser_user, simulator, tmp_path
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=DRAFT)
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text("Publish to 星光咖啡?")
    # A colleague's publish of this account is running (it holds the account's lease).
    claim = leases.claim(account.pk, leases.Purpose.LIVE_MENU, holder_name="publisherB", seconds=60)
    try:
        page.get_by_role("button", name="Publish now").click()
        panel = page.locator("#publish-panel")
        expect(panel.locator("h2")).to_have_text("Another publish is running")
        expect(panel).to_contain_text("started by publisherB")
        expect(panel).to_contain_text("Your draft is unchanged.")
        page.mouse.move(0, 0)
        page.screenshot(path=str(screenshot_dir(tmp_path) / "editor-publish-busy.png"), caret="initial")
    finally:
        leases.release(claim)
    assert not simulator.requests_to("/cgi-bin/menu/create")
    assert not Publication.objects.exists()

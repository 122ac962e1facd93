"""Picking content in Chromium: an image and an article chosen in the pickers and published; an
article deleted since it was chosen is named in the review; the picker in Chinese.

Set SCREENSHOTS=1 to write docs/screenshots/picker-zh.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from menueditor import pickers
from menueditor.models import Publication
from tests.browser.test_editor_failures import screenshot_dir
from tests.browser.test_schedule_browser import chinese_page  # noqa: F401  (a fixture)
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

TO_PICK = {
    "button": [
        {"type": "media_id", "name": "海报", "media_id": "TYPED_BY_HAND"},
        {"type": "article_view_limited", "name": "攻略", "article_id": "TYPED_BY_HAND"},
    ]
}
CHOSEN = {
    "button": [
        {"type": "media_id", "name": "海报", "media_id": "MEDIA_IMG_BANNER"},
        {"type": "article_view_limited", "name": "攻略", "article_id": "ARTICLE_D11_GUIDE"},
    ]
}


def select_in_phone(page: Page, path: str) -> None:
    page.locator(f'#phone-menu [data-path="{path}"]').click()
    expect(page.locator("#f-selected")).to_have_value(path)


def pick(page: Page, card: str, opener: str, item: str) -> None:
    page.locator(f"#card-{card}").get_by_role("button", name=opener).click()
    dialog = page.locator("#picker-dialog")
    expect(dialog).to_be_visible()
    row = dialog.locator(".picker-item", has_text=item)
    row.get_by_role("button", name="Choose").click()
    expect(dialog).to_be_hidden()


def test_an_image_and_an_article_are_chosen_in_the_pickers_and_published(
    signed_in_page: Page, live_server, browser_user, simulator, tmp_path
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=TO_PICK, user=browser_user)
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))

    select_in_phone(page, "0")
    pick(page, "0", "Choose image, voice or video", "banner.png")
    field = page.locator("#card-0 input[name='b-0-media_id']")
    expect(field).to_have_value("MEDIA_IMG_BANNER")
    chosen = page.locator("#card-0 .picker-chosen")
    expect(chosen).to_contain_text("banner.png")
    expect(chosen.locator("img")).to_have_js_property("naturalWidth", 48)  # the app served the PNG
    expect(page.locator("#content-sends")).to_have_text("sends the image banner.png")

    select_in_phone(page, "1")
    pick(page, "1", "Choose a published article", "双十一攻略")
    expect(page.locator("#card-1 input[name='b-1-article_id']")).to_have_value("ARTICLE_D11_GUIDE")
    expect(page.locator("#card-1 .picker-chosen")).to_contain_text("双十一攻略")
    expect(page.locator("#content-sends")).to_have_text("opens the article “双十一攻略”")
    select_in_phone(page, "0")
    expect(page.locator("#content-sends")).to_have_text("sends the image banner.png")
    page.mouse.move(0, 0)
    page.screenshot(path=str(tmp_path / "picker-chosen.png"), caret="initial")

    # The id stays editable, and the saved draft is what was chosen.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    page.get_by_role("button", name="Publish…").click()
    panel = page.locator("#publish-panel")
    expect(panel.locator("#content-check")).to_contain_text("is still on the account")
    page.get_by_role("button", name="Publish now").click()
    expect(panel.locator("h2")).to_have_text("Published")
    assert simulator.wechat_menu == CHOSEN
    assert Publication.objects.get().outcome == "success"


def test_an_article_deleted_since_it_was_chosen_is_named_in_the_review(
    signed_in_page: Page, live_server, browser_user, simulator
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=CHOSEN, user=browser_user)
    pickers.refresh(account, pickers.kind_of(account, "article"))
    simulator.wechat.content.delete_article("ARTICLE_D11_GUIDE")
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    page.get_by_role("button", name="Publish…").click()
    check = page.locator("#publish-panel #content-check")
    expect(check).to_contain_text("“双十一攻略” (ARTICLE_D11_GUIDE) is no longer on the account")
    expect(check.locator("[role=alert]")).to_be_visible()
    assert not simulator.requests_to("/cgi-bin/menu/create")


def test_a_platform_failure_is_said_in_the_picker_and_the_typed_id_still_works(
    signed_in_page: Page, live_server, browser_user, simulator
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=TO_PICK, user=browser_user)
    simulator.add_fault(path="/cgi-bin/material/get_materialcount", errcode=48001, times=3)
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    select_in_phone(page, "0")
    page.locator("#card-0").get_by_role("button", name="Choose image, voice or video").click()
    dialog = page.locator("#picker-dialog")
    expect(dialog.locator(".problem.error").first).to_contain_text("48001")
    expect(dialog).to_contain_text("You can still type the id")
    dialog.get_by_role("button", name="Close").click()
    field = page.locator("#card-0 input[name='b-0-media_id']")
    field.fill("MEDIA_BY_HAND")
    expect(page.locator("#card-0 .picker-chosen")).to_contain_text("sent as typed")
    with page.expect_response(lambda r: r.url.endswith("/save/") and r.request.method == "POST") as saved:
        page.get_by_role("button", name="Save draft").click()
    assert saved.value.ok
    menu.refresh_from_db()
    assert menu.tree["button"][0]["media_id"] == "MEDIA_BY_HAND"


def test_the_picker_in_chinese(chinese_page, live_server, browser_user, simulator, tmp_path):  # noqa: F811
    page = chinese_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    menu = make_menu(account, tree=CHOSEN, title="双十一菜单", user=browser_user)
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    select_in_phone(page, "0")
    page.locator("#card-0 .picker-open").click()
    dialog = page.locator("#picker-dialog")
    expect(dialog.locator(".picker-item")).to_have_count(4)
    for image in dialog.locator("img.picker-thumb").all():
        expect(image).to_have_js_property("complete", True)
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir(tmp_path) / "picker-zh.png"), caret="initial")
    # The list fetched while the dialog was open now names the id the draft already had.
    dialog.locator(".picker-close button").click()
    expect(page.locator("#card-0 .picker-chosen")).to_contain_text("banner.png")

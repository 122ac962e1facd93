"""The publish review in Chromium, in Chinese: two phones with the changed buttons marked, a change
list in words (type labels in the interface language, never a code), and the console-only replies a
publish would lose, said before the button that publishes; the history's changes; a save conflict
from another tab of the same person.

Set SCREENSHOTS=1 to write docs/screenshots/review-zh.png and review-console-zh.png.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from menueditor.platforms import get_platform
from menueditor.publishing import publish_menu
from tests.browser.test_editor_browser import type_into
from tests.browser.test_editor_failures import screenshot_dir
from tests.browser.test_schedule_browser import chinese_page  # noqa: F401 (the fixture)
from tests.plugins.factories import make_account, make_menu
from tests.views.test_review import CONSOLE, DRAFT, LIVE

pytestmark = pytest.mark.django_db(transaction=True)

RAW_CODES = re.compile(r"\b(click|view|pic_sysphoto|media_id|key|url|text|img|news)\b")


def _chinese_type(code: str) -> str:
    with translation.override("zh-hans"):
        return get_platform("wechat").type_label(code)


def test_removed_and_added_buttons_read_as_removed_and_added_on_two_phones(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
    tmp_path,
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    assert publish_menu(make_menu(account, tree=LIVE, title="日常菜单"), browser_user).ok
    draft = make_menu(account, tree=DRAFT, title="双十一菜单", user=browser_user)

    page.goto(live_server.url + reverse("menu_edit", args=[draft.pk]))
    page.locator("#publish-button").click()
    panel = page.locator("#publish-panel")
    before, after = panel.locator(".compare-before"), panel.locator(".compare-after")
    expect(before.locator(".mini-phone")).to_be_visible()
    expect(after.locator(".mini-phone")).to_be_visible()
    # Side by side: the draft's phone is to the right of the live one, at the same height.
    left, right = before.bounding_box(), after.bounding_box()
    assert right["x"] >= left["x"] + left["width"] and abs(right["y"] - left["y"]) < 40

    expect(before.locator(".mark-removed")).to_have_count(2)
    expect(before.locator(".mark-removed")).to_contain_text(["优惠券", "拍照"])
    expect(after.locator(".mark-added")).to_have_count(1)
    expect(after.locator(".mark-added")).to_contain_text("客服")
    changes = panel.locator(".compare-changes li")
    expect(changes).to_have_count(3)
    lines = changes.all_inner_texts()
    assert _chinese_type("click") in lines[0]  # the type as the Chinese interface names it: 点击推事件
    assert _chinese_type("pic_sysphoto") in lines[1]
    assert [c.get_attribute("class") for c in changes.all()] == [
        "change change-removed",
        "change change-removed",
        "change change-added",
    ]
    for line in lines:
        assert not RAW_CODES.search(line), line
    panel.scroll_into_view_if_needed()
    page.mouse.move(0, 0)
    panel.screenshot(path=str(screenshot_dir(tmp_path) / "review-zh.png"), caret="initial")


def test_a_console_made_menu_warns_about_lost_replies_before_the_publish_button(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
    tmp_path,
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    simulator.set_console_menu(CONSOLE)
    draft = make_menu(account, title="新菜单", user=browser_user)

    page.goto(live_server.url + reverse("menu_edit", args=[draft.pk]))
    page.locator("#publish-button").click()
    warning = page.locator("#publish-panel .lost-replies")
    expect(warning).to_be_visible()
    expect(warning.locator("li")).to_have_count(2)
    expect(warning.locator("li").first).to_contain_text("你好")
    expect(warning.locator("li").last).to_contain_text("文章")
    confirm = page.locator("#publish-confirm")
    assert warning.bounding_box()["y"] < confirm.bounding_box()["y"]
    page.mouse.move(0, 0)
    page.locator("#publish-panel").screenshot(
        path=str(screenshot_dir(tmp_path) / "review-console-zh.png"), caret="initial"
    )


def test_the_history_says_what_each_publication_changed(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
    tmp_path,
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    assert publish_menu(make_menu(account, tree=LIVE, title="日常菜单"), browser_user).ok
    assert publish_menu(make_menu(account, tree=DRAFT, title="双十一菜单"), browser_user).ok

    page.goto(live_server.url + reverse("account_history", args=[account.slug]))
    newest = page.locator(".entry").first
    expect(newest.locator(".what-changed .compare-changes li")).to_have_count(3)
    expect(newest.locator(".entry-preview .mark-added")).to_contain_text("客服")
    newest.locator(".what-changed-phones summary").click()
    expect(newest.locator(".compare-before .mark-removed")).to_have_count(2)
    expect(page.locator(".entry").last.locator(".what-changed")).to_have_count(0)  # nothing before it
    page.mouse.move(0, 0)
    page.screenshot(
        path=str(screenshot_dir(tmp_path) / "history-changes-zh.png"), full_page=True, caret="initial"
    )


def test_a_save_conflict_from_another_tab_says_so_and_what_changed(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    draft = make_menu(account, tree=LIVE, title="日常菜单", user=browser_user)
    editor_url = live_server.url + reverse("menu_edit", args=[draft.pk])
    page.goto(editor_url)
    other = page.context.new_page()  # the same person, another tab
    other.goto(editor_url)
    type_into(other, other.locator("#f-b-0-name"), "新商城")
    expect(other.locator("#save-status")).to_have_attribute("data-dirty", "true")
    other.locator("#save-button").click()
    expect(other.locator("#save-status")).to_have_attribute("data-dirty", "false")
    other.close()

    posted: list[str] = []
    page.on("request", lambda r: posted.append(r.post_data or "") if r.method == "POST" else None)
    type_into(page, page.locator("#f-b-1-name"), "关于我们")
    expect(page.locator("#save-status")).to_have_attribute("data-dirty", "true")
    assert posted and all("opened_tree" not in body for body in posted)  # keystrokes leave it out
    page.locator("#save-button").click()
    conflict = page.locator("#conflict")
    expect(conflict.locator("h2")).to_be_visible()
    assert "opened_tree" in posted[-1]  # the save carries the menu this page opened
    expect(conflict).not_to_contain_text("someone")
    expect(conflict.locator(".compare-changes li")).to_have_count(1)
    expect(conflict.locator(".compare-changes li")).to_contain_text("新商城")
    expect(conflict.locator(".compare-after .mark-changed")).to_contain_text("新商城")
    expect(page.locator("#f-b-1-name")).to_have_value("关于我们")  # the edits on this page stay

"""The editor around the phone, in Chromium: select a button in the phone and edit it beside the phone,
undo and redo anything, drag on a full menu, the phone and the action bar in view, the keyboard.

Set SCREENSHOTS=1 to write docs/screenshots/editor-selected-1280x720-zh.png and
editor-selected-768x1024-zh.png (a full 3 x 5 menu, in Chinese, a sub-button selected).
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from menueditor.models import Menu
from tests.browser.test_editor_browser import name_input, open_button, preview_item, type_into
from tests.browser.test_editor_failures import screenshot_dir
from tests.plugins.browser import BROWSER_PASSWORD
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

LAPTOP = {"width": 1280, "height": 720}
TABLET = {"width": 768, "height": 1024}
TABLET_LANDSCAPE = {"width": 1024, "height": 768}

FULL_MENU = {
    "button": [
        {
            "name": name,
            "sub_button": [
                {"type": "view", "name": sub, "url": f"https://example.com/{i}/{j}"}
                for j, sub in enumerate(subs)
            ],
        }
        for i, (name, subs) in enumerate(
            [
                ("新品推荐", ["樱花季限定", "本周特惠", "新品试饮", "门店查询", "线上点单"]),
                ("会员俱乐部", ["我的会员卡", "积分商城", "每日签到", "生日礼遇", "会员权益"]),
                ("关于我们", ["品牌故事", "加盟合作", "招贤纳士", "联系客服", "常见问题"]),
            ]
        )
    ]
}


def signed_in(browser, live_server, browser_user, viewport: dict, locale: str = "en-US") -> Page:
    context = browser.new_context(viewport=viewport, locale=locale)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", browser_user.username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))
    return page


@pytest.fixture
def errors_seen():
    """Pages whose script errors or CSP refusals fail the test (htmx's own log of a keystroke's
    preview replaced by the next one is not an error)."""
    errors: list[str] = []
    pages: list[Page] = []

    def watch(page: Page) -> Page:
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on(
            "console", lambda m: errors.append(m.text) if m.type == "error" and "Content" in m.text else None
        )
        pages.append(page)
        return page

    yield watch
    for page in pages:
        page.context.close()
    assert not errors, "errors in the browser:\n" + "\n".join(errors)


def open_full_menu(page: Page, live_server, browser_user, **account) -> Menu:
    menu = make_menu(make_account(members=(browser_user,), **account), tree=FULL_MENU, title="春季菜单")
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    return menu


def drag_with_the_mouse(page: Page, source, target, dx: float = 0.5, dy: float = 0.1) -> None:
    """Drag as a hand does: press on the source, move toward the target and, while it is off
    screen, hold the pointer near the edge so that the page scrolls (each move is a dragover)."""
    source.scroll_into_view_if_needed()
    box = source.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 4, box["y"] + box["height"] / 2 + 4, steps=2)
    height = page.viewport_size["height"]
    for _ in range(200):
        goal = target.bounding_box()
        top_edge = page.locator(".editor-head").bounding_box()
        head_bottom = top_edge["y"] + top_edge["height"] if top_edge else 0
        if goal["y"] < head_bottom + 50:
            page.mouse.move(goal["x"] + goal["width"] * dx, head_bottom + 10)
        elif goal["y"] + goal["height"] > height - 50:
            page.mouse.move(goal["x"] + goal["width"] * dx, height - 10)
        else:
            break
    goal = target.bounding_box()
    page.mouse.move(goal["x"] + goal["width"] * dx, goal["y"] + goal["height"] * dy, steps=4)
    page.mouse.up()


def top_names(page: Page):
    """The top-level buttons' names as the outline's summaries say them (the phone shortens long ones)."""
    return page.locator("#tree .btn-card.level-1 > .card-head .card-name")


def in_view(page: Page, selector: str) -> bool:
    box = page.locator(selector).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["y"] >= 0
        and box["x"] >= 0
        and box["y"] + box["height"] <= size["height"]
        and box["x"] + box["width"] <= size["width"]
    )


def settles_in_view(page: Page, selector: str, timeout: float = 5000) -> bool:
    """in_view once the page has settled: a focus scroll or a sticky column may still be moving."""
    try:
        page.wait_for_function(
            """selector => {
                const box = document.querySelector(selector)?.getBoundingClientRect();
                return !!box && box.top >= 0 && box.left >= 0
                    && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
            }""",
            arg=selector,
            timeout=timeout,
        )
    except PlaywrightTimeoutError:
        return False
    return True


@pytest.mark.parametrize(
    "viewport", [LAPTOP, TABLET, TABLET_LANDSCAPE], ids=["1280x720", "768x1024", "1024x768"]
)
def test_select_a_sub_button_in_the_phone_and_edit_it_with_the_phone_and_save_in_view(
    browser, live_server, browser_user, errors_seen, viewport
):
    page = errors_seen(signed_in(browser, live_server, browser_user, viewport))
    open_full_menu(page, live_server, browser_user)
    # The other buttons are one-line summaries: the fields of one button only are on screen.
    expect(page.locator("#tree .card-body:visible")).to_have_count(1)
    # The last sub-button, from the phone: its sub-menu opens, its fields open beside the phone.
    preview_item(page, "2").click()
    preview_item(page, "2.4").click()
    expect(name_input(page, "2.4")).to_be_focused()
    expect(page.locator("#card-2\\.4")).to_have_class(re.compile("is-selected"))
    expect(page.locator("#tree .card-body:visible")).to_have_count(1)
    expect(page.locator("#f-b-2-s-4-url")).to_be_visible()
    type_into(page, name_input(page, "2.4"), "帮助中心")
    expect(preview_item(page, "2.4")).to_have_text("帮助中心")
    expect(page.locator("#card-2\\.4 .card-name")).to_have_text("帮助中心")
    type_into(page, page.locator("#f-b-2-s-4-url"), "https://example.com/help")
    # Where the person is editing, the phone and Save are on screen too.
    assert settles_in_view(page, "#f-b-2-s-4-url")
    assert settles_in_view(page, "#phone-menu"), page.locator("#phone-menu").bounding_box()
    assert settles_in_view(page, "#save-button")
    assert settles_in_view(page, "#undo-button")
    # The whole editor of a full menu is at most two screens high (on the laptop and the tablet).
    height = page.evaluate("document.documentElement.scrollHeight")
    print(f"page height at {viewport['width']}x{viewport['height']}: {height} px")
    if viewport is not TABLET_LANDSCAPE:
        assert height <= 2 * viewport["height"], height
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    # Saved with the keyboard's Enter on Save: the focus stays on Save, the selection stays.
    page.locator("#save-button").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#save-status")).to_contain_text("revision 2")
    expect(page.locator("#save-button")).to_be_focused()
    expect(page.locator("#card-2\\.4")).to_have_class(re.compile("is-selected"))
    # A reload opens the same button.
    page.reload()
    expect(page.locator("#card-2\\.4")).to_have_class(re.compile("is-selected"))
    expect(page.locator("#f-b-2-s-4-url")).to_have_value("https://example.com/help")


def test_the_outline_selects_and_the_plus_slots_add_where_the_button_appears(
    browser, live_server, browser_user, errors_seen
):
    page = errors_seen(signed_in(browser, live_server, browser_user, LAPTOP))
    menu = make_menu(
        make_account(members=(browser_user,)),
        tree={"button": [{"name": "菜单", "sub_button": [{"type": "click", "name": "签到", "key": "S"}]}]},
    )
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    # A "+" at the end of the phone's bar adds a top-level button there, opened for its name.
    page.get_by_role("button", name="Add a button here").click()
    expect(page.locator("#phone-menu .pm-slot:not(.pm-add-slot)")).to_have_count(2)
    expect(name_input(page, "1")).to_be_focused()
    type_into(page, name_input(page, "1"), "客服")
    expect(preview_item(page, "1")).to_have_text("客服")
    # A "+" at the bottom of an open sub-menu adds a sub-button at its end.
    preview_item(page, "0").click()
    page.locator("#pm-sub-0").get_by_role("button", name="Add a sub-button here").click()
    expect(name_input(page, "0.1")).to_be_focused()
    expect(page.locator("#card-0\\.1")).to_have_class(re.compile("is-selected"))
    # The summary of a button says its name and what it does, in words.
    expect(page.locator("#card-0\\.0 .card-select")).to_contain_text("签到")
    expect(page.locator("#card-0\\.0 .card-select")).to_contain_text("Click (send key)")
    expect(page.locator("#card-0 .card-kind").first).to_have_text("sub-menu of 2")
    # A few Tabs from the top of the page reach the selected button's name field.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#save-status")).to_contain_text("revision 2")
    page.reload()
    expect(page.locator("#card-0\\.1")).to_have_class(re.compile("is-selected"))
    page.locator("body").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to the selected button")).to_be_focused()
    page.keyboard.press("Enter")
    expect(name_input(page, "0.1")).to_be_focused()


@pytest.mark.parametrize("viewport", [LAPTOP, TABLET], ids=["1280x720", "768x1024"])
def test_editor_screenshots_in_chinese(browser, live_server, browser_user, errors_seen, viewport, tmp_path):
    page = errors_seen(signed_in(browser, live_server, browser_user, viewport, locale="zh-CN"))
    open_full_menu(page, live_server, browser_user, name="星光咖啡")
    preview_item(page, "1").click()
    preview_item(page, "1.2").click()
    expect(name_input(page, "1.2")).to_be_focused()
    page.mouse.move(0, 0)
    page.evaluate("document.getElementById('card-1.2').scrollIntoView({block: 'center'})")
    target = screenshot_dir(tmp_path)
    page.screenshot(path=str(target / f"editor-selected-{viewport['width']}x{viewport['height']}-zh.png"))


def test_undo_and_redo_a_typed_name_a_removed_parent_and_more_than_fifty_steps(
    browser, live_server, browser_user, errors_seen
):
    page = errors_seen(signed_in(browser, live_server, browser_user, LAPTOP))
    open_full_menu(page, live_server, browser_user)
    undo, redo = page.locator("#undo-button"), page.locator("#redo-button")
    expect(undo).to_be_disabled()
    # A typed name, undone with the button and redone with the keyboard.
    type_into(page, name_input(page, "0"), "春季新品")
    expect(preview_item(page, "0")).to_have_text("春季新品")
    expect(undo).to_be_enabled()
    undo.click()
    expect(name_input(page, "0")).to_have_value("新品推荐")
    expect(preview_item(page, "0")).to_have_text("新品推荐")
    expect(page.locator("#card-0 .card-name").first).to_have_text("新品推荐")
    name_input(page, "0").focus()
    page.keyboard.press("Control+Shift+Z")
    expect(name_input(page, "0")).to_have_value("春季新品")
    expect(preview_item(page, "0")).to_have_text("春季新品")
    page.keyboard.press("Control+z")
    expect(name_input(page, "0")).to_have_value("新品推荐")
    page.keyboard.press("Control+y")
    expect(name_input(page, "0")).to_have_value("春季新品")

    # Removing a parent with its five sub-buttons: no question asked, a message says what went, with Undo.
    page.get_by_role("button", name="Remove button 2").click()
    message = page.locator("#editor-message")
    expect(message).to_contain_text("Removed button 2 (会员俱乐部) and its 5 sub-buttons.")
    expect(page.locator("#phone-menu .pm-item:not(.pm-add)")).to_have_count(2)
    message.get_by_role("button", name="Undo").click()
    expect(top_names(page)).to_have_text(["春季新品", "会员俱乐部", "关于我们"])
    expect(page.locator("#card-1 .sub-list > li")).to_have_count(5)
    expect(name_input(page, "1.4")).to_have_value("会员权益")
    expect(name_input(page, "0")).to_have_value("春季新品")  # the typing before it stays
    redo.click()
    expect(top_names(page)).to_have_text(["春季新品", "关于我们"])
    undo.click()
    expect(page.locator("#phone-menu .pm-item:not(.pm-add)")).to_have_count(3)

    # Sixty steps (typed names and moves), then every one of them undone back to the menu as it was opened.
    for n in range(30):
        type_into(page, name_input(page, "2"), f"关于{n}")
        expect(preview_item(page, "2")).to_have_text(f"关于{n}")
        page.wait_for_timeout(650)  # a pause in typing closes the step
        # The two last buttons swap places: the one just named comes second.
        page.locator("#mv-up-2" if n % 2 == 0 else "#mv-down-1").click()
        expect(top_names(page)).to_have_text(["春季新品", f"关于{n}", f"关于{n - 1}" if n else "会员俱乐部"])
    for _ in range(62):  # sixty, the name typed, and the removal undone and redone above count too
        if undo.is_disabled():
            break
        undo.click()
    expect(undo).to_be_disabled()
    expect(top_names(page)).to_have_text(["新品推荐", "会员俱乐部", "关于我们"])
    expect(page.locator("#save-status")).not_to_contain_text("Unsaved")
    # ...and redone again to the last one.
    for _ in range(62):
        if redo.is_disabled():
            break
        redo.click()
    expect(top_names(page)).to_have_text(["春季新品", "关于29", "关于28"])


def test_an_import_and_a_discard_say_so_with_an_undo(browser, live_server, browser_user, errors_seen):
    page = errors_seen(signed_in(browser, live_server, browser_user, LAPTOP))
    menu = open_full_menu(page, live_server, browser_user)
    type_into(page, name_input(page, "0"), "改过的名字")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.type), d.dismiss()))
    # An import replaces the whole menu on screen: said, with an Undo that brings it back.
    page.locator(".import-export summary").click()
    page.fill("#import-text", '{"button": [{"type": "click", "name": "唯一", "key": "ONLY"}]}')
    page.get_by_role("button", name="Import into the form").click()
    message = page.locator("#editor-message")
    expect(message).to_contain_text("Imported 1 top-level buttons")
    expect(page.locator("#phone-menu .pm-item:not(.pm-add)")).to_have_count(1)
    message.get_by_role("button", name="Undo").click()
    expect(page.locator("#phone-menu .pm-item:not(.pm-add)")).to_have_count(3)
    expect(name_input(page, "0")).to_have_value("改过的名字")
    # Discarding the unsaved edits: no question, the saved draft back, and an Undo.
    page.get_by_role("button", name="Discard changes").click()
    expect(message).to_contain_text("Your unsaved edits were discarded.")
    expect(name_input(page, "0")).to_have_value("新品推荐")
    expect(page.locator("#save-status")).not_to_contain_text("Unsaved")
    message.get_by_role("button", name="Undo").click()
    expect(name_input(page, "0")).to_have_value("改过的名字")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    assert dialogs == []
    menu.refresh_from_db()
    assert menu.revision == 1  # nothing of it was saved


def test_drag_a_sub_button_to_another_parent_on_a_full_menu_on_a_tablet(
    browser, live_server, browser_user, errors_seen
):
    page = errors_seen(signed_in(browser, live_server, browser_user, TABLET))
    menu = open_full_menu(page, live_server, browser_user)
    # Into a full sub-menu: refused, and said.
    drag_with_the_mouse(
        page, page.locator("#card-0\\.1 .drag-handle"), page.locator("#card-2\\.2 > .card-head")
    )
    expect(page.locator("#editor-message")).to_contain_text("already holds 5")
    expect(page.locator("#card-2 .sub-list > li")).to_have_count(5)
    # Room made in button 3's sub-menu, sub-button 1.2 goes there by its handle, between 3.2 and 3.3.
    page.get_by_role("button", name="Remove sub-button 3.5").click()
    expect(page.locator("#card-2 .sub-list > li")).to_have_count(4)
    drag_with_the_mouse(
        page, page.locator("#card-0\\.1 .drag-handle"), page.locator("#card-2\\.2 > .card-head")
    )
    expect(page.locator("#card-2 .sub-list > li")).to_have_count(5)
    expect(page.locator("#card-0 .sub-list > li")).to_have_count(4)
    expect(name_input(page, "2.2")).to_have_value("本周特惠")
    expect(page.locator("#card-2\\.2")).to_have_class(re.compile("is-selected"))
    # ...and in the phone: 3.3 back into button 1's sub-menu, dropped on its bar item.
    if not preview_item(page, "2.2").is_visible():  # the answer may have opened it already
        preview_item(page, "2").click()
    preview_item(page, "2.2").drag_to(preview_item(page, "0"))
    expect(name_input(page, "0.4")).to_have_value("本周特惠")
    # The keyboard's move controls are there too: 1.5 up one.
    open_button(page, "0.4")
    page.get_by_role("button", name="Move sub-button 1.5 up").click()
    expect(name_input(page, "0.3")).to_have_value("本周特惠")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#save-status")).to_contain_text("revision 2")
    menu.refresh_from_db()
    assert [s["name"] for s in menu.tree["button"][0]["sub_button"]] == [
        "樱花季限定",
        "新品试饮",
        "门店查询",
        "本周特惠",
        "线上点单",
    ]


def test_drag_a_top_level_button_of_a_full_menu_on_a_laptop(browser, live_server, browser_user, errors_seen):
    page = errors_seen(signed_in(browser, live_server, browser_user, LAPTOP))
    open_full_menu(page, live_server, browser_user)
    open_button(page, "2.4")  # the last sub-button open: the outline is at its longest
    # Button 3 by its handle, before button 1: the card above it is a line, not a screen.
    assert not in_view(page, "#card-0 > .card-head")  # above the screen: the drag scrolls up to it
    drag_with_the_mouse(
        page, page.locator("#card-2 > .card-head .drag-handle"), page.locator("#card-0 > .card-head")
    )
    expect(top_names(page)).to_have_text(["关于我们", "新品推荐", "会员俱乐部"])
    expect(page.locator("#card-0 .sub-list > li")).to_have_count(5)
    # In the phone's bar too: button 1 after button 3.
    preview_item(page, "0").drag_to(preview_item(page, "2"), target_position={"x": 90, "y": 20})
    expect(top_names(page)).to_have_text(["新品推荐", "会员俱乐部", "关于我们"])


def test_a_summary_counts_the_buttons_problems_as_one_types(browser, live_server, browser_user, errors_seen):
    page = errors_seen(signed_in(browser, live_server, browser_user, LAPTOP))
    open_full_menu(page, live_server, browser_user)
    type_into(page, page.locator("#f-b-0-s-1-url"), "example.com")  # no http(s)://: a problem
    expect(page.locator("#prob-b-0-s-1-url")).not_to_be_empty()
    status = page.locator("#card-0\\.1 .card-status")
    expect(status).to_have_text("Problems: 1")
    type_into(page, page.locator("#f-b-0-s-1-url"), "https://example.com/")
    expect(status).to_have_count(0)

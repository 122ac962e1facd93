"""The editor in Chromium, driven as a person would: keyboard, mouse, drag and drop.

Set SCREENSHOTS=1 to write docs/screenshots/editor-wechat.png and editor-weibo.png (1366x900).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.tree import parse_menu
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def name_input(page: Page, path: str):
    parts = path.split(".")
    key = f"b-{parts[0]}" if len(parts) == 1 else f"b-{parts[0]}-s-{parts[1]}"
    return page.locator(f"#f-{key}-name")


def preview_item(page: Page, path: str):
    return page.locator(f'#phone-menu [data-path="{path}"]')


def open_button(page: Page, path: str) -> None:
    """Pick a button's one-line summary in the outline: its fields open under it."""
    page.locator(f'#tree .card-select[data-select="{path}"]').click()
    expect(name_input(page, path)).to_be_focused()


def type_into(page: Page, locator, text: str) -> None:
    """Type into a field as a person does: a collapsed button is opened from its summary first
    (once the last answer has settled: until then the redrawn outline still shows the old selection)."""
    expect(page.locator(".htmx-settling")).to_have_count(0)
    if not locator.is_visible():
        open_button(page, locator.evaluate("e => e.closest('.btn-card').dataset.path"))
    locator.click()
    locator.press("Control+a")
    locator.press("Delete")
    locator.press_sequentially(text, delay=15)


MENU = [
    ("新品", ["樱花拿铁", "本周特惠", "新品试饮", "门店查询", "线上点单"]),
    ("会员", ["会员卡", "积分商城", "每日签到", "生日礼遇", "会员权益"]),
    ("关于", ["品牌故事", "加盟合作", "招贤纳士", "联系客服", "常见问题"]),
]


def test_build_a_full_menu_type_drag_save_and_publish(
    signed_in_page: Page, live_server, browser_user, simulator
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="星光咖啡", api_base=simulator.url)
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("button", name="Start a draft").click()
    page.wait_for_url(re.compile(r"/menus/\d+/$"))
    menu = Menu.objects.get(account=account)

    # Three parents with five sub-buttons each, built from the keyboard and the add buttons.
    for i, (top, subs) in enumerate(MENU):
        if i:
            page.get_by_role("button", name="+ Add a button").click()
            expect(name_input(page, str(i))).to_be_focused()
        type_into(page, name_input(page, str(i)), top)
        # The preview follows the typing, and the cursor stays in the field.
        expect(preview_item(page, str(i))).to_have_text(top)
        expect(name_input(page, str(i))).to_be_focused()
        assert page.evaluate("document.activeElement.selectionStart") == len(top)
        page.locator(f"#card-{i}").get_by_role("button", name="Give it a sub-menu").click()
        for j, sub in enumerate(subs):
            if j:
                page.locator(f"#add-sub-{i}").click()
            field = name_input(page, f"{i}.{j}")
            expect(field).to_be_focused()
            type_into(page, field, sub)
            if j == 0:  # the first sub-button carries what the button did before: a click
                # A type change redraws the button's fields: wait for it, as a person sees it.
                with page.expect_response(lambda r: r.url.endswith("/structure/")):
                    page.select_option(f"#f-b-{i}-s-{j}-type", "view")
            url = page.locator(f"#f-b-{i}-s-{j}-url")
            type_into(page, url, f"https://example.com/{i}/{j}")
            expect(page.locator(f"#use-b-{i}-s-{j}-url")).to_have_text(
                f"{len(f'https://example.com/{i}/{j}')}/1024 bytes"
            )
        expect(page.locator(f"#add-sub-{i}")).to_be_disabled()
        expect(page.locator(f"#card-{i}")).to_contain_text("A sub-menu holds at most 5 buttons.")
    expect(page.locator("#add-top")).to_be_disabled()
    expect(page.locator("#add-top-why")).to_have_text("WeChat menus hold at most 3 buttons.")
    expect(page.locator("#phone-menu .pm-slot")).to_have_count(3)
    expect(page.locator("#problems-title")).to_contain_text("WeChat accepts this menu")

    # Clicking a parent in the preview opens its sub-menu and selects it in the form.
    preview_item(page, "1").click()
    expect(page.locator('#phone-menu .pm-slot[data-slot="1"]')).to_have_class(re.compile("is-open"))
    expect(name_input(page, "1")).to_be_focused()
    preview_item(page, "1.2").click()
    expect(name_input(page, "1.2")).to_be_focused()
    # ...and picking a button's summary in the outline opens it there and highlights it in the preview.
    open_button(page, "2.3")
    expect(preview_item(page, "2.3")).to_have_class(re.compile("is-selected"))

    # A name too long for the platform: the problem shows beside the field as one types.
    long_name = "这是一个特别特别长的子菜单名字已经超过六十个字节"
    open_button(page, "0.1")
    type_into(page, name_input(page, "0.1"), long_name)
    problem = page.locator("#prob-b-0-s-1-name")
    expect(problem).to_contain_text("at most 60 bytes")
    expect(page.locator("#use-b-0-s-1-name")).to_have_class(re.compile("over"))
    expect(name_input(page, "0.1")).to_be_focused()
    expect(preview_item(page, "0.1")).to_have_text(get_platform("wechat").display_name(long_name, 2))
    expect(page.locator("#publish-why")).to_have_text("Save first")
    type_into(page, name_input(page, "0.1"), "本周特惠")
    expect(problem).to_be_empty()

    # Drag and drop in the form: sub-button 1.3 by its handle to the top of its sub-menu...
    page.evaluate("document.getElementById('card-0.1').scrollIntoView({block: 'center'})")
    page.locator("#card-0\\.2 .drag-handle").drag_to(
        page.locator("#card-0\\.0 .card-head"), target_position={"x": 80, "y": 2}
    )
    expect(name_input(page, "0.0")).to_have_value("新品试饮")
    expect(preview_item(page, "0.0")).to_have_text("新品试饮")
    # ...and in the phone: button 3 before button 1 in the menu bar...
    preview_item(page, "2").drag_to(preview_item(page, "0"), target_position={"x": 4, "y": 20})
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["关于", "新品", "会员"])
    expect(name_input(page, "0")).to_have_value("关于")
    # ...and a sub-button into another parent's sub-menu (after making room there).
    page.get_by_role("button", name="Remove sub-button 3.5").click()
    expect(page.locator("#card-2 .sub-list > li")).to_have_count(4)
    preview_item(page, "1").click()
    expect(preview_item(page, "1.0")).to_be_visible()
    preview_item(page, "1.0").drag_to(preview_item(page, "2"))
    expect(name_input(page, "2.4")).to_have_value("新品试饮")
    expect(page.locator("#card-2 .sub-list > li")).to_have_count(5)
    expect(page.locator("#card-1 .sub-list > li")).to_have_count(4)
    # The arrow buttons do the same from the keyboard.
    page.get_by_role("button", name="Move button 2 right").focus()
    page.keyboard.press("Enter")
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["关于", "会员", "新品"])
    expect(page.locator("#mv-down-2")).to_be_disabled()
    expect(page.locator("#mv-up-2")).to_be_focused()  # the moved button, now last

    # Save: the draft is kept, the status says so, publishing becomes possible.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#save-status")).to_contain_text("Saved · revision 2")
    expect(page.locator("#editor-message")).to_have_text("Saved.")
    menu.refresh_from_db()
    tree = parse_menu(menu.tree)
    assert [b.name for b in tree.buttons] == ["关于", "会员", "新品"]
    assert [len(b.children) for b in tree.buttons] == [5, 5, 4]
    assert get_platform("wechat").errors(tree) == []

    # Publish: review what changes, confirm, see the outcome without leaving the page.
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text("Publish to 星光咖啡?")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator("#publish-panel h2")).to_have_text("Published")
    expect(page.locator("#publish-panel")).to_contain_text("5 minutes")
    assert simulator.wechat_menu["button"][0]["name"] == "关于"
    assert Publication.objects.get(menu=menu).outcome == "success"

    # History: the publication is there with its own preview; restoring it opens a new draft.
    page.get_by_role("link", name="See it in the history").click()
    entry = page.locator("ol.history > li").first
    expect(entry).to_contain_text("Publish")
    expect(entry).to_contain_text("Succeeded")
    expect(entry).to_contain_text("关于")
    entry.get_by_role("button", name="Restore into a new draft").click()
    page.wait_for_url(re.compile(r"/menus/\d+/$"))
    restored = Menu.objects.exclude(pk=menu.pk).get(account=account)
    assert page.url.endswith(reverse("menu_edit", args=[restored.pk]))
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["关于", "会员", "新品"])
    assert parse_menu(restored.tree).to_json() == simulator.wechat_menu


def test_leaving_with_unsaved_changes_asks_first(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    account = make_account(members=(browser_user,))
    menu = make_menu(account)
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    type_into(page, name_input(page, "0"), "改过了")
    expect(page.locator("#save-status")).to_have_text("Unsaved changes")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.get_by_role("link", name="Accounts").first.click()
    page.wait_for_timeout(300)
    assert dialogs == ["beforeunload"]
    assert "/menus/" in page.url


def test_keyboard_toggle_swaps_the_menu_bar_for_the_text_box(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,), platform="weibo"))
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    page.locator(".pm-kbd").click()
    expect(page.locator(".pm-input")).to_be_visible()
    expect(page.locator("#phone-menu")).to_be_hidden()
    page.keyboard.press("Enter")  # focus is on the list button, which brings the menu back
    expect(page.locator("#phone-menu")).to_be_visible()


def test_tablet_width_stacks_and_fits(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    for width in (1366, 1024, 800):
        page.set_viewport_size({"width": width, "height": 768})
        page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal scroll at {width}px"


SCREENSHOT_MENUS = {
    "wechat": (
        "星光咖啡",
        {
            "button": [
                {
                    "name": "新品推荐",
                    "sub_button": [
                        {"type": "view", "name": "樱花季限定", "url": "https://example.com/spring"},
                        {"type": "click", "name": "本周特惠", "key": "WEEKLY_DEALS"},
                        {"type": "view", "name": "新品试饮报名", "url": "https://example.com/trial"},
                        {"type": "location_select", "name": "附近门店", "key": "NEAR_STORES"},
                        {
                            "type": "miniprogram",
                            "name": "小程序点单",
                            "url": "https://example.com/order",
                            "appid": "wx286b93c14bbf93aa",
                            "pagepath": "pages/order/index",
                        },
                    ],
                },
                {
                    "name": "会员俱乐部",
                    "sub_button": [
                        {"type": "view", "name": "我的会员卡", "url": "https://example.com/card"},
                        {"type": "view", "name": "积分商城", "url": "https://example.com/mall"},
                        {"type": "click", "name": "每日签到", "key": "SIGN_IN"},
                        {"type": "view", "name": "生日礼遇", "url": "https://example.com/birthday"},
                    ],
                },
                {"type": "click", "name": "联系客服", "key": "CONTACT"},
            ]
        },
        0,
    ),
    "weibo": (
        "城市旅行指南",
        {
            "button": [
                {
                    "name": "目的地",
                    "sub_button": [
                        {"type": "view", "name": "国内热门城市", "url": "https://example.com/cn"},
                        {"type": "view", "name": "出境游攻略", "url": "https://example.com/abroad"},
                        {"type": "view", "name": "周末去哪儿", "url": "https://example.com/weekend"},
                    ],
                },
                {
                    "name": "优惠活动",
                    "sub_button": [
                        {"type": "click", "name": "限时折扣", "key": "SALE"},
                        {"type": "click", "name": "转发抽奖", "key": "LOTTERY"},
                        {"type": "view", "name": "酒店特价预订", "url": "https://example.com/hotels"},
                    ],
                },
                {"type": "view", "name": "关于我们", "url": "https://example.com/about"},
            ]
        },
        1,
    ),
}


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_editor_screenshots(signed_in_page: Page, live_server, browser_user, platform, tmp_path):
    page = signed_in_page
    name, tree, open_index = SCREENSHOT_MENUS[platform]
    account = make_account(members=(browser_user,), platform=platform, name=name)
    menu = make_menu(account, tree=tree, title="春季菜单")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    preview_item(page, str(open_index)).click()
    expect(page.locator(f'#phone-menu .pm-slot[data-slot="{open_index}"]')).to_have_class(
        re.compile("is-open")
    )
    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    target = DOCS if os.environ.get("SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / f"editor-{platform}.png"))
    # The open sub-menu stays on the phone's screen, whatever the slot.
    phone = page.locator("#phone").bounding_box()
    panel = page.locator(f"#pm-sub-{open_index}").bounding_box()
    assert phone["x"] <= panel["x"] and panel["x"] + panel["width"] <= phone["x"] + phone["width"]


def test_pinyin_being_composed_is_not_previewed(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    field = name_input(page, "0")
    field.click()
    field.press("Control+a")
    field.press("Delete")
    expect(preview_item(page, "0")).to_have_text("(no name)")
    # An input method composing 今 from "jin", as a Chinese keyboard does.
    cdp = page.context.new_cdp_session(page)
    cdp.send("Input.imeSetComposition", {"text": "jin", "selectionStart": 3, "selectionEnd": 3})
    page.wait_for_timeout(400)
    expect(preview_item(page, "0")).to_have_text("(no name)")
    cdp.send("Input.insertText", {"text": "今"})
    expect(preview_item(page, "0")).to_have_text("今")
    expect(page.locator("#use-b-0-name")).to_have_text("3/16 bytes")
    expect(field).to_be_focused()


def test_typing_during_a_slow_structural_edit_loses_neither(signed_in_page: Page, live_server, browser_user):
    page = signed_in_page
    menu = make_menu(make_account(members=(browser_user,)))
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))

    def slow(route):
        page.wait_for_timeout(400)  # a slow network: the keystroke's preview goes out meanwhile
        route.continue_()

    open_button(page, "1")
    page.route("**/structure/", slow)
    page.locator("#add-sub-1").click()
    page.locator("#f-title").press_sequentially("春", delay=0)
    expect(page.locator("#card-1 .sub-list > li")).to_have_count(3)
    expect(preview_item(page, "1.2")).to_be_attached()
    expect(page.locator("#f-title")).to_have_value(re.compile("春"))

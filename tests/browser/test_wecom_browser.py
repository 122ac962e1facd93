"""WeCom in Chromium: an application added in the admin by a superuser, then a draft edited,
previewed in WeCom's own look, published to the simulator, pulled into a new draft and the live menu
deleted, with the simulator's state checked at each step.

Set SCREENSHOTS=1 to write docs/screenshots/editor-wecom.png (1366x900).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from accounts.models import Account
from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.tree import parse_menu
from simulator import DEFAULT_AGENTID, DEFAULT_CORPID, DEFAULT_CORPSECRET
from tests.plugins.browser import BROWSER_PASSWORD, LAPTOP
from tests.plugins.factories import make_account, make_menu, make_user

pytestmark = pytest.mark.django_db(transaction=True)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
# WeCom's accent, as phone.css draws it (rgb of #2b7cf6).
WECOM_BLUE = "rgb(43, 124, 246)"

SCREENSHOT_MENU = {
    "button": [
        {
            "name": "工作台",
            "sub_button": [
                {"type": "view", "name": "今日待办", "url": "https://example.com/todo"},
                {"type": "scancode_waitmsg", "name": "扫码签到", "key": "CHECK_IN"},
                {"type": "pic_photo_or_album", "name": "上传报销单据", "key": "RECEIPTS"},
                {"type": "location_select", "name": "外勤打卡", "key": "FIELD_WORK"},
                {
                    "type": "view_miniprogram",
                    "name": "会议室预订",
                    "appid": "wx286b93c14bbf93aa",
                    "pagepath": "pages/rooms/index",
                },
            ],
        },
        {
            "name": "人事服务",
            "sub_button": [
                {"type": "view", "name": "请假申请", "url": "https://example.com/leave"},
                {"type": "view", "name": "工资条", "url": "https://example.com/payslip"},
            ],
        },
        {"type": "click", "name": "联系IT", "key": "IT_HELP"},
    ]
}


def name_input(page: Page, path: str):
    parts = path.split(".")
    key = f"b-{parts[0]}" if len(parts) == 1 else f"b-{parts[0]}-s-{parts[1]}"
    return page.locator(f"#f-{key}-name")


def preview_item(page: Page, path: str):
    return page.locator(f'#phone-menu [data-path="{path}"]')


def type_into(page: Page, locator, text: str) -> None:
    locator.click()
    locator.press("Control+a")
    locator.press("Delete")
    locator.press_sequentially(text, delay=15)


def accent_of(page: Page) -> str:
    return page.evaluate("getComputedStyle(document.getElementById('phone')).getPropertyValue('--ph-accent')")


def test_the_wecom_editor_draws_wecoms_app_chat(signed_in_page: Page, live_server, browser_user, tmp_path):
    page = signed_in_page
    account = make_account(
        members=(browser_user,),
        platform="wecom",
        name="星光科技 · 员工服务",
        app_id=DEFAULT_CORPID,
        agent_id=DEFAULT_AGENTID,
        app_secret=DEFAULT_CORPSECRET,
    )
    menu = make_menu(account, tree=SCREENSHOT_MENU, title="春季菜单")
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    preview_item(page, "0").click()
    expect(page.locator('#phone-menu .pm-slot[data-slot="0"]')).to_have_class(re.compile("is-open"))

    expect(page.locator("#phone")).to_have_class(re.compile(r"\bphone-wecom\b"))
    assert accent_of(page).strip() == "#2b7cf6"
    expect(preview_item(page, "0")).to_have_css("color", WECOM_BLUE)  # the selected item
    expect(page.locator("#phone-menu .pm-list-icon i").first).to_have_css("background-color", WECOM_BLUE)
    expect(page.locator("#phone-menu .pm-slot")).to_have_count(3)
    expect(page.locator("#problems-title")).to_contain_text("WeCom accepts this menu")
    # Five sub-items raised above their item, and the panel stays on the phone's screen.
    expect(page.locator("#pm-sub-0 .pm-sub-item")).to_have_count(5)
    phone = page.locator("#phone").bounding_box()
    panel = page.locator("#pm-sub-0").bounding_box()
    item = preview_item(page, "0").bounding_box()
    assert phone["x"] <= panel["x"] and panel["x"] + panel["width"] <= phone["x"] + phone["width"]
    assert panel["y"] + panel["height"] <= item["y"]

    page.mouse.move(0, 0)
    page.evaluate("window.scrollTo(0, 0)")
    target = DOCS if os.environ.get("SCREENSHOTS") else tmp_path
    target.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(target / "editor-wecom.png"))


def sign_in_to_the_admin(browser, live_server, username: str) -> Page:
    context = browser.new_context(viewport=LAPTOP, locale="en-US")
    context.set_default_timeout(10_000)
    admin = context.new_page()
    admin.goto(live_server.url + reverse("admin:login") + "?next=" + reverse("admin:index"))
    admin.fill("#id_username", username)
    admin.fill("#id_password", BROWSER_PASSWORD)
    admin.locator("input[type=submit]").click()
    admin.wait_for_url(live_server.url + reverse("admin:index"))
    return admin


def test_a_wecom_application_from_the_admin_to_a_deleted_live_menu(
    browser, signed_in_page: Page, live_server, browser_user, simulator
):
    wecom = simulator.sides["wecom"]

    # A superuser adds the application in the admin: platform first, then WeCom's own fields.
    make_user(username="root", superuser=True, password=BROWSER_PASSWORD)
    admin = sign_in_to_the_admin(browser, live_server, "root")
    admin.goto(live_server.url + reverse("admin:accounts_account_add"))
    admin.get_by_role("link", name="WeCom application").click()
    expect(admin.get_by_label("Corp ID")).to_be_visible()
    expect(admin.locator("#id_token_mode")).to_have_count(0)  # WeChat's, not WeCom's
    admin.fill("#id_name", "员工服务")
    admin.fill("#id_slug", "staff-services")
    admin.get_by_label("Corp ID").fill(DEFAULT_CORPID)
    admin.get_by_label("Agent ID").fill(str(DEFAULT_AGENTID))
    admin.locator("#id_set_app_secret_0").fill(DEFAULT_CORPSECRET)
    admin.fill("#id_api_base", f"{simulator.url}/wecom")
    admin.select_option("#id_members_from", label=browser_user.username)
    admin.locator("#id_members_add").click()
    admin.locator("input[name=_save]").click()
    expect(admin.locator(".messagelist")).to_contain_text("was added successfully")
    account = Account.objects.get(slug="staff-services")
    assert (account.platform, account.app_id, account.agent_id, account.app_secret) == (
        "wecom",
        DEFAULT_CORPID,
        DEFAULT_AGENTID,
        DEFAULT_CORPSECRET,
    )
    assert list(account.members.all()) == [browser_user]
    admin.goto(live_server.url + reverse("admin:accounts_account_change", args=[account.pk]))
    expect(admin.get_by_label("Agent ID")).to_have_value(str(DEFAULT_AGENTID))
    assert DEFAULT_CORPSECRET not in admin.content()  # the secret is never shown back
    admin.context.close()

    # The marketer starts a draft and edits it; the phone is WeCom's.
    page = signed_in_page
    page.goto(live_server.url + reverse("home"))
    card = page.locator("section.account", has_text="员工服务")
    expect(card.locator(".badge")).to_have_text("WeCom application")
    card.get_by_role("button", name="Start a draft").click()
    page.wait_for_url(re.compile(r"/menus/\d+/$"))
    menu = Menu.objects.get(account=account)
    expect(page.locator("#phone")).to_have_class(re.compile(r"\bphone-wecom\b"))
    assert accent_of(page).strip() == "#2b7cf6"
    type_into(page, name_input(page, "0"), "工作台")
    page.locator("#card-0").get_by_role("button", name="Give it a sub-menu").click()
    field = name_input(page, "0.0")
    expect(field).to_be_focused()
    # WeCom's sub-button names hold 40 bytes (WeChat's 60): 14 Chinese characters are too many.
    type_into(page, field, "会议室预订会议室预订会议室预")
    expect(page.locator("#prob-b-0-s-0-name")).to_contain_text("at most 40 bytes")
    type_into(page, field, "会议室预订")
    expect(page.locator("#prob-b-0-s-0-name")).to_be_empty()
    page.select_option("#f-b-0-s-0-type", "view_miniprogram")
    type_into(page, page.locator("#f-b-0-s-0-appid"), "wx286b93c14bbf93aa")
    type_into(page, page.locator("#f-b-0-s-0-pagepath"), "pages/rooms/index")
    page.get_by_role("button", name="+ Add a button").click()
    type_into(page, name_input(page, "1"), "联系IT")
    type_into(page, page.locator("#f-b-1-url"), "https://example.com/it")  # a new button opens a page
    expect(page.locator("#problems-title")).to_contain_text("WeCom accepts this menu")
    preview_item(page, "0").click()
    expect(preview_item(page, "0.0")).to_have_text("会议室预订")
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["工作台", "联系IT"])

    # Saved and published to the simulator's WeCom application.
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    page.get_by_role("button", name="Publish…").click()
    expect(page.locator("#publish-panel")).to_contain_text("Publish to 员工服务?")
    page.get_by_role("button", name="Publish now").click()
    expect(page.locator("#publish-panel h2")).to_have_text("Published")
    expect(page.locator("#publish-panel")).to_contain_text("WeCom documents no delay")
    menu.refresh_from_db()
    published = wecom.menu_for()
    assert published == json_of(menu)
    assert published["button"][0]["sub_button"][0] == {
        "type": "view_miniprogram",
        "name": "会议室预订",
        "appid": "wx286b93c14bbf93aa",
        "pagepath": "pages/rooms/index",
    }
    (create,) = simulator.requests_to("/wecom/cgi-bin/menu/create")
    assert create.query["agentid"] == str(DEFAULT_AGENTID)
    assert Publication.objects.get(menu=menu, action="publish").outcome == "success"

    # Pulled into a new draft: the live menu as it is.
    page.goto(live_server.url + reverse("home"))
    card.get_by_role("button", name="Pull the live menu").click()
    page.wait_for_url(re.compile(r"/menus/\d+/$"))
    pulled = Menu.objects.exclude(pk=menu.pk).get(account=account)
    assert page.url.endswith(reverse("menu_edit", args=[pulled.pk]))
    assert json_of(pulled) == wecom.menu_for()
    assert simulator.requests_to("/wecom/cgi-bin/menu/get")
    expect(page.locator("#phone-menu .pm-item .pm-name")).to_have_text(["工作台", "联系IT"])

    # The live menu deleted, after confirmation; the history says so.
    page.goto(live_server.url + reverse("home"))
    card.get_by_role("link", name="Delete live menu").click()
    page.get_by_role("button", name="Delete the live menu").click()
    page.wait_for_url(live_server.url + reverse("account_history", args=[account.slug]))
    assert wecom.menu_for() is None
    assert simulator.requests_to("/wecom/cgi-bin/menu/delete")[0].query["agentid"] == str(DEFAULT_AGENTID)
    expect(page.locator("ol.history > li").first).to_contain_text("Delete")
    assert [p.action for p in Publication.objects.filter(account=account).order_by("pk")] == [
        "publish",
        "pull",
        "delete",
    ]


def json_of(menu: Menu) -> dict:
    """The draft as publishing sends it."""
    return get_platform(menu.account.platform).payload(parse_menu(menu.tree))

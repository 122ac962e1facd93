"""Conditional menus in Chromium: a draft for a tag, published after the default menu, the live set,
"what does this follower see?" for a tagged follower and an untagged one, and deleting it.

Set SCREENSHOTS=1 to write docs/screenshots/live-set-zh.png (the live set in Chinese, with trymatch).
"""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect

from menueditor.models import Menu, Publication
from menueditor.publishing import publish_menu
from tests.browser.test_editor_failures import screenshot_dir
from tests.browser.test_schedule_browser import chinese_page  # noqa: F401  (a fixture)
from tests.plugins.factories import make_account, make_menu

pytestmark = pytest.mark.django_db(transaction=True)

VIP_MENU = {
    "button": [
        {"type": "view", "name": "会员专享", "url": "https://vip.example.com/"},
        {
            "name": "会员服务",
            "sub_button": [
                {"type": "click", "name": "积分查询", "key": "POINTS"},
                {"type": "view", "name": "生日礼", "url": "https://vip.example.com/gift"},
            ],
        },
    ]
}


@pytest.fixture
def tagged(simulator):
    simulator.add_wechat_tag("100", "VIP会员")
    simulator.add_wechat_tag("101", "员工")
    simulator.tag_follower("o-vip", "100", client_platform_type="1")
    simulator.tag_follower("o-staff", "101")
    simulator.tag_follower("o-plain")
    return simulator


def publish_from_editor(page: Page, live_server, menu: Menu) -> None:
    page.goto(live_server.url + reverse("menu_edit", args=[menu.pk]))
    page.get_by_role("button", name="Publish…").click()
    panel = page.locator("#publish-panel")
    expect(panel.locator("h2")).to_contain_text("Publish to")
    page.locator("#publish-confirm").click()
    expect(panel.locator("h2")).to_have_text("Published")


def test_a_conditional_menu_for_a_tag_from_draft_to_deletion(
    signed_in_page: Page, live_server, browser_user, tagged
):
    page = signed_in_page
    account = make_account(members=(browser_user,), name="咖啡俱乐部", api_base=tagged.url)
    default = make_menu(account, title="日常菜单", user=browser_user)
    vip = make_menu(account, title="会员菜单", tree=VIP_MENU, user=browser_user)

    # The draft is for followers tagged VIP会员: chosen beside the editor, said in the phone.
    page.goto(live_server.url + reverse("menu_edit", args=[vip.pk]))
    rule = page.locator("#match-rule")
    rule.get_by_label("Follower tag").select_option(label="VIP会员 (1 follower)")
    rule.get_by_role("button", name="Use this rule").click()
    expect(page.locator("#audience")).to_have_text("Seen by: Followers tagged “VIP会员” (1 follower)")

    # Before the default menu exists, the review says what the platform would refuse.
    page.get_by_role("button", name="Publish…").click()
    checks = page.locator("#publish-panel .conditional-checks")
    expect(checks).to_contain_text("publish a default menu")
    expect(checks).to_contain_text("65303")
    assert not tagged.requests_to("/cgi-bin/menu/addconditional")

    publish_from_editor(page, live_server, default)
    publish_from_editor(page, live_server, vip)
    [live] = tagged.wechat_conditional_menus
    assert live["matchrule"] == {"tag_id": "100"}

    # The live set, from the home page.
    page.goto(live_server.url + reverse("home"))
    page.get_by_role("link", name="Live menus").click()
    items = page.locator(".live-set-item")
    expect(items).to_have_count(2)
    expect(items.nth(0)).to_contain_text("Default menu")
    expect(items.nth(1)).to_contain_text(f"Conditional menu {live['menuid']}")
    expect(items.nth(1)).to_contain_text("Followers tagged “VIP会员” (1 follower)")

    # What does this follower see? The tagged one gets the VIP menu, the other the default.
    form = page.locator("#try-match")
    form.get_by_label("Follower's openid or WeChat ID").fill("o-vip")
    form.get_by_role("button", name="Show their menu").click()
    tried = page.locator("#tried")
    expect(tried).to_contain_text(
        f"Conditional menu {live['menuid']} matched: Followers tagged “VIP会员” (1 follower)"
    )
    expect(tried.locator(".phone")).to_contain_text("会员专享")
    page.locator("#try-match").get_by_label("Follower's openid or WeChat ID").fill("o-plain")
    page.locator("#try-match").get_by_role("button", name="Show their menu").click()
    expect(page.locator("#tried")).to_contain_text("No conditional menu matched")
    expect(page.locator("#tried .phone")).to_contain_text("今日歌曲")

    # Delete it: the default menu stays.
    page.locator(".live-set-item").nth(1).get_by_role("link", name="Delete…").click()
    expect(page.locator("main")).to_contain_text("It is shown to: Followers tagged “VIP会员” (1 follower)")
    page.get_by_role("button", name="Delete this conditional menu").click()
    expect(page.locator(".live-set-item")).to_have_count(1)
    expect(page.locator(".messages")).to_contain_text("The conditional menu was deleted")
    assert tagged.wechat_conditional_menus == [] and tagged.wechat_menu is not None
    assert Publication.objects.filter(
        action="delete", match_rule='{"tag_id":"100"}', outcome="success"
    ).exists()


def test_the_live_set_in_chinese(chinese_page, live_server, browser_user, tagged, tmp_path):  # noqa: F811
    page = chinese_page
    page.set_viewport_size({"width": 1366, "height": 1000})
    account = make_account(members=(browser_user,), name="咖啡俱乐部", api_base=tagged.url)
    assert publish_menu(make_menu(account, title="日常菜单"), browser_user).ok
    vip = make_menu(account, title="会员菜单", tree=VIP_MENU)
    vip.match_rule = {"tag_id": "100"}
    vip.save()
    assert publish_menu(vip, browser_user).ok
    staff = make_menu(
        account, title="员工菜单", tree={"button": [{"type": "click", "name": "内部通知", "key": "STAFF"}]}
    )
    staff.match_rule = {"tag_id": "101", "client_platform_type": "2"}
    staff.save()
    assert publish_menu(staff, browser_user).ok
    tagged.add_legacy_conditional_menu(
        {"button": [{"type": "click", "name": "男士专区", "key": "MEN"}]}, {"sex": "1"}
    )

    page.goto(live_server.url + reverse("live_set", args=[account.slug]) + "?user_id=o-vip")
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    expect(page.locator(".live-set-item")).to_have_count(4)
    expect(page.locator(".live-set-item.no-longer")).to_have_count(1)
    expect(page.locator("#tried .phone")).to_contain_text("会员专享")
    page.mouse.move(0, 0)
    page.screenshot(path=str(screenshot_dir(tmp_path) / "live-set-zh.png"), full_page=True, caret="initial")


def test_importing_an_addconditional_body_in_the_editor_sets_who_sees_the_draft(
    signed_in_page: Page, live_server, browser_user, tagged, tmp_path
):
    import json

    page = signed_in_page
    account = make_account(members=(browser_user,), name="咖啡俱乐部", api_base=tagged.url)
    draft = make_menu(account, title="日常菜单", user=browser_user)
    page.goto(live_server.url + reverse("menu_edit", args=[draft.pk]))
    expect(page.locator("#audience")).to_contain_text("the default menu")

    page.get_by_text("Import or export JSON").click()
    body = {"button": VIP_MENU["button"], "matchrule": {"tag_id": "101", "client_platform_type": "2"}}
    page.locator("#import-text").fill(json.dumps(body, ensure_ascii=False))
    page.locator("#import-button").click()

    # The buttons are in the form (unsaved), the rule is the draft's at once: panel and phone say so.
    expect(page.locator("#editor-message")).to_contain_text("The draft is now for: Followers tagged “员工”")
    who = "Followers tagged “员工” (1 follower), on Android"
    expect(page.locator("#audience")).to_have_text(f"Seen by: {who}")
    expect(page.locator("#match-rule .who")).to_have_text(who)
    expect(page.locator("#phone-menu")).to_contain_text("会员专享")
    page.screenshot(path=str(tmp_path / "import-rule.png"), full_page=True, caret="initial")
    with page.expect_response(lambda r: r.url.endswith("/save/") and r.request.method == "POST"):
        page.locator("#save-button").click()
    expect(page.locator("#save-status")).to_contain_text("Saved")
    draft.refresh_from_db()
    assert draft.match_rule == {"tag_id": "101", "client_platform_type": "2"}
    assert draft.tree["button"][0]["name"] == "会员专享"

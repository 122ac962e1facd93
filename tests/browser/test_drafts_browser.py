"""Managing drafts in Chromium, in Chinese: the account page from home, the live badge, rename,
duplicate, archive and restore, and the badge moving after a publish.

Set SCREENSHOTS=1 to write docs/screenshots/account-zh.png.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from menueditor.models import Menu
from menueditor.publishing import publish_menu
from tests.browser.test_editor_failures import screenshot_dir
from tests.browser.test_schedule_browser import chinese_page  # noqa: F401  (a fixture)
from tests.plugins.factories import make_account, make_menu
from tests.scheduling.conftest import CAMPAIGN_MENU

pytestmark = pytest.mark.django_db(transaction=True)


def row(page, title: str):
    return page.locator("table.drafts tbody tr", has=page.get_by_role("link", name=title, exact=True))


def test_drafts_are_renamed_duplicated_archived_and_the_live_badge_moves(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
    tmp_path,
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="咖啡俱乐部", slug="kafei", api_base=simulator.url)
    everyday = make_menu(account, title="日常菜单", user=browser_user)
    campaign = make_menu(account, tree=CAMPAIGN_MENU, title="双十一活动", user=browser_user)
    make_menu(account, title="旧的草稿", user=browser_user)
    assert publish_menu(everyday, browser_user).ok

    page.goto(live_server.url + reverse("home"))
    page.locator(f"a[href='{reverse('account_page', args=['kafei'])}']").first.click()
    page.wait_for_url(live_server.url + reverse("account_page", args=["kafei"]))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    assert row(page, "日常菜单").locator(".live-badge").count() == 1
    assert row(page, "双十一活动").locator(".live-badge").count() == 0

    # Rename: the form opens in place, the title is replaced.
    row(page, "双十一活动").locator("details.rename summary").click()
    field = row(page, "双十一活动").locator("input[name=title]")
    field.fill("双十一活动（终版）")
    field.press("Enter")
    page.wait_for_load_state()
    assert row(page, "双十一活动（终版）").count() == 1
    campaign.refresh_from_db()
    assert campaign.title == "双十一活动（终版）"

    # Duplicate, then archive the copy: it leaves the list for the Archived one, and comes back.
    row(page, "双十一活动（终版）").locator(
        f"form[action='{reverse('draft_duplicate', args=[campaign.pk])}'] button"
    ).click()
    page.wait_for_load_state()
    copy = Menu.objects.exclude(pk__in=[campaign.pk, everyday.pk]).exclude(title="旧的草稿").get()
    assert row(page, copy.title).count() == 1
    row(page, "旧的草稿").locator("form[action$='/archive/'] button").click()
    page.wait_for_load_state()
    assert row(page, "旧的草稿").count() == 0 or not row(page, "旧的草稿").first.is_visible()
    archived = page.locator(".archived-card")
    archived.locator("summary").click()
    assert archived.get_by_role("link", name="旧的草稿").is_visible()

    # Publish the campaign: the badge moves to it.
    assert publish_menu(campaign, browser_user, confirm_drift=True).ok
    page.reload()
    assert row(page, "双十一活动（终版）").locator(".live-badge").count() == 1
    assert row(page, "日常菜单").locator(".live-badge").count() == 0
    page.locator(".archived-card summary").click()
    page.evaluate("document.activeElement && document.activeElement.blur()")
    page.screenshot(path=str(screenshot_dir(tmp_path) / "account-zh.png"), full_page=True)

    page.locator(".archived-card").locator("form[action$='/unarchive/'] button").click()
    page.wait_for_load_state()
    assert row(page, "旧的草稿").is_visible()
    assert page.locator(".archived-card").count() == 0

"""Managing drafts in Chromium, in Chinese: the account page from home, the live badge, rename,
duplicate, archive and restore, the badge moving after a publish, and delete (asked first; a draft
the history points at is archived instead).

Set SCREENSHOTS=1 to write docs/screenshots/account-zh.png.
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
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


def test_a_draft_is_deleted_after_asking_and_one_the_history_points_at_is_archived_instead(
    chinese_page,  # noqa: F811
    live_server,
    browser_user,
    simulator,
):
    page = chinese_page
    browser_user.user_permissions.add(
        Permission.objects.get(content_type__app_label="menueditor", codename="delete_menu")
    )
    account = make_account(members=(browser_user,), name="咖啡俱乐部", slug="kafei", api_base=simulator.url)
    spare = make_menu(account, title="试做的草稿", user=browser_user)
    published = make_menu(account, tree=CAMPAIGN_MENU, title="双十一活动", user=browser_user)
    assert publish_menu(published, browser_user).ok
    account_url = live_server.url + reverse("account_page", args=["kafei"])
    page.goto(account_url)

    # Delete… asks first, on a page of its own; Cancel leads back with nothing deleted.
    row(page, "试做的草稿").locator(f"a[href='{reverse('draft_delete', args=[spare.pk])}']").click()
    page.wait_for_url(live_server.url + reverse("draft_delete", args=[spare.pk]))
    question = page.locator("section.confirm")
    assert "试做的草稿" in question.locator("h1").inner_text()
    assert "草稿将被永久删除。线上菜单不受影响。" in question.inner_text()
    question.get_by_role("link", name="取消").click()
    page.wait_for_url(account_url)
    assert row(page, "试做的草稿").count() == 1 and Menu.objects.filter(pk=spare.pk).exists()

    # Asked again and confirmed: the draft is gone, from the page and for good.
    row(page, "试做的草稿").locator(f"a[href='{reverse('draft_delete', args=[spare.pk])}']").click()
    page.get_by_role("button", name="删除草稿").click()
    page.wait_for_url(account_url)
    assert "“试做的草稿”已删除。" in page.locator("ul.messages").inner_text()
    assert row(page, "试做的草稿").count() == 0
    assert not Menu.objects.filter(pk=spare.pk).exists()

    # A draft the history points at: the question says it will be archived, and it is, its record kept.
    row(page, "双十一活动").locator(f"a[href='{reverse('draft_delete', args=[published.pk])}']").click()
    question = page.locator("section.confirm")
    assert "此草稿出现在 1 条历史记录中。它将被归档而不是删除" in question.inner_text()
    page.get_by_role("button", name="归档草稿").click()
    page.wait_for_url(account_url)
    assert "因此已归档而不是删除" in page.locator("ul.messages").inner_text()
    published.refresh_from_db()
    assert published.archived_at is not None
    assert published.publications.count() == 1
    archived = page.locator(".archived-card")
    archived.locator("summary").click()
    assert archived.get_by_role("link", name="双十一活动").is_visible()

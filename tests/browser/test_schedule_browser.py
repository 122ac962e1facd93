"""Scheduling a campaign in Chromium, in Chinese: from the editor to the schedule page to the home page.

Set SCREENSHOTS=1 to write docs/screenshots/schedule-zh.png and home-scheduled-zh.png.
"""

from __future__ import annotations

from datetime import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from menueditor.models import ScheduledPublish
from menueditor.scheduling import in_account_time
from tests.browser.test_editor_failures import screenshot_dir
from tests.plugins.browser import BROWSER_PASSWORD, LAPTOP
from tests.plugins.factories import make_account, make_menu
from tests.scheduling.conftest import CAMPAIGN_MENU

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def chinese_page(browser, live_server, browser_user):
    """Signed in, with a browser that asks for Chinese (Accept-Language zh-CN)."""
    context = browser.new_context(viewport={**LAPTOP, "height": 900}, locale="zh-CN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: errors.append(m.text) if m.type == "error" and "Content" in m.text else None,
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", browser_user.username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))
    yield page
    context.close()
    assert not errors, "errors in the browser:\n" + "\n".join(errors)


def next_double_eleven() -> datetime:
    """The coming 11 November, midnight, as the account's people write it."""
    now = timezone.localtime(timezone.now())
    year = now.year + (1 if (now.month, now.day) >= (11, 11) else 0)
    return datetime(year, 11, 11, 0, 0)


def test_a_campaign_is_scheduled_from_the_editor_and_listed_on_home(
    chinese_page, live_server, browser_user, simulator, tmp_path
):
    page = chinese_page
    account = make_account(members=(browser_user,), name="咖啡俱乐部", api_base=simulator.url)
    campaign = make_menu(account, tree=CAMPAIGN_MENU, title="双十一活动", user=browser_user)
    everyday = make_menu(account, title="日常菜单", user=browser_user)
    start = next_double_eleven()

    page.goto(live_server.url + reverse("menu_edit", args=[campaign.pk]))
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    page.locator("#schedule-link").click()
    page.wait_for_url(live_server.url + reverse("menu_schedule", args=[campaign.pk]))
    assert "Asia/Shanghai" in page.locator("#zone-note").inner_text()
    assert "“双十一”" in page.locator(".changes").inner_text()  # what publishing would change

    page.fill("#id_date", f"{start:%Y-%m-%d}")
    page.fill("#id_time", "00:00")
    page.select_option("#id_revert_menu", str(everyday.pk))
    page.fill("#id_revert_date", f"{start:%Y}-11-12")
    page.fill("#id_revert_time", "00:00")
    page.evaluate("document.activeElement.blur()")
    shots = screenshot_dir(tmp_path)
    page.screenshot(path=str(shots / "schedule-zh.png"), full_page=True, caret="initial")
    page.locator(".schedule-form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))

    campaign_schedule = ScheduledPublish.objects.get(revert_of=None)
    local = in_account_time(account, campaign_schedule.run_at)
    assert (local.month, local.day, local.hour, local.minute) == (11, 11, 0, 0)
    assert campaign_schedule.revert.menu == everyday
    listed = page.locator(".account-schedules .scheduled")
    assert listed.count() == 2
    assert "双十一活动" in listed.nth(0).inner_text()
    assert "日常菜单" in listed.nth(1).inner_text()
    assert page.locator(".account-schedules .scheduled-actions form button").count() == 2
    page.screenshot(path=str(shots / "home-scheduled-zh.png"), full_page=True, caret="initial")

    # Moved by a day from the home page, then the switch back cancelled.
    listed.nth(1).locator("a.button").click()
    page.fill("#id_date", f"{start:%Y}-11-13")
    page.locator("main form button.primary").click()
    page.wait_for_url(live_server.url + reverse("home"))
    assert (
        in_account_time(account, ScheduledPublish.objects.get(pk=campaign_schedule.revert.pk).run_at).day
        == 13
    )
    page.locator(".account-schedules .scheduled").nth(1).locator("form button").click()
    page.wait_for_url(live_server.url + reverse("home"))
    assert page.locator(".account-schedules .scheduled").count() == 1
    assert ScheduledPublish.objects.get(pk=campaign_schedule.revert.pk).state == "cancelled"

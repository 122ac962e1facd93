"""Review and approval in Chromium, in Chinese (Accept-Language zh-CN): an editor submits, a
publisher sends it back with a comment, the editor sees the comment, fixes and resubmits, the
publisher approves it for a few seconds ahead, `manage.py db_worker` publishes it to the simulator,
and the history shows each step.

Set SCREENSHOTS=1 to write docs/screenshots/home-review-queue-zh.png, approval-review-zh.png
and editor-sent-back-zh.png.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from menueditor.models import Menu, Review, ScheduledPublish
from menueditor.scheduling import in_account_time
from tests.browser.test_editor_failures import screenshot_dir
from tests.plugins.browser import BROWSER_PASSWORD, LAPTOP
from tests.plugins.factories import make_account, make_menu, make_user
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE
from tests.scheduling.test_workers import start_worker, stop, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def signed_in(browser, live_server, user):
    context = browser.new_context(viewport={**LAPTOP, "height": 900}, locale="zh-CN")
    context.set_default_timeout(15_000)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda m: (
            errors.append(page.url + " " + m.text) if m.type == "error" and "Content" in m.text else None
        ),
    )
    page.goto(live_server.url + reverse("login"))
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", BROWSER_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(live_server.url + reverse("home"))
    return context, page, errors


def test_submit_send_back_resubmit_approve_for_a_time_and_the_worker_publishes(
    browser, live_server, simulator, tmp_path
):
    editor = make_user(username="xiaowang", perms=("change_menu",), password=BROWSER_PASSWORD)
    publisher = make_user(username="laoli", perms=("change_menu", "publish_menu"), password=BROWSER_PASSWORD)
    account = make_account(members=(editor, publisher), name="咖啡俱乐部", api_base=simulator.url)
    account.needs_approval = True
    account.save()
    draft = make_menu(account, tree=CAMPAIGN_MENU, title="双十一活动", user=editor)
    shots = screenshot_dir(tmp_path)
    editor_context, editor_page, editor_errors = signed_in(browser, live_server, editor)
    publisher_context, publisher_page, publisher_errors = signed_in(browser, live_server, publisher)
    worker = start_worker("review-worker")
    try:
        # The editor submits from the editor's action bar, with a note.
        editor_page.goto(live_server.url + reverse("menu_edit", args=[draft.pk]))
        assert editor_page.locator("#publish-button").count() == 0
        editor_page.locator("#submit-review-link").click()
        editor_page.fill("#id_note", "双十一零点上线，请审核")
        editor_page.locator("#submit-review").click()
        editor_page.wait_for_url(live_server.url + reverse("menu_edit", args=[draft.pk]))
        expect(editor_page.locator("#review-bar .review-state")).to_be_visible()

        # The publisher finds it on home, opens the review and sends it back with a comment.
        publisher_page.goto(live_server.url + reverse("home"))
        queue = publisher_page.locator(f"#review-queue-{account.pk}")
        expect(queue).to_contain_text("双十一活动")
        expect(queue).to_contain_text("双十一零点上线，请审核")
        expect(publisher_page.locator(".review-count")).to_be_visible()
        publisher_page.screenshot(
            path=str(shots / "home-review-queue-zh.png"), full_page=True, caret="initial"
        )
        queue.locator("a.button").click()
        publisher_page.wait_for_url("**/reviews/*/")
        expect(publisher_page.locator(".review-changes .changes")).to_contain_text("双十一")
        publisher_page.evaluate("document.activeElement.blur()")
        publisher_page.screenshot(path=str(shots / "approval-review-zh.png"), full_page=True, caret="initial")
        publisher_page.fill(".send-back-form textarea", "“领券”请改成“领优惠券”")
        publisher_page.locator("#send-back").click()
        publisher_page.wait_for_url(live_server.url + reverse("home"))
        assert Review.objects.get().state == "sent_back"

        # The editor sees the comment in the editor, fixes the draft, saves and submits again.
        editor_page.reload()
        expect(editor_page.locator("#review-comment")).to_contain_text("“领券”请改成“领优惠券”")
        editor_page.screenshot(path=str(shots / "editor-sent-back-zh.png"), caret="initial")
        editor_page.locator("#f-title").press_sequentially("（改）", delay=10)
        editor_page.locator("#save-button").click()
        wait_for(lambda: Menu.objects.get(pk=draft.pk).revision == 2, seconds=15)
        editor_page.locator("#submit-review-link").click()
        editor_page.fill("#id_note", "已改名")
        editor_page.locator("#submit-review").click()
        editor_page.wait_for_url(live_server.url + reverse("menu_edit", args=[draft.pk]))
        second = Review.objects.get(state="submitted")
        assert second.revision == 2

        # The publisher approves it for a few seconds ahead, in the account's zone.
        publisher_page.goto(live_server.url + reverse("review_page", args=[second.pk]))
        expect(publisher_page.locator("#zone-note")).to_contain_text("Asia/Shanghai")
        at = in_account_time(account, timezone.now() + timedelta(seconds=4))
        publisher_page.fill("#id_date", f"{at:%Y-%m-%d}")
        publisher_page.locator("#id_time").evaluate("(e, v) => { e.value = v; }", f"{at:%H:%M:%S}")
        publisher_page.locator("#approve-later").click()
        publisher_page.wait_for_url(live_server.url + reverse("home"))
        schedule = ScheduledPublish.objects.get()
        assert schedule.review.pk == second.pk and schedule.created_by == publisher

        # The worker publishes it at its time.
        wait_for(lambda: ScheduledPublish.objects.get().state not in ("scheduled", "running"), seconds=60)
        assert ScheduledPublish.objects.get().state == "published"
        assert simulator.wechat_menu == CAMPAIGN_MENU
        assert len(simulator.requests_to(CREATE)) == 1

        # The history shows each step, with who and the notes.
        publisher_page.goto(live_server.url + reverse("account_history", args=[account.slug]))
        steps = publisher_page.locator(".history-reviews .review-step")
        kinds = [c.split("step-")[1] for c in steps.evaluate_all("els => els.map(e => e.className)")]
        assert kinds == ["published", "scheduled", "approved", "submitted", "sent_back", "submitted"], kinds
        text = publisher_page.locator(".history-reviews").inner_text()
        for seen in ("xiaowang", "laoli", "双十一零点上线，请审核", "“领券”请改成“领优惠券”", "已改名"):
            assert seen in text
    finally:
        log = stop(worker)
        editor_context.close()
        publisher_context.close()
    assert "Starting worker" in log, log
    assert not editor_errors and not publisher_errors, editor_errors + publisher_errors


def test_a_save_takes_the_draft_out_of_review_and_the_bar_says_so_at_once(browser, live_server, simulator):
    editor = make_user(username="xiaozhang", perms=("change_menu",), password=BROWSER_PASSWORD)
    account = make_account(members=(editor,), name="咖啡俱乐部", api_base=simulator.url)
    account.needs_approval = True
    account.save()
    draft = make_menu(account, tree=CAMPAIGN_MENU, title="双十一活动", user=editor)
    context, page, errors = signed_in(browser, live_server, editor)
    try:
        page.goto(live_server.url + reverse("menu_edit", args=[draft.pk]))
        page.locator("#submit-review-link").click()
        page.locator("#submit-review").click()
        page.wait_for_url(live_server.url + reverse("menu_edit", args=[draft.pk]))
        expect(page.locator("#review-bar .review-state")).to_be_visible()
        expect(page.locator("#review-comment")).to_be_hidden()

        page.locator("#f-title").press_sequentially("（改）", delay=10)
        page.locator("#save-button").click()

        # No reload: the save's answer redraws the bar.
        expect(page.locator("#review-bar .review-state")).to_have_count(0)
        expect(page.locator("#submit-review-link")).to_be_visible()
        expect(page.locator("#review-comment")).to_be_visible()
        expect(page.locator("#review-comment")).to_contain_text("第 1 版")  # the browser speaks Chinese
        assert Review.objects.get().state == "withdrawn"
        page.locator("#submit-review-link").click()
        page.wait_for_url("**/submit/")
    finally:
        context.close()
    assert not errors, errors

"""Scheduled publishes: made, run by the tasks framework's database worker, published, held, retried.

Every test goes through the real queue (django-tasks-db's table) and its worker, and the publish
through publishing.publish_menu to the simulator over HTTP.
"""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from accounts import leases
from menueditor.models import Publication, ScheduledPublish
from menueditor.publishing import publish_menu
from menueditor.scheduling import (
    ScheduleError,
    cancel_schedule,
    move_schedule,
    schedule_publish,
)
from tests.scheduling.conftest import (
    CAMPAIGN_MENU,
    CREATE,
    refreshed,
    run_worker,
    soon,
    the_time_comes,
)

pytestmark = pytest.mark.django_db(transaction=True)

State = ScheduledPublish.State


def test_a_scheduled_publish_waits_for_its_time_then_goes_live_and_is_in_the_history(
    simulator, campaign_menu, publisher
):
    schedule = schedule_publish(campaign_menu, publisher, soon(1.5))
    assert (schedule.state, schedule.created_by, schedule.attempts) == (State.SCHEDULED, publisher, 0)

    run_worker()  # before its time: the queue has nothing due
    assert refreshed(schedule).state == State.SCHEDULED
    assert simulator.requests_to(CREATE) == []

    time.sleep(max(0.0, (schedule.run_at - timezone.now()).total_seconds()) + 0.1)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts) == (State.PUBLISHED, 1)
    assert simulator.wechat_menu == CAMPAIGN_MENU
    assert len(simulator.requests_to(CREATE)) == 1
    record = schedule.publication
    assert (record.action, record.outcome, record.user, record.menu) == (
        "publish", "success", publisher, campaign_menu,
    )  # fmt: skip
    assert [m.to for m in mail.outbox] == [["publisher@example.com"]]
    assert mail.outbox[0].subject == "Published as scheduled: “Double 11” on " + campaign_menu.account.name


def test_a_campaign_switches_back_at_its_second_time(simulator, campaign_menu, everyday_menu, publisher):
    assert publish_menu(everyday_menu, publisher).ok
    campaign = schedule_publish(
        campaign_menu, publisher, soon(60), revert_menu=everyday_menu, revert_at=soon(120)
    )
    revert = campaign.revert
    assert (revert.menu, revert.state, revert.run_at > campaign.run_at) == (everyday_menu, "scheduled", True)

    the_time_comes(campaign)
    run_worker()
    assert refreshed(campaign).state == State.PUBLISHED
    assert simulator.wechat_menu == CAMPAIGN_MENU
    assert refreshed(revert).state == State.SCHEDULED  # not its time yet

    the_time_comes(revert)
    run_worker()
    assert refreshed(revert).state == State.PUBLISHED
    assert simulator.wechat_menu == everyday_menu.tree
    assert len(simulator.requests_to(CREATE)) == 3
    assert "It switches back to “Everyday menu”" in mail.outbox[0].body


def test_a_live_menu_changed_after_scheduling_is_held_not_overwritten(
    simulator, campaign_menu, everyday_menu, publisher
):
    assert publish_menu(everyday_menu, publisher).ok
    campaign = schedule_publish(
        campaign_menu, publisher, soon(60), revert_menu=everyday_menu, revert_at=soon(120)
    )
    # Someone edits the live menu in the platform's console after the schedule was made.
    console_menu = {"button": [{"type": "click", "name": "客服", "key": "SERVICE"}]}
    simulator.wechat_menu = console_menu

    the_time_comes(campaign)
    run_worker()

    campaign = refreshed(campaign)
    assert campaign.state == State.HELD
    assert simulator.wechat_menu == console_menu  # kept
    assert len(simulator.requests_to(CREATE)) == 1  # only the publish before scheduling
    held = campaign.publication
    assert (held.outcome, held.code, held.user, held.menu) == ("held", "drift", publisher, campaign_menu)
    assert "“客服”" in held.message  # the differences, as the history shows them
    assert refreshed(campaign.revert).state == State.CANCELLED  # nothing to switch back from
    assert mail.outbox[0].subject.startswith("Held, not published: “Double 11”")
    assert "“客服”" in mail.outbox[0].body
    assert "switch back to “Everyday menu”" in mail.outbox[0].body


def test_a_publish_from_this_app_after_scheduling_also_holds_it(
    simulator, campaign_menu, everyday_menu, publisher
):
    schedule = schedule_publish(campaign_menu, publisher, soon())
    assert publish_menu(everyday_menu, publisher).ok  # a colleague publishes meanwhile

    the_time_comes(schedule)
    run_worker()

    assert refreshed(schedule).state == State.HELD
    assert simulator.wechat_menu == everyday_menu.tree


def test_a_switch_back_over_a_menu_changed_during_the_campaign_is_held(
    simulator, campaign_menu, everyday_menu, publisher
):
    assert publish_menu(everyday_menu, publisher).ok
    campaign = schedule_publish(
        campaign_menu, publisher, soon(60), revert_menu=everyday_menu, revert_at=soon(120)
    )
    the_time_comes(campaign)
    run_worker()
    fixed = {"button": [{"type": "view", "name": "双十一", "url": "https://shop.example/1111-fixed"}]}
    simulator.wechat_menu = fixed  # corrected by hand in the console during the campaign

    the_time_comes(campaign.revert)
    run_worker()

    assert refreshed(campaign.revert).state == State.HELD
    assert simulator.wechat_menu == fixed


def test_a_busy_platform_is_tried_again_and_then_publishes(simulator, campaign_menu, publisher, settings):
    settings.SCHEDULE_RETRY_SECONDS = 0
    simulator.add_fault(CREATE, errcode=-1, errmsg="system error")
    schedule = schedule_publish(campaign_menu, publisher, soon())

    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts) == (State.PUBLISHED, 2)
    assert simulator.wechat_menu == CAMPAIGN_MENU
    history = list(Publication.objects.order_by("pk").values_list("outcome", "code"))
    assert history == [("failure", "-1"), ("success", "0")]
    assert len(mail.outbox) == 1  # told once, of the end


def test_a_retry_waits_its_backoff_and_can_be_cancelled_meanwhile(
    simulator, campaign_menu, publisher, settings
):
    settings.SCHEDULE_RETRY_SECONDS = 60
    simulator.add_fault(CREATE, errcode=45011, errmsg="api minute-quota reach limit")
    schedule = schedule_publish(campaign_menu, publisher, soon())
    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts, schedule.code) == (State.SCHEDULED, 1, "45011")
    assert timedelta(seconds=55) < schedule.run_at - timezone.now() <= timedelta(seconds=60)
    run_worker()  # not due yet
    assert len(simulator.requests_to(CREATE)) == 1

    cancel_schedule(schedule, publisher)
    the_time_comes(schedule)
    run_worker()
    assert refreshed(schedule).state == State.CANCELLED
    assert len(simulator.requests_to(CREATE)) == 1


def test_a_platform_that_stays_busy_fails_after_the_last_attempt(
    simulator, campaign_menu, publisher, settings
):
    settings.SCHEDULE_RETRY_SECONDS = 0
    settings.SCHEDULE_ATTEMPTS = 3
    simulator.add_fault(CREATE, errcode=-1, errmsg="system error", times=None)
    schedule = schedule_publish(campaign_menu, publisher, soon())

    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts, schedule.code) == (State.FAILED, 3, "-1")
    assert len(simulator.requests_to(CREATE)) == 3
    assert list(Publication.objects.values_list("outcome", flat=True)) == ["failure"] * 3
    assert simulator.wechat_menu is None
    assert mail.outbox[0].subject.startswith("Not published: “Double 11”")
    assert "-1 system error" in mail.outbox[0].body


def test_server_errors_are_retried_and_a_final_refusal_is_not(simulator, campaign_menu, publisher, settings):
    settings.SCHEDULE_RETRY_SECONDS = 0
    simulator.add_fault(CREATE, http_status=502)
    simulator.add_fault(CREATE, errcode=40164, errmsg="invalid ip 203.0.113.9, not in whitelist")
    schedule = schedule_publish(campaign_menu, publisher, soon())

    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts, schedule.code) == (State.FAILED, 2, "40164")
    assert "203.0.113.9" in schedule.hint  # the platform's hint, for the whitelist


def test_a_publish_without_an_answer_is_settled_before_trying_again(
    simulator, campaign_menu, publisher, settings
):
    """The platform took the menu but its answer came too late: the retry finds it live, sends nothing."""
    settings.PLATFORM_TIMEOUT = 0.5
    settings.SCHEDULE_RETRY_SECONDS = 30
    simulator.add_fault(CREATE, delay=1.0)
    schedule = schedule_publish(campaign_menu, publisher, soon())
    the_time_comes(schedule)
    run_worker()
    schedule = refreshed(schedule)
    assert (schedule.state, schedule.code, schedule.publication.outcome) == (
        State.SCHEDULED,
        "timeout",
        "unknown",
    )

    deadline = time.monotonic() + 10
    while simulator.wechat_menu is None and time.monotonic() < deadline:
        time.sleep(0.05)
    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.publication.outcome) == (State.PUBLISHED, "success")
    assert len(simulator.requests_to(CREATE)) == 1
    assert Publication.objects.count() == 1


def test_another_publish_running_is_waited_for(simulator, campaign_menu, publisher, settings):
    settings.SCHEDULE_BUSY_SECONDS = 30
    schedule = schedule_publish(campaign_menu, publisher, soon())
    held = leases.claim(
        campaign_menu.account.pk, leases.Purpose.LIVE_MENU, holder_name="colleague", seconds=60
    )

    the_time_comes(schedule)
    run_worker()
    schedule = refreshed(schedule)
    assert (schedule.state, schedule.waits, schedule.attempts) == (State.SCHEDULED, 1, 1)
    assert simulator.requests_to(CREATE) == []

    leases.release(held)
    the_time_comes(schedule)
    run_worker()
    assert refreshed(schedule).state == State.PUBLISHED


def test_a_draft_broken_after_scheduling_fails_and_says_so_in_the_history(
    simulator, campaign_menu, publisher
):
    schedule = schedule_publish(campaign_menu, publisher, soon())
    campaign_menu.tree = {"button": [{"type": "click", "name": "没有键"}]}
    campaign_menu.save()

    the_time_comes(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.code) == (State.FAILED, "invalid")
    assert (schedule.publication.outcome, schedule.publication.code) == ("failure", "invalid")
    assert simulator.requests_to(CREATE) == []


def test_a_scheduler_who_lost_the_right_to_publish_publishes_nothing(simulator, campaign_menu, publisher):
    schedule = schedule_publish(campaign_menu, publisher, soon())
    campaign_menu.account.members.remove(publisher)

    the_time_comes(schedule)
    run_worker()

    assert (refreshed(schedule).state, schedule.code) == (State.FAILED, "forbidden")
    assert simulator.requests_to(CREATE) == []


def test_cancelled_before_its_time_nothing_is_sent(simulator, campaign_menu, everyday_menu, publisher):
    campaign = schedule_publish(
        campaign_menu, publisher, soon(60), revert_menu=everyday_menu, revert_at=soon(120)
    )
    cancel_schedule(campaign, publisher)
    assert campaign.state == State.CANCELLED and campaign.cancelled_by == publisher
    assert refreshed(campaign.revert).state == State.CANCELLED

    the_time_comes(campaign)
    the_time_comes(campaign.revert)
    run_worker()

    assert simulator.requests_to(CREATE) == []
    assert Publication.objects.count() == 0
    with pytest.raises(ScheduleError, match="cancelled"):
        cancel_schedule(campaign, publisher)


def test_a_move_runs_it_at_the_new_time_only(simulator, campaign_menu, publisher):
    schedule = schedule_publish(campaign_menu, publisher, soon(60))
    first_task = schedule.task_id
    move_schedule(schedule, publisher, soon(600))
    assert schedule.task_id != first_task
    assert timedelta(seconds=595) < schedule.run_at - timezone.now() <= timedelta(seconds=600)

    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.filter(id=first_task).update(run_after=timezone.now())  # the old time comes
    run_worker()
    assert refreshed(schedule).state == State.SCHEDULED
    assert simulator.requests_to(CREATE) == []

    the_time_comes(schedule)
    run_worker()
    assert refreshed(schedule).state == State.PUBLISHED
    assert len(simulator.requests_to(CREATE)) == 1


def test_once_started_it_can_neither_be_cancelled_nor_moved(simulator, campaign_menu, publisher):
    simulator.add_fault(CREATE, delay=1.0)
    schedule = schedule_publish(campaign_menu, publisher, soon())
    the_time_comes(schedule)
    worker = threading.Thread(target=run_worker)
    worker.start()
    try:
        deadline = time.monotonic() + 10
        while not simulator.requests_to(CREATE) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert refreshed(schedule).state == State.RUNNING
        with pytest.raises(ScheduleError, match="running"):
            cancel_schedule(schedule, publisher)
        with pytest.raises(ScheduleError, match="running"):
            move_schedule(schedule, publisher, soon(600))
    finally:
        worker.join(30)
    assert refreshed(schedule).state == State.PUBLISHED
    with pytest.raises(ScheduleError, match="published"):
        move_schedule(schedule, publisher, soon(600))


def test_a_campaign_cannot_move_past_its_switch_back(simulator, campaign_menu, everyday_menu, publisher):
    campaign = schedule_publish(
        campaign_menu, publisher, soon(60), revert_menu=everyday_menu, revert_at=soon(120)
    )
    with pytest.raises(ScheduleError, match="switch back is at"):
        move_schedule(campaign, publisher, soon(180))
    with pytest.raises(ScheduleError, match="after the publish"):
        move_schedule(campaign.revert, publisher, soon(30))


def test_what_cannot_be_scheduled(simulator, campaign_menu, everyday_menu, publisher, factories):
    with pytest.raises(ScheduleError, match="in the future"):
        schedule_publish(campaign_menu, publisher, timezone.now() - timedelta(minutes=1))
    with pytest.raises(ScheduleError, match="after the publish"):
        schedule_publish(campaign_menu, publisher, soon(120), revert_menu=everyday_menu, revert_at=soon(60))
    with pytest.raises(ScheduleError, match="both the draft and the time"):
        schedule_publish(campaign_menu, publisher, soon(120), revert_menu=everyday_menu)
    other = factories.menu(factories.account(members=(publisher,), api_base=simulator.url))
    with pytest.raises(ScheduleError, match="same account"):
        schedule_publish(campaign_menu, publisher, soon(60), revert_menu=other, revert_at=soon(120))
    editor = factories.user(perms=("change_menu",))
    campaign_menu.account.members.add(editor)
    with pytest.raises(PermissionDenied):
        schedule_publish(campaign_menu, editor, soon())
    simulator.add_fault("/cgi-bin/menu/get", http_status=503)
    with pytest.raises(ScheduleError, match="could not be read"):
        schedule_publish(campaign_menu, publisher, soon())
    assert ScheduledPublish.objects.count() == 0


def test_a_wall_clock_time_is_the_accounts_time_zone(simulator, campaign_menu, publisher):
    from datetime import datetime

    schedule = schedule_publish(campaign_menu, publisher, datetime(2099, 11, 11, 0, 0))
    assert schedule.run_at.astimezone(timezone.UTC).isoformat() == "2099-11-10T16:00:00+00:00"


def test_each_platform_says_which_of_its_codes_are_worth_another_try(
    simulator, factories, publisher, settings
):
    """Weibo's 10001 ("platform trouble, retry later") is retried; its 10016 (bad parameter) is not."""
    settings.SCHEDULE_RETRY_SECONDS = 0
    account = factories.account(platform="weibo", api_base=simulator.url, members=(publisher,))
    menu = factories.menu(account, title="微博菜单", user=publisher)
    simulator.add_fault("/2/messages/menu/create.json", errcode=10001, errmsg="system error")
    retried = schedule_publish(menu, publisher, soon())
    the_time_comes(retried)
    run_worker()
    assert (refreshed(retried).state, retried.attempts) == (State.PUBLISHED, 2)

    simulator.add_fault("/2/messages/menu/create.json", errcode=10016, errmsg="miss required parameter")
    final = schedule_publish(menu, publisher, soon())
    the_time_comes(final)
    run_worker()
    assert (refreshed(final).state, final.attempts, final.code) == (State.FAILED, 1, "10016")


def test_the_mail_speaks_the_language_the_publish_was_scheduled_in(simulator, campaign_menu, publisher):
    from django.utils import translation

    with translation.override("zh-hans"):
        schedule = schedule_publish(campaign_menu, publisher, soon())
    assert schedule.language == "zh-hans"
    the_time_comes(schedule)
    run_worker()  # the worker itself runs in LANGUAGE_CODE (English)

    local = timezone.localtime(refreshed(schedule).run_at)
    assert f"{local.year}年{local.month}月{local.day}日" in mail.outbox[0].body  # Chinese date format

"""Scheduled publishes against the simulator, run by django-tasks-db's own worker."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from menueditor.models import Menu, ScheduledPublish

CREATE = "/cgi-bin/menu/create"

CAMPAIGN_MENU = {
    "button": [
        {"type": "view", "name": "双十一", "url": "https://shop.example/1111"},
        {"type": "click", "name": "领券", "key": "COUPON_1111"},
    ]
}


@pytest.fixture
def publisher(factories):
    user = factories.user(username="publisher", perms=("change_menu", "publish_menu"))
    user.email = "publisher@example.com"
    user.save(update_fields=["email"])
    return user


@pytest.fixture
def wechat_account(simulator, factories, publisher):
    return factories.account(platform="wechat", api_base=simulator.url, members=(publisher,))


@pytest.fixture
def everyday_menu(wechat_account, factories, publisher) -> Menu:
    return factories.menu(wechat_account, title="Everyday menu", user=publisher)


@pytest.fixture
def campaign_menu(wechat_account, factories, publisher) -> Menu:
    return factories.menu(wechat_account, tree=CAMPAIGN_MENU, title="Double 11", user=publisher)


def soon(seconds: float = 60) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


def run_worker() -> None:
    """django-tasks-db's worker, in this process: every task due now, then it stops."""
    Worker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
    ).run()


def the_time_comes(schedule: ScheduledPublish) -> None:
    """The clock reaches the schedule's time: its task in the queue is due now."""
    schedule.refresh_from_db()
    DBTaskResult.objects.filter(id=schedule.task_id).update(run_after=timezone.now())


def refreshed(schedule: ScheduledPublish) -> ScheduledPublish:
    schedule.refresh_from_db()
    return schedule

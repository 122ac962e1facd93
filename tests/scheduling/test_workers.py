"""`manage.py db_worker` processes against the test database: each scheduled publish runs exactly once,
and a worker killed in the middle of one leaves a record that the next worker settles.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from accounts.models import Lease
from menueditor.models import Publication, ScheduledPublish
from menueditor.scheduling import schedule_publish
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE, refreshed, run_worker, soon

ROOT = Path(__file__).resolve().parents[2]
State = ScheduledPublish.State

pytestmark = pytest.mark.django_db(transaction=True)


def database_url() -> str:
    """The test database, as a URL a worker process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def start_worker(name: str) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()}
    return subprocess.Popen(
        [
            sys.executable, "manage.py", "db_worker", "--interval", "0.05", "--no-startup-delay",
            "--no-reload", "--worker-id", name,
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> str:
    """Stop a worker as systemd does (SIGTERM: it finishes its task first); what it printed."""
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
    try:
        out, _ = process.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return out


def wait_for(condition, seconds: float = 60) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "gave up waiting"
        time.sleep(0.05)


def finished(schedule: ScheduledPublish) -> bool:
    return refreshed(schedule).state not in (State.SCHEDULED, State.RUNNING)


def test_two_workers_on_postgresql_publish_a_due_schedule_exactly_once(simulator, campaign_menu, publisher):
    if connection.vendor != "postgresql":
        pytest.skip("several workers share one queue on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED)")
    simulator.add_fault(CREATE, delay=0.5)  # long enough for the other worker to look for work meanwhile
    schedule = schedule_publish(campaign_menu, publisher, soon(2))
    workers = [start_worker("worker-a"), start_worker("worker-b")]
    try:
        wait_for(lambda: finished(schedule))
        time.sleep(1)  # both keep polling a while: a second run would show now
    finally:
        logs = [stop(w) for w in workers]

    assert all("Starting worker" in log for log in logs), logs  # both were there, polling
    assert refreshed(schedule).state == State.PUBLISHED
    assert len(simulator.requests_to(CREATE)) == 1
    assert simulator.wechat_menu == CAMPAIGN_MENU
    assert Publication.objects.filter(action="publish").count() == 1
    ran = DBTaskResult.objects.filter(status="SUCCESSFUL", return_value="published")
    assert ran.count() == 1 and ran.get().worker_ids[0] in ("worker-a", "worker-b")


def test_two_workers_on_postgresql_share_many_due_schedules_each_run_once(simulator, factories, publisher):
    if connection.vendor != "postgresql":
        pytest.skip("several workers share one queue on PostgreSQL (SELECT ... FOR UPDATE SKIP LOCKED)")
    schedules = []
    for n in range(6):
        appid = f"wx00000000000000{n:02d}"  # an official account each: six live menus
        simulator.add_wechat_app(appid, f"secret-{n}")
        account = factories.account(
            api_base=simulator.url, members=(publisher,), app_id=appid, app_secret=f"secret-{n}"
        )
        menu = factories.menu(account, tree=CAMPAIGN_MENU, user=publisher)
        schedules.append(schedule_publish(menu, publisher, soon(2)))
    workers = [start_worker("worker-a"), start_worker("worker-b")]
    try:
        wait_for(lambda: all(finished(s) for s in schedules))
    finally:
        [stop(w) for w in workers]

    assert {refreshed(s).state for s in schedules} == {State.PUBLISHED}
    assert len(simulator.requests_to(CREATE)) == 6  # one each, none twice
    assert Publication.objects.filter(action="publish", outcome="success").count() == 6
    assert all(simulator.wechat_menu_for(s.account.app_id) == CAMPAIGN_MENU for s in schedules)


def kill_the_worker_in_mid_publish(simulator, schedule) -> None:
    """A worker takes the schedule; it is killed -9 once its menu/create has reached the platform."""
    worker = start_worker("doomed")
    try:
        wait_for(lambda: simulator.requests_to(CREATE) or worker.poll() is not None)
        assert worker.poll() is None, worker.stdout.read()
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=10)
    finally:
        if worker.poll() is None:
            worker.kill()


def time_passes_for_the_dead_worker(schedule: ScheduledPublish) -> None:
    """Its lease on the account and its attempt's time run out; the watch over the attempt is due."""
    Lease.objects.filter(holder__gt="").update(expires_at=timezone.now() - timedelta(seconds=1))
    past = timezone.now() - timedelta(seconds=1)
    ScheduledPublish.objects.filter(pk=schedule.pk).update(running_until=past)
    DBTaskResult.objects.filter(id=refreshed(schedule).task_id).update(run_after=past)


def test_a_worker_killed_after_sending_leaves_a_pending_record_settled_as_published(
    simulator, campaign_menu, publisher
):
    simulator.add_fault(CREATE, delay=1.0)  # the platform takes the menu, slowly
    schedule = schedule_publish(campaign_menu, publisher, soon(1))
    kill_the_worker_in_mid_publish(simulator, schedule)

    record = Publication.objects.get()
    assert (record.outcome, record.user, record.menu) == ("pending", publisher, campaign_menu)
    assert refreshed(schedule).state == State.RUNNING
    wait_for(lambda: simulator.wechat_menu is not None)  # it did go through

    time_passes_for_the_dead_worker(schedule)
    run_worker()

    schedule = refreshed(schedule)
    record.refresh_from_db()
    assert (schedule.state, schedule.publication) == (State.PUBLISHED, record)
    assert (record.outcome, "went through" in record.hint) == ("success", True)
    assert len(simulator.requests_to(CREATE)) == 1  # not sent twice
    assert mail.outbox[0].subject.startswith("Published as scheduled")


def test_a_worker_killed_before_the_platform_took_it_is_settled_and_published_again(
    simulator, campaign_menu, publisher
):
    simulator.add_fault(CREATE, delay=1.0, errcode=-1, errmsg="system error")  # never applied
    schedule = schedule_publish(campaign_menu, publisher, soon(1))
    kill_the_worker_in_mid_publish(simulator, schedule)
    assert Publication.objects.get().outcome == "pending"

    time_passes_for_the_dead_worker(schedule)
    run_worker()

    schedule = refreshed(schedule)
    assert (schedule.state, schedule.attempts) == (State.PUBLISHED, 2)
    old, new = Publication.objects.order_by("pk")
    assert (old.outcome, "Not confirmed" in old.hint) == ("failure", True)
    assert (new.outcome, schedule.publication) == ("success", new)
    assert simulator.wechat_menu == CAMPAIGN_MENU

"""A publish the platform may have taken without its answer arriving: pending, then settled.

The Publication is committed as pending before menu/create is sent. A process killed after that,
or a platform that never answers, leaves it pending or unknown; the next action that holds the
account's lease reads the live menu and settles it, so the history never misses a live menu.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from accounts.models import Lease
from menueditor.models import Publication
from menueditor.publishing import delete_live_menu, publish_menu, pull_menu

ROOT = Path(__file__).resolve().parents[2]
CREATE = "/cgi-bin/menu/create"


def database_url() -> str:
    """The test database, as a URL a separate process can open."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host, port = db["HOST"] or "127.0.0.1", db["PORT"] or 5432
    return f"postgres://{db['USER']}:{db['PASSWORD']}@{host}:{port}/{db['NAME']}"


def wait_for(condition, seconds: float = 30) -> None:
    give_up = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < give_up, "gave up waiting"
        time.sleep(0.02)


def publish_in_a_process_and_kill_it(simulator, menu, user) -> None:
    """Start `manage.py menu_publish`, and kill -9 it once its menu/create has reached the platform."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings", "DATABASE_URL": database_url()}
    process = subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "menu_publish",
            str(menu.pk),
            "--user",
            user.username,
            "--confirm-drift",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for(lambda: simulator.requests_to(CREATE) or process.poll() is not None)
        assert process.poll() is None, process.stderr.read().decode()
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()


def time_passes_for_the_dead_holder() -> None:
    """The killed process never gives its lease back; it ends when the lease's time runs out."""
    Lease.objects.filter(holder__gt="").update(expires_at=timezone.now() - timedelta(seconds=1))


pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_a_publish_killed_after_sending_is_in_the_history_and_settled_as_published(
    simulator, wechat_menu, publisher
):
    simulator.add_fault(CREATE, delay=1.0)  # the platform takes the menu, slowly
    publish_in_a_process_and_kill_it(simulator, wechat_menu, publisher)

    record = Publication.objects.get()
    assert (record.action, record.outcome, record.user) == ("publish", "pending", publisher)
    assert json.loads(record.payload) == wechat_menu.tree
    wait_for(lambda: simulator.wechat_menu is not None)  # the platform did apply it

    # While the dead process's lease lasts, nobody acts on the account blindly.
    assert pull_menu(wechat_menu.account, publisher).outcome.code == "busy"
    time_passes_for_the_dead_holder()
    assert pull_menu(wechat_menu.account, publisher).outcome.ok

    record.refresh_from_db()
    assert (record.outcome, record.code) == ("success", "ok")
    assert "went through" in record.hint


def test_a_publish_killed_before_the_platform_took_it_is_settled_as_not_published(
    simulator, wechat_menu, publisher
):
    simulator.add_fault(CREATE, delay=1.0, errcode=-1, errmsg="system error")  # never applied
    publish_in_a_process_and_kill_it(simulator, wechat_menu, publisher)
    assert Publication.objects.get().outcome == "pending"

    time_passes_for_the_dead_holder()
    outcome = publish_menu(wechat_menu, publisher)  # settles the old one first, then publishes

    assert outcome.ok, outcome
    old, new = Publication.objects.order_by("pk")
    assert (old.outcome, "Not confirmed" in old.hint) == ("failure", True)
    assert new.outcome == "success"
    assert simulator.wechat_menu == wechat_menu.tree


def test_a_publish_without_an_answer_is_unknown_until_the_live_menu_is_read(
    simulator, wechat_menu, publisher, settings
):
    settings.PLATFORM_TIMEOUT = 0.5
    simulator.add_fault(CREATE, delay=1.0)  # answered after the deadline, but applied
    outcome = publish_menu(wechat_menu, publisher)

    assert (outcome.ok, outcome.code, outcome.pending) == (False, "timeout", True)
    assert "0.5 seconds" in outcome.hint
    record = Publication.objects.get()
    assert record.outcome == "unknown"

    wait_for(lambda: simulator.wechat_menu is not None)
    settings.PLATFORM_TIMEOUT = 10
    # Settled by the next action's read: it went through, so publishing again finds no drift.
    assert publish_menu(wechat_menu, publisher).ok
    record.refresh_from_db()
    assert record.outcome == "success"


def test_a_delete_without_an_answer_is_settled_by_what_is_live(simulator, wechat_menu, publisher, settings):
    assert publish_menu(wechat_menu, publisher).ok
    settings.PLATFORM_TIMEOUT = 0.5
    simulator.add_fault("/cgi-bin/menu/delete", delay=1.0)
    outcome = delete_live_menu(wechat_menu.account, publisher)
    assert (outcome.code, outcome.pending) == ("timeout", True)
    wait_for(lambda: simulator.wechat_menu is None)

    settings.PLATFORM_TIMEOUT = 10
    assert pull_menu(wechat_menu.account, publisher).outcome.code == "empty"
    assert Publication.objects.get(action="delete").outcome == "success"


def test_a_trickling_platform_is_cut_off_at_the_deadline(simulator, wechat_menu, publisher, settings):
    """The answer would take about 15 s at a byte every 0.5 s; the one-second deadline ends it."""
    assert publish_menu(wechat_menu, publisher).ok  # a token and a baseline first
    settings.PLATFORM_TIMEOUT = 1
    simulator.add_fault("/cgi-bin/menu/get", trickle=0.5)

    outcome = publish_menu(wechat_menu, publisher)

    assert (outcome.ok, outcome.code) == (False, "timeout")
    assert "within 1 seconds" in outcome.hint
    # It was the read before sending that got no answer: nothing was sent, so nothing is unknown.
    assert Publication.objects.first().outcome == "failure"
    assert len(simulator.requests_to(CREATE)) == 1


def test_the_history_says_what_is_unsettled_and_a_publisher_checks_it_now(
    simulator, wechat_menu, publisher, settings, client
):
    from django.urls import reverse

    settings.PLATFORM_TIMEOUT = 0.5
    simulator.add_fault(CREATE, delay=1.0)
    assert publish_menu(wechat_menu, publisher).pending
    wait_for(lambda: simulator.wechat_menu is not None)
    settings.PLATFORM_TIMEOUT = 10
    client.force_login(publisher)
    history = reverse("account_history", args=[wechat_menu.account.slug])

    page = client.get(history).content.decode()
    assert "Outcome unknown" in page and "Check the live menu now" in page

    page = client.post(reverse("account_settle", args=[wechat_menu.account.slug]), follow=True)
    assert "1 entry of the history settled" in page.content.decode()
    assert Publication.objects.get().outcome == "success"
    assert "Check the live menu now" not in client.get(history).content.decode()


def test_menu_settle_settles_every_account_waiting_and_says_so(simulator, wechat_menu, publisher):
    from io import StringIO

    from django.core.management import call_command

    simulator.wechat_menu = wechat_menu.tree  # it went through; the answer was lost
    Publication.objects.create(
        account=wechat_menu.account, menu=wechat_menu, action="publish", outcome="pending",
        payload=json.dumps(wechat_menu.tree, ensure_ascii=False), user=publisher,
    )  # fmt: skip
    out = StringIO()
    call_command("menu_settle", stdout=out)
    assert f"{wechat_menu.account.slug}: The live menu was read and 1 entry" in out.getvalue()
    assert Publication.objects.get().outcome == "success"

"""manage.py menu_schedule: schedule (with a switch back), list, move, cancel; one-line errors, exit 1."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from menueditor.models import ScheduledPublish
from tests.scheduling.conftest import CAMPAIGN_MENU, refreshed, run_worker, the_time_comes

pytestmark = pytest.mark.django_db(transaction=True)


def run(*args) -> str:
    out = io.StringIO()
    call_command("menu_schedule", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def fails(*args) -> str:
    with pytest.raises(CommandError) as failure:
        run(*args)
    assert failure.value.returncode == 1
    message = str(failure.value)
    assert "\n" not in message
    return message


def test_a_campaign_scheduled_from_the_command_line_runs_in_shanghai_time(
    simulator, campaign_menu, everyday_menu, publisher
):
    out = run(
        campaign_menu.pk, "--user", "publisher", "--at", "2099-11-11 00:00",
        "--revert-to", everyday_menu.pk, "--revert-at", "2099-11-12 00:00",
    )  # fmt: skip

    campaign = ScheduledPublish.objects.get(revert_of=None)
    revert = campaign.revert
    assert campaign.run_at.isoformat() == "2099-11-10T16:00:00+00:00"  # midnight in Shanghai
    assert revert.run_at.isoformat() == "2099-11-11T16:00:00+00:00"
    first, then = out.splitlines()
    assert first.startswith(f"Scheduled: #{campaign.pk}  2099-11-11 00:00 Asia/Shanghai  ")
    assert then.startswith(f"Then: #{revert.pk}  2099-11-12 00:00 Asia/Shanghai  ")
    assert then.endswith(f"(switches back after #{campaign.pk})")

    listed = run("--list")
    assert listed.splitlines()[0].startswith(f"#{campaign.pk}")
    assert "“Double 11”" in listed and "“Everyday menu”" in listed and "by publisher" in listed


def test_list_cancel_and_move(simulator, campaign_menu, publisher):
    run(campaign_menu.pk, "--user", "publisher", "--at", "2099-01-01 08:30")
    schedule = ScheduledPublish.objects.get()

    out = run("--move", schedule.pk, "--at", "2099-01-02 09:45", "--user", "publisher")
    assert out.startswith(f"Moved: #{schedule.pk}  2099-01-02 09:45 Asia/Shanghai")
    assert refreshed(schedule).run_at.isoformat() == "2099-01-02T01:45:00+00:00"

    out = run("--cancel", schedule.pk)
    assert out.startswith(f"Cancelled: #{schedule.pk}") and "cancelled" in out
    assert run("--list") == "Nothing is scheduled.\n"
    assert "can no longer be cancelled" in fails("--cancel", schedule.pk)


def test_a_scheduled_publish_from_the_command_line_is_run_by_the_worker(simulator, campaign_menu, publisher):
    soon = timezone.localtime(timezone.now() + timedelta(minutes=5), timezone.get_fixed_timezone(8 * 60))
    run(campaign_menu.pk, "--user", "publisher", "--at", f"{soon:%Y-%m-%d %H:%M}")
    schedule = ScheduledPublish.objects.get()

    the_time_comes(schedule)
    run_worker()

    assert refreshed(schedule).state == "published"
    assert simulator.wechat_menu == CAMPAIGN_MENU


def test_errors_are_one_line_with_exit_1(simulator, campaign_menu, publisher, factories):
    factories.user(username="editor", perms=("change_menu",))
    campaign_menu.account.members.add(*type(publisher).objects.filter(username="editor"))
    assert "YYYY-MM-DD HH:MM" in fails(campaign_menu.pk, "--user", "publisher", "--at", "11/11 noon")
    assert "in the future" in fails(campaign_menu.pk, "--user", "publisher", "--at", "2000-01-01 00:00")
    assert "may not publish" in fails(campaign_menu.pk, "--user", "editor", "--at", "2099-01-01 00:00")
    assert "no menu draft has the id 999" in fails(999, "--user", "publisher", "--at", "2099-01-01 00:00")
    assert "no active user" in fails(campaign_menu.pk, "--user", "nobody", "--at", "2099-01-01 00:00")
    assert "go together" in fails(campaign_menu.pk, "--user", "publisher", "--at", "2099-01-01 00:00",
                                  "--revert-at", "2099-01-02 00:00")  # fmt: skip
    assert "needs --user and --at" in fails(campaign_menu.pk, "--user", "publisher")
    assert "no scheduled publish has the id 5" in fails("--cancel", 5)
    assert "give MENU_ID" in fails("--user", "publisher", "--at", "2099-01-01 00:00")
    assert "no scheduled publish has the id 5" in fails("--move", 5, "--at", "2099-01-01 00:00")
    run(campaign_menu.pk, "--user", "publisher", "--at", "2099-01-01 08:30")
    schedule = ScheduledPublish.objects.get()
    assert "--move needs --at" in fails("--move", schedule.pk)
    assert "Switch back after the publish" in fails(
        campaign_menu.pk, "--user", "publisher", "--at", "2099-01-02 00:00",
        "--revert-to", campaign_menu.pk, "--revert-at", "2099-01-01 00:00",
    )  # fmt: skip
    assert ScheduledPublish.objects.count() == 1

"""Scheduling in the browser: the schedule page, the lists on home and history, move, cancel, notices."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from menueditor.models import ScheduledPublish
from menueditor.publishing import publish_menu
from menueditor.scheduling import in_account_time, schedule_publish
from tests.scheduling.conftest import CAMPAIGN_MENU, CREATE, run_worker, the_time_comes
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db(transaction=True)


def local_fields(account, moment, prefix: str = "") -> dict[str, str]:
    local = in_account_time(account, moment)
    return {f"{prefix}date": f"{local:%Y-%m-%d}", f"{prefix}time": f"{local:%H:%M}"}


@pytest.fixture
def drafts(team, factories):
    campaign = factories.menu(team.a, tree=CAMPAIGN_MENU, title="Double 11", user=team.publisher)
    everyday = factories.menu(team.a, title="Everyday menu", user=team.publisher)
    return campaign, everyday


def test_the_schedule_page_shows_the_time_zone_and_what_would_change(team, drafts):
    campaign, everyday = drafts
    page = client_for(team.publisher).get(reverse("menu_schedule", args=[campaign.pk])).content.decode()
    assert "Schedule “" in page and "Double 11" in page
    assert "Asia/Shanghai time (the account's time zone)" in page
    assert 'type="date"' in page and 'type="time"' in page
    assert "Added “双十一”" in page  # what publishing would change, read from the live menu
    assert f'<option value="{everyday.pk}">Everyday menu</option>' in page  # switch-back choices
    assert f'<option value="{campaign.pk}">' not in page


def test_scheduling_a_campaign_lists_it_on_home_and_in_the_history(team, drafts):
    campaign, everyday = drafts
    at = timezone.now() + timedelta(days=1)
    back = at + timedelta(days=1)
    client = client_for(team.publisher)
    response = client.post(
        reverse("menu_schedule", args=[campaign.pk]),
        {**local_fields(team.a, at), "revert_menu": everyday.pk, **local_fields(team.a, back, "revert_")},
    )
    assert response.status_code == 302 and response.url == reverse("home")
    schedule = ScheduledPublish.objects.get(revert_of=None)
    assert (schedule.menu, schedule.created_by, schedule.revert.menu) == (campaign, team.publisher, everyday)
    assert abs(schedule.run_at - at) < timedelta(minutes=1)
    assert "is scheduled for" in " ".join(str(m) for m in get_messages(response.wsgi_request))

    home = client.get(reverse("home")).content.decode()
    assert "scheduled by publisher_a" in home and "Asia/Shanghai" in home
    assert reverse("schedule_move", args=[schedule.pk]) in home
    assert reverse("schedule_cancel", args=[schedule.pk]) in home
    assert "switch back" in home
    history = client.get(reverse("account_history", args=["coffee"])).content.decode()
    assert "scheduled by publisher_a" in history and "Double 11" in history

    # An editor sees what is scheduled, without the buttons.
    as_editor = client_for(team.editor).get(reverse("home")).content.decode()
    assert "scheduled by publisher_a" in as_editor
    assert reverse("schedule_cancel", args=[schedule.pk]) not in as_editor


def test_a_time_in_the_past_is_refused_beside_the_form(team, drafts):
    campaign, _everyday = drafts
    page = client_for(team.publisher).post(
        reverse("menu_schedule", args=[campaign.pk]),
        local_fields(team.a, timezone.now() - timedelta(hours=1)),
    )
    assert page.status_code == 200
    assert "Pick a time in the future." in page.content.decode()
    assert ScheduledPublish.objects.count() == 0


def test_only_publishers_of_the_account_may_schedule(team, drafts, factories):
    campaign, _everyday = drafts
    url = reverse("menu_schedule", args=[campaign.pk])
    fields = local_fields(team.a, timezone.now() + timedelta(days=1))
    assert client_for(team.editor).get(url).status_code == 403
    assert client_for(team.editor).post(url, fields).status_code == 403
    assert client_for(team.outsider).get(url).status_code == 404  # another team's draft
    assert ScheduledPublish.objects.count() == 0


def test_the_editor_links_publishers_to_the_schedule_page(team, drafts):
    campaign, _everyday = drafts
    link = reverse("menu_schedule", args=[campaign.pk])
    assert link in client_for(team.publisher).get(reverse("menu_edit", args=[campaign.pk])).content.decode()
    assert link not in client_for(team.editor).get(reverse("menu_edit", args=[campaign.pk])).content.decode()


def test_move_and_cancel_from_the_home_page(team, drafts):
    campaign, _everyday = drafts
    schedule = schedule_publish(campaign, team.publisher, timezone.now() + timedelta(days=1))
    client = client_for(team.publisher)
    later = timezone.now() + timedelta(days=2)

    form = client.get(reverse("schedule_move", args=[schedule.pk])).content.decode()
    assert f'value="{in_account_time(team.a, schedule.run_at):%Y-%m-%d}"' in form
    response = client.post(reverse("schedule_move", args=[schedule.pk]), local_fields(team.a, later))
    assert response.status_code == 302
    schedule.refresh_from_db()
    assert abs(schedule.run_at - later) < timedelta(minutes=1)

    assert client_for(team.editor).post(reverse("schedule_cancel", args=[schedule.pk])).status_code == 403
    response = client.post(reverse("schedule_cancel", args=[schedule.pk]), {"next": "history"})
    assert response.url == reverse("account_history", args=["coffee"])
    schedule.refresh_from_db()
    assert (schedule.state, schedule.cancelled_by) == ("cancelled", team.publisher)
    assert "scheduled by publisher_a" not in client.get(reverse("home")).content.decode()

    response = client.post(reverse("schedule_cancel", args=[schedule.pk]))
    assert "can no longer be cancelled" in " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_held_publish_is_a_notice_on_home_and_in_the_history_with_the_differences(team, drafts):
    campaign, everyday = drafts
    assert publish_menu(everyday, team.publisher).ok
    schedule = schedule_publish(campaign, team.publisher, timezone.now() + timedelta(days=1))
    team.sim.wechat_menu = {"button": [{"type": "click", "name": "客服", "key": "SERVICE"}]}
    the_time_comes(schedule)
    run_worker()
    assert len(team.sim.requests_to(CREATE)) == 1

    home = client_for(team.editor).get(reverse("home")).content.decode()
    assert "Scheduled publishes lately" in home
    assert "outcome-held" in home and "scheduled by publisher_a" in home
    assert "Held: the live menu was changed after this publish was scheduled" in home
    history = client_for(team.editor).get(reverse("account_history", args=["coffee"])).content.decode()
    assert "What had changed on the live menu:" in history
    assert "“客服”" in history

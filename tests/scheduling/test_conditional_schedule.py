"""A conditional draft scheduled like any other: the worker adds it (and deletes the menu it replaces),
and a schedule made before someone changed the rule's live menu is held."""

from __future__ import annotations

import pytest

from menueditor.models import ScheduledPublish
from menueditor.publishing import publish_menu
from menueditor.scheduling import schedule_publish
from simulator import DEFAULT_APPID
from tests.scheduling.conftest import refreshed, run_worker, soon, the_time_comes

pytestmark = pytest.mark.django_db(transaction=True)

ADD = "/cgi-bin/menu/addconditional"
VIP = {"button": [{"type": "click", "name": "会员日", "key": "VIP_DAY"}]}


@pytest.fixture
def vip_campaign(simulator, everyday_menu, factories, wechat_account, publisher):
    assert publish_menu(everyday_menu, publisher).ok
    menu = factories.menu(wechat_account, tree=VIP, title="VIP day", user=publisher)
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    return menu


def test_a_scheduled_conditional_draft_is_added_by_the_worker(simulator, vip_campaign, publisher):
    schedule = schedule_publish(vip_campaign, publisher, soon(60))
    the_time_comes(schedule)
    run_worker()
    assert refreshed(schedule).state == ScheduledPublish.State.PUBLISHED
    [live] = simulator.wechat_conditional_menus
    assert live["matchrule"] == {"tag_id": "100"} and live["button"] == VIP["button"]
    assert len(simulator.requests_to(ADD)) == 1


def test_a_schedule_over_a_rule_changed_since_is_held(simulator, vip_campaign, publisher):
    assert publish_menu(vip_campaign, publisher).ok
    schedule = schedule_publish(vip_campaign, publisher, soon(60))
    with simulator.lock:  # someone changes the VIP menu elsewhere
        simulator.wechat.apps[DEFAULT_APPID].conditional[0]["button"][0]["name"] = "别处改的"
    the_time_comes(schedule)
    run_worker()
    assert refreshed(schedule).state == ScheduledPublish.State.HELD
    assert len(simulator.requests_to(ADD)) == 1  # only the first, direct publish

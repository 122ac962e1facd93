"""Drift: a live menu changed elsewhere since our last publish is shown, and replaced only when confirmed."""

from __future__ import annotations

import pytest

from menueditor.models import Publication
from menueditor.publishing import delete_live_menu, preview_publish, publish_menu, pull_menu
from menueditor.tree import parse_menu

from .conftest import paths, snapshot

pytestmark = pytest.mark.django_db

ELSEWHERE = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "CHANGED_ELSEWHERE"},
        {"type": "view", "name": "官网", "url": "https://example.com/"},
    ]
}


def test_no_drift_when_the_live_menu_is_what_we_published(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    second = publish_menu(wechat_menu, publisher)
    assert second.ok, second


def test_a_menu_changed_elsewhere_stops_the_publish_and_shows_the_difference(
    simulator, wechat_menu, publisher
):
    assert publish_menu(wechat_menu, publisher).ok
    simulator.wechat_menu = ELSEWHERE  # someone used another tool
    before = snapshot(wechat_menu)
    creates = len(simulator.requests_to("/cgi-bin/menu/create"))

    outcome = publish_menu(wechat_menu, publisher)

    assert not outcome.ok
    assert outcome.code == "drift"
    assert "outside this app" in outcome.hint
    # Matched by name, not slot: the button kept its name and got another key; the sub-menu went.
    assert outcome.changes == [
        "Removed the sub-menu “菜单” and its 2 sub-buttons (“搜索”, “赞一下我们”) from menu bar position 2",
        "Changed “今日歌曲” (menu bar position 1): "
        "Key changed from “V1001_TODAY_MUSIC” to “CHANGED_ELSEWHERE”",
        "Added “官网” (Open web page) at menu bar position 2",
    ]
    assert len(simulator.requests_to("/cgi-bin/menu/create")) == creates
    assert simulator.wechat_menu == ELSEWHERE
    assert snapshot(wechat_menu) == before
    assert Publication.objects.count() == 1  # nothing was sent: only the first publish is recorded
    # The menus compared, for the two phones of pages that did not come from a review (publish again).
    assert outcome.drift_base.to_json() == parse_menu(wechat_menu.tree).to_json()
    # menu/get gives leaves "sub_button": [] too: compared as menus, not as texts.
    assert outcome.live_tree.canonical() == parse_menu(ELSEWHERE).canonical()
    assert outcome.draft_tree.to_json() == parse_menu(wechat_menu.tree).to_json()
    assert "Removed “官网” (Open web page) from menu bar position 2" in outcome.publish_changes

    confirmed = publish_menu(wechat_menu, publisher, confirm_drift=True)
    assert confirmed.ok
    assert simulator.wechat_menu == wechat_menu.tree


def test_a_console_menu_never_published_from_here_counts_as_drift(simulator, wechat_menu, publisher):
    simulator.set_console_menu({"button": [{"type": "text", "name": "hello", "value": "hi"}]})
    outcome = publish_menu(wechat_menu, publisher)
    assert outcome.code == "drift"
    assert "not published from this app" in outcome.changes[0]
    assert paths(simulator)[-1] == "/cgi-bin/get_current_selfmenu_info"


def test_a_menu_deleted_elsewhere_is_drift(simulator, weibo_menu, publisher):
    assert publish_menu(weibo_menu, publisher).ok
    simulator.weibo_menu = None
    outcome = publish_menu(weibo_menu, publisher)
    assert outcome.code == "drift"
    assert "deleted" in outcome.changes[0]


def test_after_a_pull_the_pulled_menu_is_the_known_state(simulator, wechat_account, publisher):
    simulator.wechat_menu = ELSEWHERE
    pulled = pull_menu(wechat_account, publisher).menu
    pulled.tree["button"][0]["key"] = "EDITED_HERE"
    pulled.save()
    assert publish_menu(pulled, publisher).ok


def test_after_deleting_here_an_empty_live_menu_is_no_drift(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert delete_live_menu(wechat_menu.account, publisher).ok
    assert publish_menu(wechat_menu, publisher).ok


def test_the_weibo_menu_drifts_too(simulator, weibo_menu, publisher):
    assert publish_menu(weibo_menu, publisher).ok
    simulator.weibo_menu = ELSEWHERE
    assert publish_menu(weibo_menu, publisher).code == "drift"


def test_preview_shows_what_will_change_and_the_drift(simulator, wechat_menu, publisher):
    first = preview_publish(wechat_menu, publisher)
    assert first.live_tree is None
    assert first.drift is False
    assert first.changes[0] == "there is no menu now; a new one is created"
    assert "Added “今日歌曲” (Click (send key)) at menu bar position 1" in first.changes

    assert publish_menu(wechat_menu, publisher).ok
    unchanged = preview_publish(wechat_menu, publisher)
    assert (unchanged.changes, unchanged.drift) == ([], False)

    simulator.wechat_menu = ELSEWHERE
    drifted = preview_publish(wechat_menu, publisher)
    assert drifted.drift is True
    assert drifted.drift_changes
    assert (
        "Changed “今日歌曲” (menu bar position 1): "
        "Key changed from “CHANGED_ELSEWHERE” to “V1001_TODAY_MUSIC”" in drifted.changes
    )
    assert "Removed “官网” (Open web page) from menu bar position 2" in drifted.changes
    assert (
        drifted.drift_base is not None and drifted.drift_base.buttons[0].value("key") == "V1001_TODAY_MUSIC"
    )
    assert len(simulator.requests_to("/cgi-bin/menu/create")) == 1


def test_preview_reports_a_platform_failure_as_an_outcome(simulator, wechat_menu, publisher):
    simulator.add_fault("/cgi-bin/menu/get", http_status=502)
    preview = preview_publish(wechat_menu, publisher)
    assert preview.outcome is not None
    assert preview.outcome.code == "http_502"
    assert preview.outcome.hint
    assert not Publication.objects.exists()


def test_a_failed_drift_check_is_a_failed_publish(simulator, wechat_menu, publisher):
    simulator.add_fault("/cgi-bin/menu/get", errcode=45011)
    outcome = publish_menu(wechat_menu, publisher)
    assert outcome.code == "45011"
    assert simulator.requests_to("/cgi-bin/menu/create") == []
    assert Publication.objects.get().outcome == "failure"

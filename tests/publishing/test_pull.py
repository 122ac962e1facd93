"""Pull: the live menu into a new draft, converting what can be and listing what cannot."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from menueditor.models import Menu, Publication
from menueditor.platforms import get_platform
from menueditor.publishing import pull_menu
from menueditor.tree import parse_menu

from .conftest import paths

pytestmark = pytest.mark.django_db

API_MENU = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": "搜索", "url": "http://www.soso.com/"},
                {
                    "type": "miniprogram",
                    "name": "wxa",
                    "url": "http://mp.weixin.qq.com",
                    "appid": "wx286b93c14bbf93aa",
                    "pagepath": "pages/lunar/index",
                },
                {"type": "click", "name": "赞一下我们", "key": "V1001_GOOD"},
            ],
        },
    ]
}

# A menu saved in the MP web console, as get_current_selfmenu_info reports it.
CONSOLE_MENU = {
    "button": [
        {"type": "text", "name": "button1", "value": "123"},
        {"type": "img", "name": "button2", "value": "QO6HtovM5yRhObNqNa-p8rwkrJsDW0jEVU3UoGMvbCg"},
        {
            "name": "button3",
            "sub_button": {
                "list": [
                    {
                        "type": "voice",
                        "name": "voice",
                        "value": "QO6HtovM5yRhObNqNa-p8rwkrJsDW0jEVU3UoGMvbCg",
                    },
                    {"type": "video", "name": "video", "value": "http://61.161.163.148/qq.mp4"},
                    {
                        "type": "news",
                        "name": "news",
                        "value": "KQb_w_Tiz-nSdVLoTV35Psmty8hGBulGhEdbb9SKs-o",
                        "news_info": {"list": [{"title": "MULTI_NEWS", "digest": "digest"}]},
                    },
                    {"type": "view", "name": "view", "url": "http://www.qq.com"},
                    {"type": "click", "name": "click", "key": "V1001_GOOD"},
                ]
            },
        },
    ]
}


def test_pulling_an_api_menu_makes_a_new_draft(simulator, wechat_account, publisher):
    simulator.wechat_menu = API_MENU

    result = pull_menu(wechat_account, publisher)

    assert result.outcome.ok
    assert result.unconvertible == []
    menu = Menu.objects.get()
    assert result.menu == menu
    assert menu.account == wechat_account
    assert menu.updated_by == publisher
    assert menu.tree == API_MENU  # menu/get's empty sub_button lists on leaves are dropped
    assert get_platform("wechat").errors(parse_menu(menu.tree)) == []
    publication = Publication.objects.get()
    assert (publication.action, publication.outcome, publication.menu) == ("pull", "success", menu)
    assert paths(simulator)[-1] == "/cgi-bin/menu/get"


def test_a_console_menu_is_read_from_selfmenu_info_and_its_replies_listed(
    simulator, wechat_account, publisher
):
    simulator.set_console_menu(CONSOLE_MENU)

    result = pull_menu(wechat_account, publisher)

    assert result.outcome.ok
    assert paths(simulator)[-2:] == ["/cgi-bin/menu/get", "/cgi-bin/get_current_selfmenu_info"]
    assert result.menu.tree == {
        "button": [
            {"name": "button1"},
            {"name": "button2"},
            {
                "name": "button3",
                "sub_button": [
                    {"name": "voice"},
                    {"name": "video"},
                    {"name": "news"},
                    {"type": "view", "name": "view", "url": "http://www.qq.com"},
                    {"type": "click", "name": "click", "key": "V1001_GOOD"},
                ],
            },
        ]
    }
    assert len(result.unconvertible) == 5
    assert "button 1 “button1”" in result.unconvertible[0]
    assert "text reply" in result.unconvertible[0]
    assert "button 3, sub-button 3 “news”" in result.unconvertible[4]
    assert "news" in result.unconvertible[4]
    assert "attention" in result.outcome.hint
    # The kept slots need a type before the draft can be published.
    problems = get_platform("wechat").errors(parse_menu(result.menu.tree))
    assert {p.path for p in problems} == {(0,), (1,), (2, 0), (2, 1), (2, 2)}


def test_an_empty_live_menu_is_said_and_makes_no_draft(simulator, wechat_account, weibo_account, publisher):
    for account in (wechat_account, weibo_account):
        result = pull_menu(account, publisher)
        assert result.outcome.ok
        assert result.outcome.code == "empty"
        assert "empty" in result.outcome.hint
        assert result.menu is None
    assert not Menu.objects.exists()
    assert Publication.objects.filter(action="pull").count() == 2


def test_a_failed_pull_is_recorded_with_its_hint(simulator, wechat_account, publisher):
    simulator.add_fault("/cgi-bin/menu/get", errcode=48001)
    result = pull_menu(wechat_account, publisher)
    assert not result.outcome.ok
    assert result.outcome.code == "48001"
    assert result.menu is None
    publication = Publication.objects.get()
    assert (publication.action, publication.outcome, publication.code) == ("pull", "failure", "48001")


def test_conditional_menus_are_mentioned(simulator, wechat_account, publisher):
    simulator.wechat_menu = API_MENU
    with simulator.lock:
        simulator.wechat.apps["wx0123456789abcdef"].conditional = [
            {"button": API_MENU["button"], "matchrule": {"tag_id": "2"}, "menuid": 208379533}
        ]
    result = pull_menu(wechat_account, publisher)
    assert result.menu.tree == API_MENU
    assert any("conditional" in line for line in result.unconvertible)


def test_pulling_needs_the_edit_permission(simulator, wechat_account, factories):
    outsider = factories.user(perms=("change_menu", "publish_menu"))
    with pytest.raises(PermissionDenied):
        pull_menu(wechat_account, outsider)
    viewer = factories.user()
    wechat_account.members.add(viewer)
    with pytest.raises(PermissionDenied):
        pull_menu(wechat_account, viewer)
    assert simulator.requests == []

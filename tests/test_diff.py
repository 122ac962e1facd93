"""Comparing menus as followers see them: one canonical form, however a platform wrote the menu."""

from __future__ import annotations

import json

from menueditor.diff import describe_changes, live_fingerprint, same_menu
from menueditor.platforms import get_platform
from menueditor.tree import parse_menu

DRAFT = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {"name": "菜单", "sub_button": [{"type": "view", "name": "搜索", "url": "http://www.soso.com/"}]},
    ]
}
# The same menu as each platform reads it back.
WECHAT_MENU_GET = {
    "menu": {
        "button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC", "sub_button": []},
            {
                "name": "菜单",
                "sub_button": [
                    {"type": "view", "name": "搜索", "url": "http://www.soso.com/", "sub_button": []},
                ],
            },
        ],
        "menuid": 208396938,
    }
}
WECHAT_SELFMENU_INFO = {
    "is_menu_open": 1,
    "selfmenu_info": {
        "button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
            {
                "name": "菜单",
                "sub_button": {"list": [{"type": "view", "name": "搜索", "url": "http://www.soso.com/"}]},
            },
        ]
    },
}
WEIBO_SHOW = {"menu": json.dumps(DRAFT, ensure_ascii=False)}  # some clients saw the menu as JSON text


def read_backs():
    return [
        get_platform("wechat").read_stored(json.dumps(WECHAT_MENU_GET, ensure_ascii=False)).tree,
        get_platform("wechat").read_stored(json.dumps(WECHAT_SELFMENU_INFO, ensure_ascii=False)).tree,
        get_platform("weibo").read_stored(json.dumps(WEIBO_SHOW, ensure_ascii=False)).tree,
    ]


def test_the_same_menu_read_back_from_each_platform_is_the_same_menu():
    draft = parse_menu(DRAFT)
    for tree in read_backs():
        assert tree is not None
        assert tree.canonical() == draft.canonical()
        assert same_menu(tree, draft)
        assert live_fingerprint(tree) == live_fingerprint(draft)
        assert describe_changes(tree, draft) == []


def test_a_changed_value_is_a_different_menu_with_another_fingerprint():
    changed = json.loads(json.dumps(DRAFT))
    changed["button"][1]["sub_button"][0]["url"] = "http://www.soso.com/new"
    before, after = parse_menu(DRAFT), parse_menu(changed)
    assert not same_menu(before, after)
    assert live_fingerprint(before) != live_fingerprint(after)
    assert describe_changes(before, after) == [
        "button 2, sub-button 1 “搜索”: url changed from “http://www.soso.com/” to “http://www.soso.com/new”"
    ]


def test_a_field_no_platform_table_lists_is_still_compared():
    before = parse_menu({"button": [{"type": "click", "name": "A", "key": "k", "agentid": "1"}]})
    after = parse_menu({"button": [{"type": "click", "name": "A", "key": "k", "agentid": "2"}]})
    assert not same_menu(before, after)
    assert describe_changes(before, after) == ["button 1 “A”: agentid changed from “1” to “2”"]


def test_no_menu_and_a_menu_without_buttons_look_the_same():
    assert same_menu(None, parse_menu({"button": []}))
    assert live_fingerprint(None) == live_fingerprint(parse_menu({"button": []}))

"""Comparing menus as followers see them: one canonical form, however a platform wrote the menu."""

from __future__ import annotations

import json

from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from menueditor.diff import compare_menus, describe_changes, live_fingerprint, same_menu
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
    assert describe_changes(before, after, get_platform("wechat")) == [
        "Changed “搜索” (“菜单” position 1): Web address changed from “http://www.soso.com/” to "
        "“http://www.soso.com/new”"
    ]


def test_a_field_no_platform_table_lists_is_still_compared():
    before = parse_menu({"button": [{"type": "click", "name": "A", "key": "k", "agentid": "1"}]})
    after = parse_menu({"button": [{"type": "click", "name": "A", "key": "k", "agentid": "2"}]})
    assert not same_menu(before, after)
    assert describe_changes(before, after) == [
        "Changed “A” (menu bar position 1): agentid changed from “1” to “2”"
    ]


def test_no_menu_and_a_menu_without_buttons_look_the_same():
    assert same_menu(None, parse_menu({"button": []}))
    assert live_fingerprint(None) == live_fingerprint(parse_menu({"button": []}))


# -- matching buttons by what they are, not where they sit --------------------------------------------

WECHAT = get_platform("wechat")

FULL = {
    "button": [
        {
            "name": "Shop",
            "sub_button": [
                {"type": "view", "name": "Store", "url": "https://shop.example.com/"},
                {"type": "click", "name": "Coupons", "key": "COUPONS"},
                {"type": "pic_sysphoto", "name": "Photo", "key": "PHOTO"},
            ],
        },
        {"name": "About", "sub_button": [{"type": "view", "name": "Us", "url": "https://example.com/us"}]},
        {"type": "click", "name": "Help", "key": "HELP"},
    ]
}


def _edit(change) -> dict:
    data = json.loads(json.dumps(FULL))
    change(data)
    return data


def _compare(before: dict, after: dict):
    return compare_menus(parse_menu(before), parse_menu(after), WECHAT)


def _kinds(diff) -> list[str]:
    return sorted(c.kind for c in diff.changes)


def test_two_sub_buttons_removed_and_one_added_elsewhere_read_as_removed_and_added():
    def change(data):
        del data["button"][0]["sub_button"][1:3]
        data["button"][1]["sub_button"].append({"type": "media_id", "name": "Video", "media_id": "M1"})

    diff = _compare(FULL, _edit(change))
    assert _kinds(diff) == ["added", "removed", "removed"]
    assert diff.lines() == [
        "Removed “Coupons” (Click (send key)) from “Shop” position 2",
        "Removed “Photo” (Take a photo) from “Shop” position 3",
        "Added “Video” (Send material) at “About” position 2",
    ]
    assert diff.before_marks == {(0, 1): "removed", (0, 2): "removed"}
    assert diff.after_marks == {(1, 1): "added"}


def test_a_removed_sub_button_and_a_new_one_in_its_slot_are_not_a_rename():
    def change(data):
        data["button"][0]["sub_button"][1] = {"type": "view", "name": "News", "url": "https://example.com/n"}

    diff = _compare(FULL, _edit(change))
    assert _kinds(diff) == ["added", "removed"]
    text = " ".join(diff.lines())
    assert "renamed" not in text and "changed from" not in text


def test_no_raw_type_code_appears_in_any_sentence():
    def change(data):
        data["button"][0]["sub_button"][2]["type"] = "pic_weixin"
        data["button"][2] = {"type": "view", "name": "Help", "url": "https://example.com/help"}

    lines = _compare(FULL, _edit(change)).lines()
    assert lines == [
        "Changed “Photo” (“Shop” position 3): what it does changed from “Take a photo” to “WeChat album”",
        "Changed “Help” (menu bar position 3): what it does changed from “Click (send key)” to "
        "“Open web page”; Web address set to “https://example.com/help”",
    ]
    for code in ("pic_sysphoto", "pic_weixin", "view", "click", "key", "url"):
        assert all(f" {code} " not in f" {line} ".replace("“", " ").replace("”", " ") for line in lines)


def test_a_swap_reads_as_one_move():
    def change(data):
        subs = data["button"][0]["sub_button"]
        subs[0], subs[1] = subs[1], subs[0]

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Moved “Coupons” from “Shop” position 2 to “Shop” position 1"]
    assert diff.before_marks == {(0, 1): "moved"}
    assert diff.after_marks == {(0, 0): "moved"}


def test_buttons_shifted_by_a_removal_are_not_moved():
    def change(data):
        del data["button"][0]["sub_button"][0]

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Removed “Store” (Open web page) from “Shop” position 1"]


def test_a_button_moved_to_another_sub_menu_says_from_where_to_where():
    def change(data):
        coupons = data["button"][0]["sub_button"].pop(1)
        data["button"][1]["sub_button"].insert(0, coupons)

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Moved “Coupons” from “Shop” position 2 to “About” position 1"]
    assert diff.before_marks == {(0, 1): "moved"}
    assert diff.after_marks == {(1, 0): "moved"}


def test_a_moved_and_renamed_button_says_both():
    def change(data):
        coupons = data["button"][0]["sub_button"].pop(1)
        coupons["name"] = "Deals"
        data["button"][1]["sub_button"].append(coupons)

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == [
        "Moved “Coupons” from “Shop” position 2 to “About” position 2; renamed to “Deals”"
    ]


def test_a_renamed_button_keeps_its_key_and_reads_as_renamed():
    def change(data):
        data["button"][2]["name"] = "Support"

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Changed “Help” (menu bar position 3): renamed to “Support”"]
    assert diff.after_marks == {(2,): "changed"}


def test_a_renamed_sub_menu_is_recognised_by_its_sub_buttons():
    def change(data):
        data["button"][0]["name"] = "Store front"

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Changed “Shop” (menu bar position 1): renamed to “Store front”"]


def test_duplicate_names_are_told_apart_by_their_keys():
    before = {
        "button": [
            {
                "name": "Deals",
                "sub_button": [
                    {"type": "click", "name": "优惠", "key": "A"},
                    {"type": "click", "name": "优惠", "key": "B"},
                ],
            }
        ]
    }
    after = {
        "button": [
            {
                "name": "Deals",
                "sub_button": [
                    {"type": "click", "name": "优惠", "key": "B"},
                ],
            }
        ]
    }
    diff = _compare(before, after)
    assert diff.before_marks == {(0, 0): "removed"}
    assert diff.lines() == ["Removed “优惠” (Click (send key)) from “Deals” position 1"]


def test_identical_buttons_pair_in_their_own_slots():
    button = {"type": "click", "name": "Same", "key": "K"}
    diff = _compare({"button": [button, button, button]}, {"button": [button, button]})
    assert diff.lines() == ["Removed “Same” (Click (send key)) from menu bar position 3"]
    assert (
        compare_menus(
            parse_menu({"button": [button, button]}), parse_menu({"button": [button, button]})
        ).lines()
        == []
    )


def test_a_removed_sub_menu_is_one_line_with_its_sub_buttons():
    def change(data):
        del data["button"][0]

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == [
        "Removed the sub-menu “Shop” and its 3 sub-buttons (“Store”, “Coupons”, “Photo”) "
        "from menu bar position 1"
    ]
    assert diff.before_marks == {(0,): "removed", (0, 0): "removed", (0, 1): "removed", (0, 2): "removed"}


def test_a_mini_program_is_known_by_its_page_not_its_fallback_address():
    mini = {
        "type": "miniprogram",
        "name": "App",
        "appid": "wx286b93c14bbf93aa",
        "pagepath": "pages/a",
        "url": "https://a.example.com/",
    }
    moved = dict(mini, url="https://b.example.com/")
    diff = _compare(
        {"button": [mini, {"type": "click", "name": "X", "key": "X"}]},
        {"button": [{"type": "click", "name": "X", "key": "X"}, moved]},
    )
    assert diff.lines() == [
        "Moved “X” from menu bar position 2 to menu bar position 1",
        "Changed “App” (menu bar position 2): Web address changed from “https://a.example.com/” to "
        "“https://b.example.com/”",
    ]


def test_a_console_reply_is_named_as_what_publishing_loses():
    before = {"button": [{"name": "Hello"}]}  # a console text reply, read as an untyped button
    after = {"button": [{"type": "click", "name": "Hello", "key": "HELLO"}]}
    diff = compare_menus(parse_menu(before), parse_menu(after), WECHAT, before_types={(0,): "a text reply"})
    assert diff.lines() == [
        "Changed “Hello” (menu bar position 1): what it does changed from “a text reply” to "
        "“Click (send key)”; Key set to “HELLO”"
    ]


def test_the_review_reads_in_chinese():
    def change(data):
        del data["button"][0]["sub_button"][1]

    with translation.override("zh-hans"):
        lines = _compare(FULL, _edit(change)).lines()
    assert lines and "pic_sysphoto" not in lines[0] and "click" not in lines[0]


# -- any two menus ------------------------------------------------------------------------------------

_NAMES = st.sampled_from(["A", "B", "优惠", "", "Shop"])
_LEAF = st.builds(
    lambda kind, name, value: {"type": kind, "name": name, ("url" if kind == "view" else "key"): value},
    st.sampled_from(["click", "view", "pic_sysphoto"]),
    _NAMES,
    st.sampled_from(["K1", "K2", "https://a.example/", ""]),
)
_TOP = st.one_of(
    _LEAF,
    st.builds(lambda name, subs: {"name": name, "sub_button": subs}, _NAMES, st.lists(_LEAF, max_size=5)),
)
_MENU = st.builds(lambda buttons: {"button": buttons}, st.lists(_TOP, max_size=3))


@settings(max_examples=300, deadline=None)
@given(_MENU, _MENU)
def test_any_two_menus_compare_without_error_and_account_for_every_button(a, b):
    before, after = parse_menu(a).canonical(), parse_menu(b).canonical()
    diff = compare_menus(before, after, WECHAT)
    assert (diff.lines() == []) == same_menu(before, after)
    old_paths = {(i,) for i in range(len(before.buttons))} | {
        (i, j) for i, x in enumerate(before.buttons) if x.is_parent for j in range(len(x.children or []))
    }
    new_paths = {(i,) for i in range(len(after.buttons))} | {
        (i, j) for i, x in enumerate(after.buttons) if x.is_parent for j in range(len(x.children or []))
    }
    assert set(diff.before_marks) <= old_paths and set(diff.after_marks) <= new_paths
    # A removed button is marked only on the live phone, an added one only on the draft's.
    assert "added" not in diff.before_marks.values() and "removed" not in diff.after_marks.values()
    for line in diff.lines():
        assert "pic_sysphoto" not in line
    # Compared with itself, a menu has no changes.
    assert compare_menus(before, before, WECHAT).lines() == []


def test_a_button_moved_from_the_bar_into_a_sub_menu_says_so():
    def change(data):
        data["button"][0]["sub_button"].append(data["button"].pop(2))

    diff = _compare(FULL, _edit(change))
    assert diff.lines() == ["Moved “Help” from menu bar position 3 to “Shop” position 4"]


def test_a_button_that_becomes_a_sub_menu_says_so():
    def change(data):
        data["button"][2] = {
            "name": "Help",
            "sub_button": [{"type": "view", "name": "FAQ", "url": "https://f/"}],
        }

    assert _compare(FULL, _edit(change)).lines() == [
        "Changed “Help” (menu bar position 3): now opens a sub-menu",
        "Added “FAQ” (Open web page) at “Help” position 1",
    ]


def test_a_type_the_platform_does_not_take_is_said_in_words_not_its_code():
    before = parse_menu({"button": [{"type": "click", "name": "A", "key": "A"}]})
    after = parse_menu(
        {
            "button": [
                {"type": "click", "name": "A", "key": "A"},
                {"type": "media_id", "name": "M", "media_id": "X"},
            ]
        }
    )
    assert compare_menus(before, after, get_platform("weibo")).lines() == [
        "Added “M” (a type this platform does not accept) at menu bar position 2"
    ]

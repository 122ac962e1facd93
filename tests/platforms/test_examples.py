"""Every example on the two platform pages, read against its own page's rules.

The fixtures under examples/ are the request examples copied byte for byte from WeChat's menu/create
page (sections 5.1 and 5.2) and Weibo's menu/create.json page (the JSON and its URL-encoded form).
Each platform counts bytes its own way: WeChat in UTF-8, Weibo as GBK/GB18030 does (platforms.md).
"""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import parse_qs, unquote_plus, urlencode

import pytest

from menueditor.platforms import get_platform
from menueditor.platforms.base import ERROR, WARNING
from menueditor.tree import dumps_menu, parse_menu

from .builders import summary_of

EXAMPLES = Path(__file__).parent / "examples"
WECHAT = get_platform("wechat")
WEIBO = get_platform("weibo")


def example(name: str) -> str:
    return (EXAMPLES / name).read_text(encoding="utf-8")


ALL = [
    ("wechat_5_1_click_and_view.json", WECHAT),
    ("wechat_5_2_other_button_types.json", WECHAT),
    ("weibo_menu_create.json", WEIBO),
]


@pytest.mark.parametrize(("name", "platform"), ALL)
def test_example_goes_through_parser_and_writer_unchanged(name, platform):
    original = json.loads(example(name))
    tree = parse_menu(example(name))
    assert tree.to_json() == original
    assert json.loads(dumps_menu(tree)) == original
    assert parse_menu(dumps_menu(tree)) == tree


@pytest.mark.parametrize(("name", "platform"), ALL)
def test_example_payload_is_the_example(name, platform):
    """What would be sent for the example is the example itself: every field belongs to its type."""
    tree = parse_menu(example(name))
    assert json.loads(platform.payload_text(tree)) == json.loads(example(name))


@pytest.mark.parametrize(("name", "platform"), ALL)
def test_example_payload_text_is_the_example_written_out_in_the_page_s_own_order(name, platform):
    """Byte for byte, field order included: the platform writes fields in its table's order."""
    tree = parse_menu(example(name))
    expected = json.dumps(json.loads(example(name)), ensure_ascii=False)
    # The one button of the pages written name first: the type always comes first.
    expected = expected.replace(
        '"name": "发送位置", "type": "location_select"', '"type": "location_select", "name": "发送位置"'
    )
    assert platform.payload_text(tree) == expected


def test_wechat_5_1_click_view_and_miniprogram_is_accepted_without_remark():
    tree = parse_menu(example("wechat_5_1_click_and_view.json"))
    assert WECHAT.validate(tree) == []
    assert [b.name for b in tree.buttons] == ["今日歌曲", "菜单"]
    mini = tree.button_at((1, 1))
    assert (mini.type, mini.value("appid"), mini.value("pagepath"), mini.value("url")) == (
        "miniprogram",
        "wx286b93c14bbf93aa",
        "pages/lunar/index",
        "http://mp.weixin.qq.com",
    )


def test_wechat_5_2_is_refused_for_seven_top_level_buttons_and_24_byte_names():
    """The page answers errcode 0, but by its own rules (3 buttons, 16-byte names) it cannot pass."""
    tree = parse_menu(example("wechat_5_2_other_button_types.json"))
    problems = WECHAT.validate(tree)
    assert summary_of([p for p in problems if p.severity == ERROR]) == [
        ((), "button", ERROR, "40016", 3, 7),
        ((5,), "name", ERROR, "40018", 16, 24),  # 发布后的图文消息: 8 CJK characters
        ((6,), "name", ERROR, "40018", 16, 24),
    ]
    # view_limited is legacy: a warning that points to article_view_limited, not a refusal.
    warnings = [p for p in problems if p.severity == WARNING]
    assert [(p.path, p.field) for p in warnings] == [((4,), "type")]
    assert "article" in warnings[0].message.lower()


def test_wechat_5_2_with_three_buttons_kept_is_accepted():
    """The same example cut to its first three buttons: the sub-buttons' "sub_button": [] is fine."""
    data = json.loads(example("wechat_5_2_other_button_types.json"))
    data["button"] = data["button"][:3]
    tree = parse_menu(data)
    assert WECHAT.errors(tree) == []
    assert tree.to_json() == data
    # 拍照或者相册发图 is 8 CJK characters: the most a sub-button shows without "...".
    assert WECHAT.display_name("拍照或者相册发图", 2) == "拍照或者相册发图"


def test_wechat_5_2_types_are_all_known_with_their_fields():
    tree = parse_menu(example("wechat_5_2_other_button_types.json"))
    leaves = [b for top in tree.buttons for b in (top.children if top.is_parent else [top])]
    for leaf in leaves:
        assert leaf.type in WECHAT.button_types
        for spec in WECHAT.fields_for(leaf.type):
            assert leaf.value(spec.name)


def test_weibo_example_is_accepted_as_weibo_counts_and_warns_of_truncation():
    """Weibo counts as GB18030 does: 查询客服电话 is 12 of 16 bytes there (18 in UTF-8), so the page's own
    example passes, as menu/show.json's page, answering with the same name, shows it did."""
    tree = parse_menu(example("weibo_menu_create.json"))
    problems = WEIBO.validate(tree)
    assert WEIBO.errors(tree) == []
    # Only the phone's display width (assumed the same as WeChat's: 4 Chinese characters on a
    # top-level button) is passed: a warning each, never a refusal.
    assert summary_of(problems) == [
        ((0,), "name", WARNING, "", 8, 10),  # 获取优惠券: 10 bytes fit, 5 characters do not show
        ((1,), "name", WARNING, "", 8, 12),  # 查询客服电话: 12 bytes fit, 6 characters do not show
    ]
    assert problems[0].params["shown"] == "获取优惠..."
    assert WEIBO.display_name("获取优惠券", 1) == "获取优惠..."
    assert WEIBO.display_name("查询客服电话", 1) == "查询客服..."


def test_weibo_example_names_keys_and_urls_counted_as_weibo_counts():
    tree = parse_menu(example("weibo_menu_create.json"))
    top = [(b.name, WEIBO.byte_length(b.name)) for b in tree.buttons]
    assert top == [("获取优惠券", 10), ("查询客服电话", 12), ("菜单", 4)]
    subs = [(b.name, WEIBO.byte_length(b.name)) for b in tree.buttons[2].children]
    assert subs == [("网上4S店", 8), ("砍价团", 6), ("么么哒", 6)]
    assert all(WEIBO.byte_length(n) <= WEIBO.name_limit(1) for n, _ in top)
    assert all(WEIBO.byte_length(n) <= WEIBO.name_limit(2) for n, _ in subs)
    leaves = [*tree.buttons[:2], *tree.buttons[2].children]
    values = [
        (spec.name, WEIBO.byte_length(leaf.value(spec.name)))
        for leaf in leaves
        for spec in WEIBO.fields_for(leaf.type)
    ]
    assert values == [("key", 11), ("key", 31), ("url", 41), ("url", 41), ("key", 6)]
    # The same name as WeChat counts it would be refused there: the counting is each platform's.
    assert WECHAT.byte_length("查询客服电话") == 18 > WECHAT.name_limit(1)


def test_weibo_urlencoded_example_is_the_same_menu():
    """The page's curl sends menus=<URL-encoded JSON>; decoded, it is the JSON example."""
    encoded = example("weibo_menu_create_menus_urlencoded.txt").strip()
    decoded = unquote_plus(encoded)
    assert parse_menu(decoded) == parse_menu(example("weibo_menu_create.json"))


def test_weibo_payload_survives_form_encoding_once():
    tree = parse_menu(example("weibo_menu_create.json"))
    body = urlencode({"menus": WEIBO.payload_text(tree)})
    assert parse_menu(parse_qs(body)["menus"][0]) == tree


def test_wechat_example_is_refused_by_weibo_which_knows_only_click_and_view():
    """A cross-check, not the page's own verdict: Weibo has no mini program button."""
    tree = parse_menu(example("wechat_5_1_click_and_view.json"))
    assert summary_of(WEIBO.errors(tree)) == [((1, 1), "type", ERROR, "", None, "miniprogram")]

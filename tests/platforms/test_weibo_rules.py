"""Weibo's menu rules at their edges: click and view only, names 16/40 bytes, key 128, url 256.

Bytes are counted as Weibo counts them, as GBK/GB18030 does: ASCII 1, a Chinese character 2, an emoji 4.
"""

from __future__ import annotations

import json

import pytest

from menueditor.platforms import get_platform
from menueditor.platforms.base import ERROR, WARNING
from menueditor.platforms.weibo import WeiboRules
from menueditor.tree import parse_menu

from .builders import CJK, EMOJI, click, errors_of, menu, parent, problems_of, summary_of, view

WEIBO = get_platform("weibo")


def test_get_platform_gives_the_weibo_rules():
    assert isinstance(WEIBO, WeiboRules)
    assert WEIBO.code == "weibo"


def test_weibo_knows_click_and_view_only():
    assert set(WEIBO.button_types) == {"click", "view"}
    assert [s.name for s in WEIBO.fields_for("click")] == ["key"]
    assert [s.name for s in WEIBO.fields_for("view")] == ["url"]
    assert WEIBO.fields_for("miniprogram") == ()


@pytest.mark.parametrize("count", [1, 2, 3])
def test_one_to_three_top_level_buttons_pass(count):
    assert errors_of(WEIBO, menu(*[view() for _ in range(count)])) == []


@pytest.mark.parametrize("count", [0, 4])
def test_zero_or_four_top_level_buttons_fail(count):
    assert summary_of(errors_of(WEIBO, menu(*[view() for _ in range(count)]))) == [
        ((), "button", ERROR, "", 3, count)
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_one_to_five_sub_buttons_pass(count):
    assert errors_of(WEIBO, menu(parent(subs=[click() for _ in range(count)]))) == []


@pytest.mark.parametrize("count", [0, 6])
def test_zero_or_six_sub_buttons_fail(count):
    data = menu(parent(subs=[click() for _ in range(count)]))
    assert summary_of(errors_of(WEIBO, data)) == [((0,), "sub_button", ERROR, "", 5, count)]


@pytest.mark.parametrize("path", [(0,), (1, 0)])
def test_an_empty_sub_button_list_is_refused_even_on_a_leaf(path):
    """Unlike WeChat, Weibo wants sub_button, when present, to hold 1 to 5 buttons."""
    leaf = click(sub_button=[])
    data = menu(leaf, view()) if path == (0,) else menu(click(), parent(subs=[leaf]))
    assert summary_of(errors_of(WEIBO, data)) == [(path, "sub_button", ERROR, "", 5, 0)]
    assert errors_of(get_platform("wechat"), data) == []


def test_two_levels_only():
    data = menu(parent(subs=[parent("Deeper", subs=[click()])]))
    assert [(p.path, p.field) for p in errors_of(WEIBO, data)] == [((0, 0), "sub_button")]


def test_a_parent_carries_no_type():
    assert [(p.path, p.field) for p in errors_of(WEIBO, menu(parent(type="view", url="https://a.b/")))] == [
        ((0,), "type")
    ]


# -- bytes as Weibo counts them: GBK/GB18030, not UTF-8 (platforms.md) -----------------------------

WECHAT = get_platform("wechat")


@pytest.mark.parametrize(
    ("text", "weibo", "wechat"),
    [
        ("A", 1, 1),
        (CJK, 2, 3),
        (EMOJI, 4, 4),
        ("查询客服电话", 12, 18),
        ("网上4S店", 8, 11),
        ("👍🏻", 8, 8),  # an emoji with a skin tone is two characters outside the basic plane
        ("", 0, 0),
    ],
)
def test_weibo_counts_gb18030_bytes_and_wechat_utf8(text, weibo, wechat):
    assert WEIBO.byte_length(text) == weibo == len(text.encode("gb18030"))
    assert WECHAT.byte_length(text) == wechat == len(text.encode("utf-8"))


def test_the_counting_is_the_rules_objects_own():
    """The generic checks count with the rules' encoding: no platform is named anywhere else."""
    assert (WEIBO.byte_encoding, WECHAT.byte_encoding) == ("gb18030", "utf-8")

    class Utf8Weibo(WeiboRules):
        byte_encoding = "utf-8"

    data = menu(click("查询客服电话"))
    assert errors_of(WEIBO, data) == []
    assert summary_of(errors_of(Utf8Weibo(), data)) == [((0,), "name", ERROR, "", 16, 18)]


def test_every_chinese_character_is_2_bytes_and_every_emoji_4():
    """What the editor tells people holds for the whole basic CJK block and every supplementary plane."""
    assert {WEIBO.byte_length(chr(c)) for c in range(0x4E00, 0x9FA6)} == {2}
    assert {WEIBO.byte_length(chr(c)) for c in range(0x20, 0x7F)} == {1}
    assert {WEIBO.byte_length(chr(c)) for c in (0x1F600, 0x1F44D, 0x1F1E8, 0x20000, 0x10FFFD)} == {4}


def test_a_lone_surrogate_is_counted_not_raised():
    # Only a broken form post can carry one; the count must not crash the editor's answer.
    assert WEIBO.byte_length("\ud800") == 4
    assert WEIBO.byte_length("A\udfffB") == 6


def test_the_editor_says_once_how_weibo_counts():
    assert "2 bytes" in str(WEIBO.byte_note)
    assert WECHAT.byte_note == ""


@pytest.mark.parametrize(
    "name",
    [
        "A" * 16,
        CJK * 8,  # eight Chinese characters fit a top-level name on Weibo (24 bytes in UTF-8)
        "ABCD" + CJK * 6,  # mixed, exactly 16
        CJK * 7 + "AB",
        EMOJI * 4,
        "查询客服电话",  # the page's own example: 12/16
    ],
)
def test_top_level_name_of_16_bytes_passes(name):
    assert WEIBO.byte_length(name) <= 16
    assert errors_of(WEIBO, menu(click(name))) == []


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("A" * 17, 17),
        (CJK * 9, 18),  # nine do not
        ("ABCDE" + CJK * 6, 17),  # mixed, one past
        (CJK * 8 + "A", 17),
        (EMOJI * 4 + "A", 17),
        (EMOJI * 3 + CJK * 3, 18),
    ],
)
def test_top_level_name_past_16_bytes_fails(name, size):
    assert summary_of(errors_of(WEIBO, menu(click(name)))) == [((0,), "name", ERROR, "", 16, size)]


def test_a_parents_name_is_counted_the_same_way():
    assert errors_of(WEIBO, menu(parent(CJK * 8))) == []
    assert summary_of(errors_of(WEIBO, menu(parent(CJK * 9)))) == [((0,), "name", ERROR, "", 16, 18)]


@pytest.mark.parametrize("name", ["A" * 40, CJK * 20, "VIP" + CJK * 18 + "A", CJK * 19 + "AB", EMOJI * 10])
def test_sub_level_name_of_40_bytes_passes(name):
    assert WEIBO.byte_length(name) == 40
    assert errors_of(WEIBO, menu(parent(subs=[click(name)]))) == []


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("A" * 41, 41),
        (CJK * 21, 42),
        ("VIP" + CJK * 18 + "AB", 41),
        (CJK * 20 + "A", 41),
        (EMOJI * 10 + "A", 41),
    ],
)
def test_sub_level_name_past_40_bytes_fails(name, size):
    data = menu(parent(subs=[click(name)]))
    assert summary_of(errors_of(WEIBO, data)) == [((0, 0), "name", ERROR, "", 40, size)]


@pytest.mark.parametrize("name", ["A" * 41, EMOJI * 10 + "A"])
def test_a_41_byte_sub_name_passes_wechat_and_fails_weibo(name):
    """40, not WeChat's 60 (these names count the same in both encodings)."""
    data = menu(parent(subs=[click(name)]))
    assert [p.field for p in errors_of(WEIBO, data)] == ["name"]
    assert errors_of(WECHAT, data) == []


def test_the_same_chinese_name_fits_weibo_and_not_wechat():
    """Eight Chinese characters: 16/16 on Weibo, 24/16 on WeChat; twenty on a sub-button: 40/40 and 60/60."""
    assert errors_of(WEIBO, menu(click(CJK * 8))) == []
    assert summary_of(errors_of(WECHAT, menu(click(CJK * 8)))) == [((0,), "name", ERROR, "40018", 16, 24)]
    assert errors_of(WEIBO, menu(parent(subs=[click(CJK * 20)]))) == []
    assert errors_of(WECHAT, menu(parent(subs=[click(CJK * 20)]))) == []


def test_key_of_128_bytes_passes_129_fails():
    assert errors_of(WEIBO, menu(click(key="k" * 128))) == []
    assert summary_of(errors_of(WEIBO, menu(click(key="k" * 129)))) == [((0,), "key", ERROR, "", 128, 129)]
    assert summary_of(errors_of(WEIBO, menu({"type": "click", "name": "A"}))) == [
        ((0,), "key", ERROR, "", 128, 0)
    ]


def test_a_chinese_key_is_counted_as_weibo_counts():
    """Keys are ASCII in practice; when they are not, 64 Chinese characters are Weibo's 128 bytes."""
    assert errors_of(WEIBO, menu(click(key="键" * 64))) == []
    assert summary_of(errors_of(WEIBO, menu(click(key="键" * 64 + "k")))) == [
        ((0,), "key", ERROR, "", 128, 129)
    ]
    assert summary_of(errors_of(WEIBO, menu(click(key=EMOJI * 32 + "k")))) == [
        ((0,), "key", ERROR, "", 128, 129)
    ]


def url_of(size: int) -> str:
    base = "http://apps.weibo.com/"
    return base + "a" * (size - len(base))


@pytest.mark.parametrize("where", ["top", "sub"])
def test_url_of_256_bytes_passes_257_fails(where):
    def place(button):
        return menu(button) if where == "top" else menu(parent(subs=[button]))

    path = (0,) if where == "top" else (0, 0)
    assert errors_of(WEIBO, place(view(url=url_of(256)))) == []
    assert summary_of(errors_of(WEIBO, place(view(url=url_of(257))))) == [(path, "url", ERROR, "", 256, 257)]
    # The same URL is well within WeChat's 1024 bytes.
    assert errors_of(get_platform("wechat"), place(view(url=url_of(257)))) == []


def test_a_url_with_chinese_characters_is_counted_as_weibo_counts():
    base = "http://apps.weibo.com/"  # 22 bytes: 234 left, 117 Chinese characters
    assert errors_of(WEIBO, menu(view(url=base + "页" * 117))) == []
    assert summary_of(errors_of(WEIBO, menu(view(url=base + "页" * 117 + "a")))) == [
        ((0,), "url", ERROR, "", 256, 257)
    ]


def test_url_is_required_and_must_be_http_or_https():
    assert [p.field for p in errors_of(WEIBO, menu({"type": "view", "name": "A"}))] == ["url"]
    assert errors_of(WEIBO, menu(view(url="https://weibo.com/x"))) == []
    assert errors_of(WEIBO, menu(view(url="http://weibo.com/x"))) == []
    for bad in ("sinaweibo://x", "weibo.com/x", "javascript:void(0)"):
        assert [p.field for p in errors_of(WEIBO, menu(view(url=bad)))] == ["url"]


@pytest.mark.parametrize(
    "button",
    [
        {"type": "miniprogram", "name": "A", "appid": "wx1", "pagepath": "p", "url": "https://a.b/"},
        {"type": "scancode_push", "name": "A", "key": "k"},
        {"type": "location_select", "name": "A", "key": "k"},
        {"type": "media_id", "name": "A", "media_id": "M"},
        {"type": "article_id", "name": "A", "article_id": "A"},
    ],
)
def test_wechat_only_types_are_refused(button):
    assert summary_of(errors_of(WEIBO, menu(button))) == [((0,), "type", ERROR, "", None, button["type"])]


def test_display_truncation_is_a_warning_with_the_shown_text():
    problems = problems_of(WEIBO, menu(click("获取优惠券"), parent(subs=[click("一二三四五六七八九")])))
    assert [(p.path, p.severity) for p in problems] == [((0,), WARNING), ((1, 0), WARNING)]
    assert WEIBO.display_name("获取优惠券", 1) == "获取优惠..."
    assert WEIBO.display_name("一二三四五六七八九", 2) == "一二三四五六七八..."


def test_payload_text_is_the_menus_json_without_escapes():
    tree = parse_menu(menu(click("获取优惠券", key="get_groupon")))
    text = WEIBO.payload_text(tree)
    assert "获取优惠券" in text and "\\u" not in text
    assert json.loads(text) == menu(click("获取优惠券", key="get_groupon"))

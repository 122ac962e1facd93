"""WeCom's application-menu rules at their edges: 1-3 buttons, 1-5 sub-buttons, names 16/40 UTF-8
bytes, key 128, url 1024, its nine types (view_miniprogram with appid and pagepath), and its codes."""

from __future__ import annotations

import pytest

from menueditor.platforms import get_platform
from menueditor.platforms.base import ERROR, WARNING
from menueditor.platforms.wecom import WeComRules

from .builders import CJK, EMOJI, click, errors_of, menu, parent, problems_of, summary_of, view

WECOM = get_platform("wecom")
KEY_TYPES = (
    "click",
    "scancode_push",
    "scancode_waitmsg",
    "pic_sysphoto",
    "pic_photo_or_album",
    "pic_weixin",
    "location_select",
)


def miniprogram(name: str = "App", appid: str = "wx286b93c14bbf93aa", pagepath: str = "pages/index/index"):
    return {"type": "view_miniprogram", "name": name, "appid": appid, "pagepath": pagepath}


def test_get_platform_gives_the_wecom_rules():
    assert isinstance(WECOM, WeComRules)
    assert (WECOM.code, str(WECOM.label)) == ("wecom", "WeCom")


def test_wecom_knows_its_nine_types_and_the_fields_each_needs():
    assert set(WECOM.button_types) == {*KEY_TYPES, "view", "view_miniprogram"}
    for code in KEY_TYPES:
        assert [s.name for s in WECOM.fields_for(code)] == ["key"]
    assert [s.name for s in WECOM.fields_for("view")] == ["url"]
    assert [s.name for s in WECOM.fields_for("view_miniprogram")] == ["appid", "pagepath"]


@pytest.mark.parametrize(
    "kind", ["miniprogram", "media_id", "view_limited", "article_id", "article_view_limited"]
)
def test_wechat_only_types_are_refused(kind):
    data = menu(click(), parent(subs=[{"type": kind, "name": "X", "media_id": "m", "article_id": "a"}]))
    assert summary_of(errors_of(WECOM, data)) == [((1, 0), "type", ERROR, "40024", None, kind)]


def test_a_top_level_wrong_type_has_no_code_of_its_own():
    # platforms.md lists WeChat's sub-button code (40024) for WeCom, not the top-level 40017.
    assert summary_of(errors_of(WECOM, menu({"type": "media_id", "name": "X"}))) == [
        ((0,), "type", ERROR, "", None, "media_id")
    ]


@pytest.mark.parametrize("kind", KEY_TYPES)
def test_every_key_type_publishes_with_its_key(kind):
    data = menu({"type": kind, "name": "Go", "key": "K1"})
    assert errors_of(WECOM, data) == []
    assert WECOM.payload(WECOM.parse(data)) == data


def test_a_mini_program_button_needs_appid_and_pagepath_and_sends_nothing_else():
    assert errors_of(WECOM, menu(miniprogram())) == []
    summary = summary_of(errors_of(WECOM, menu(miniprogram(appid="", pagepath=""))))
    assert [(s[1], s[3]) for s in summary] == [("appid", ""), ("pagepath", "")]
    # A url left over from WeChat's miniprogram type is not sent: WeCom's type has none.
    tree = WECOM.parse(menu({**miniprogram(), "url": "https://example.com/"}))
    assert WECOM.payload(tree) == menu(miniprogram())


@pytest.mark.parametrize("count", [1, 3])
def test_one_to_three_top_level_buttons_pass(count):
    assert errors_of(WECOM, menu(*[view() for _ in range(count)])) == []


@pytest.mark.parametrize("count", [0, 4])
def test_zero_or_four_top_level_buttons_fail(count):
    assert summary_of(errors_of(WECOM, menu(*[view() for _ in range(count)]))) == [
        ((), "button", ERROR, "40016", 3, count)
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_one_to_five_sub_buttons_pass(count):
    assert errors_of(WECOM, menu(parent(subs=[click() for _ in range(count)]))) == []


@pytest.mark.parametrize("count", [0, 6])
def test_zero_or_six_sub_buttons_fail(count):
    data = menu(parent(subs=[click() for _ in range(count)]))
    assert summary_of(errors_of(WECOM, data)) == [((0,), "sub_button", ERROR, "40023", 5, count)]


def test_two_levels_only():
    data = menu(parent(subs=[parent("Deeper", subs=[click()])]))
    assert [(p.path, p.field, p.code) for p in errors_of(WECOM, data)] == [((0, 0), "sub_button", "40022")]


# -- names: UTF-8 bytes as WeChat counts them, 16 top level and 40 (not WeChat's 60) below --------------


def test_bytes_are_counted_in_utf8():
    assert WECOM.byte_encoding == "utf-8"
    assert (WECOM.byte_length(CJK), WECOM.byte_length(EMOJI), WECOM.byte_length("A")) == (3, 4, 1)


@pytest.mark.parametrize(
    ("name", "ok"), [("A" * 16, True), ("A" * 17, False), (CJK * 5 + "A", True), (CJK * 6, False)]
)
def test_top_level_names_hold_16_bytes(name, ok):
    found = summary_of(errors_of(WECOM, menu(click(name))))
    assert found == ([] if ok else [((0,), "name", ERROR, "40018", 16, len(name.encode()))])


@pytest.mark.parametrize(
    ("name", "ok"),
    [
        ("A" * 40, True),
        ("A" * 41, False),
        (CJK * 13 + "A", True),
        (CJK * 14, False),
        (EMOJI * 10, True),
        (EMOJI * 10 + "A", False),
    ],
)
def test_sub_button_names_hold_40_bytes(name, ok):
    found = summary_of(errors_of(WECOM, menu(parent(subs=[click(name)]))))
    assert found == ([] if ok else [((0, 0), "name", ERROR, "40025", 40, len(name.encode()))])


def test_a_sub_button_name_of_41_bytes_that_wechat_takes_is_refused():
    data = menu(parent(subs=[click("A" * 41)]))
    assert errors_of(get_platform("wechat"), data) == []
    assert [p.code for p in errors_of(WECOM, data)] == ["40025"]


def test_a_name_past_the_display_width_is_a_warning_and_shown_cut():
    name = CJK * 5  # 15 bytes: valid, but about 4 Chinese characters fit on a top-level item
    problems = problems_of(WECOM, menu(click(name)))
    assert [(p.severity, p.field) for p in problems] == [(WARNING, "name")]
    assert WECOM.display_name(name, 1) == CJK * 4 + "..."
    assert WECOM.display_name(CJK * 8, 2) == CJK * 8


# -- keys and web addresses ---------------------------------------------------------------------------


@pytest.mark.parametrize(("length", "ok"), [(128, True), (129, False)])
@pytest.mark.parametrize(("where", "code"), [((0,), "40019"), ((0, 0), "40026")])
def test_keys_hold_128_bytes(length, ok, where, code):
    button = click(key="k" * length)
    data = menu(button) if where == (0,) else menu(parent(subs=[button]))
    assert summary_of(errors_of(WECOM, data)) == ([] if ok else [(where, "key", ERROR, code, 128, length)])


@pytest.mark.parametrize(("length", "ok"), [(1024, True), (1025, False)])
@pytest.mark.parametrize(("where", "code"), [((0,), "40020"), ((0, 0), "40027")])
def test_web_addresses_hold_1024_bytes(length, ok, where, code):
    url = "https://example.com/" + "a" * (length - len("https://example.com/"))
    button = view(url=url)
    data = menu(button) if where == (0,) else menu(parent(subs=[button]))
    assert summary_of(errors_of(WECOM, data)) == ([] if ok else [(where, "url", ERROR, code, 1024, length)])


@pytest.mark.parametrize(("where", "code"), [((0,), "40055"), ((0, 0), "40054")])
def test_an_address_that_is_not_a_web_address_is_refused_with_the_domain_code(where, code):
    button = view(url="ftp://example.com/")
    data = menu(button) if where == (0,) else menu(parent(subs=[button]))
    assert [(p.path, p.field, p.code) for p in errors_of(WECOM, data)] == [(where, "url", code)]


@pytest.mark.parametrize(("field", "limit"), [("appid", 32), ("pagepath", 1024)])
def test_mini_program_fields_at_their_ceiling_and_one_past(field, limit):
    assert errors_of(WECOM, menu(miniprogram(**{field: "a" * limit}))) == []
    assert summary_of(errors_of(WECOM, menu(miniprogram(**{field: "a" * (limit + 1)})))) == [
        ((0,), field, ERROR, "", limit, limit + 1)
    ]


def test_the_payload_is_utf8_without_escapes():
    tree = WECOM.parse(menu(click("今日🎵"), parent("菜单", subs=[view("搜索")])))
    body = WECOM.payload_bytes(tree)
    assert "今日🎵".encode() in body
    assert b"\\u" not in body

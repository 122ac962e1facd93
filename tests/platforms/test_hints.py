"""The advice quotes the limits of the rules' tables: change a table and the advice follows."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from menueditor.platforms import get_platform
from menueditor.platforms.base import FieldSpec
from menueditor.platforms.wechat.hints import WECHAT_HINTS, wechat_hint
from menueditor.tree import parse_menu

WECHAT = get_platform("wechat")


def test_wechat_advice_quotes_the_tables():
    assert "1 to 3 top-level buttons" in wechat_hint("40016", "")
    assert "1 to 5 of them" in wechat_hint("40023", "")
    assert "at most 16 bytes (5 Chinese characters)" in wechat_hint("40018", "")
    assert "at most 60 bytes (20 Chinese characters)" in wechat_hint("40025", "")
    assert "1 to 128 bytes" in wechat_hint("40026", "")
    assert "1 to 1024 bytes" in wechat_hint("40027", "")


def test_wechat_advice_follows_a_changed_table(monkeypatch):
    monkeypatch.setattr(WECHAT, "max_buttons", 4)
    monkeypatch.setattr(WECHAT, "name_limits", {1: 21, 2: 60})
    monkeypatch.setattr(WECHAT, "fields", {**WECHAT.fields, "url": FieldSpec("url", "Web address", 2048)})
    assert "1 to 4 top-level buttons" in wechat_hint("40016", "")
    assert "at most 21 bytes (7 Chinese characters)" in wechat_hint("40018", "")
    assert "1 to 2048 bytes" in wechat_hint("40020", "")


@pytest.mark.parametrize("code", sorted(WECHAT_HINTS))
def test_no_wechat_advice_writes_a_limit_out_and_every_placeholder_is_filled(code):
    hint = wechat_hint(code, "invalid ip 10.0.0.1 ipv6 ::ffff:10.0.0.1")
    assert "%(" not in hint
    source = str(WECHAT_HINTS[code])
    limits = {
        WECHAT.max_buttons,
        WECHAT.max_sub_buttons,
        *WECHAT.name_limits.values(),
        *(spec.limit for spec in WECHAT.fields.values()),
    }
    assert [n for n in re.findall(r"\d+", source) if int(n) in limits and n != "1"] == []


def test_weibo_s_counting_note_gives_its_encoding_s_figures():
    with translation.override("en"):
        assert str(get_platform("weibo").byte_note) == (
            "Weibo counts a Chinese character as 2 bytes (a letter or digit 1, an emoji 4)."
        )


def test_the_appid_message_names_the_digits_the_pattern_checks():
    tree = parse_menu(
        {
            "button": [
                {"type": "miniprogram", "name": "M", "appid": "wx1", "pagepath": "p", "url": "https://a.b/"}
            ]
        }
    )
    with translation.override("en"):
        assert [p.message for p in WECHAT.validate(tree) if p.field == "appid"] == [
            "a mini program AppID is “wx” and 16 lower-case letters and digits; found “wx1”"
        ]

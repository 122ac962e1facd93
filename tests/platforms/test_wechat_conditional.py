"""WeChat's conditional menus (menueditor/platforms/wechat/conditional.py): rules read tolerantly,
who sees a menu, the addconditional body, the checks before sending, and every code has a hint."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from menueditor.platforms import get_platform
from menueditor.platforms.matching import LiveConditionalMenu, LiveSet, MatchRule, Tag
from menueditor.platforms.wechat.conditional import CONDITIONAL
from menueditor.platforms.wechat.hints import WECHAT_HINTS, wechat_hint
from menueditor.tree import MenuParseError, parse_menu

PLATFORMS_MD = Path("/work/shared/reference/platforms.md")
TAGS = {"104": Tag("104", "VIP会员", 12)}


def menu(*hosts: str):
    return parse_menu({"button": [{"type": "view", "name": h[:2], "url": f"https://{h}/x"} for h in hosts]})


def test_only_wechat_offers_conditional_menus():
    assert get_platform("wechat").conditional is CONDITIONAL
    assert get_platform("weibo").conditional is None
    assert get_platform("wecom").conditional is None


@pytest.mark.parametrize(
    "data",
    [
        {"group_id": "104", "client_platform_type": "1"},
        {"group_id": 104, "client_platform_type": 1},
        {"tag_id": "104", "client_platform_type": "1", "sex": ""},
        {"tag_id": 104.0, "client_platform_type": "1"},
    ],
)
def test_rules_read_back_as_one_rule_whatever_their_spelling(data):
    rule = CONDITIONAL.read_rule(data)
    assert rule.to_json() == {"tag_id": "104", "client_platform_type": "1"}
    assert rule.key == '{"client_platform_type":"1","tag_id":"104"}'
    assert MatchRule.from_key(rule.key) == rule


def test_a_privacy_rule_is_kept_but_no_longer_matches():
    rule = CONDITIONAL.read_rule({"sex": "1", "country": "中国"})
    assert not rule.still_matches and not rule.is_default
    assert "No longer matching" in CONDITIONAL.describe(rule, TAGS)
    assert "sex=1" in CONDITIONAL.describe(rule, TAGS)


@pytest.mark.parametrize(
    ("rule", "said"),
    [
        ({"tag_id": "104"}, "Followers tagged “VIP会员” (12 followers)"),
        ({"tag_id": "104", "client_platform_type": "1"}, "Followers tagged “VIP会员” (12 followers), on iOS"),
        ({"client_platform_type": "2"}, "All followers, on Android"),
        ({"tag_id": "7"}, "Followers with tag 7 (not among the account's tags now)"),
        ({}, "the default menu"),
    ],
)
def test_who_sees_a_menu(rule, said):
    assert said in CONDITIONAL.describe(CONDITIONAL.read_rule(rule), TAGS)


def test_the_body_is_the_menu_with_its_matchrule_without_escapes():
    tree = parse_menu({"button": [{"type": "click", "name": "会员", "key": "K", "url": "left over"}]})
    text = CONDITIONAL.payload_text(tree, CONDITIONAL.read_rule({"tag_id": 104}))
    assert json.loads(text) == {
        "button": [{"type": "click", "name": "会员", "key": "K"}],
        "matchrule": {"tag_id": "104"},
    }
    assert "会员" in text and "\\u" not in text
    back, rule = CONDITIONAL.read_payload(text)
    assert back.buttons[0].name == "会员" and rule.get("tag_id") == "104"
    with pytest.raises(MenuParseError):
        CONDITIONAL.read_payload({"button": [], "matchrule": []})


def test_a_conditional_menu_needs_the_default_menu_first():
    [check] = CONDITIONAL.check_before_send(
        LiveSet(None), menu("a.example.com"), MatchRule.of({"tag_id": "1"})
    )
    assert check.code == "65303" and "publish a default menu" in check.message


def test_domains_are_counted_across_every_conditional_menu_and_listed():
    live = LiveSet(
        menu("x.cn"),
        [
            LiveConditionalMenu("1", MatchRule.of({"tag_id": "1"}), menu("a.example.com", "b.example.com")),
            LiveConditionalMenu("2", MatchRule.of({"tag_id": "2"}), menu("c.example.com")),
        ],
    )
    # Replacing tag 2's menu: its own domain no longer counts.
    assert (
        CONDITIONAL.check_before_send(
            live, menu("a.example.com", "d.example.com"), MatchRule.of({"tag_id": "2"})
        )
        == []
    )
    [check] = CONDITIONAL.check_before_send(live, menu("d.example.com"), MatchRule.of({"tag_id": "3"}))
    assert check.code == "65316"
    for host in ("a.example.com", "b.example.com", "c.example.com", "d.example.com"):
        assert host in check.message
    # The default menu's domains do not count, and the default menu itself is never checked so.
    assert CONDITIONAL.check_before_send(live, menu("e.cn", "f.cn", "g.cn", "h.cn"), MatchRule()) == []


def test_menu_get_is_read_as_a_set_with_group_id_as_the_tag():
    data = {
        "menu": {
            "button": [{"type": "click", "name": "默认", "key": "D", "sub_button": []}],
            "menuid": 208396938,
        },
        "conditionalmenu": [
            {
                "button": [{"type": "click", "name": "会员", "key": "V", "sub_button": []}],
                "matchrule": {"group_id": "104", "client_platform_type": "1"},
                "menuid": 422685155,
            }
        ],
    }
    live = CONDITIONAL.read_live_set(data)
    assert live.default.buttons[0].name == "默认"
    [item] = live.conditional
    assert item.menuid == "422685155" and item.rule.get("tag_id") == "104"
    assert (
        live.tree_for(CONDITIONAL.read_rule({"tag_id": "104", "client_platform_type": 1})).buttons[0].name
        == "会员"
    )
    assert live.tree_for(CONDITIONAL.read_rule({"tag_id": "5"})) is None


def _conditional_codes() -> list[str]:
    text = PLATFORMS_MD.read_text(encoding="utf-8")
    section = text[text.index("### Conditional (personalised) menus") : text.index("### User tags")]
    codes = section[section.index("- Codes:") :]
    return sorted(set(re.findall(r"\b653\d\d\b", codes)))


def test_every_conditional_code_of_platforms_md_has_its_own_hint():
    codes = _conditional_codes() if PLATFORMS_MD.exists() else []
    expected = [
        "65301",
        "65302",
        "65303",
        "65304",
        "65305",
        "65306",
        "65307",
        "65308",
        "65309",
        "65315",
        "65316",
        "65317",
        "65318",
        "65319",
        "65320",
    ]
    assert not codes or codes == expected
    for code in expected:
        assert code in WECHAT_HINTS, code
        hint = wechat_hint(code, "errmsg")
        assert "%(" not in hint and "errmsg" not in hint, (code, hint)
    assert "3" in wechat_hint("65316", "")

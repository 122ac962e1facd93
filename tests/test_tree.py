"""The menu value: one parser from platform JSON, one writer back, and nothing but MenuParseError."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from menueditor.platforms import PLATFORMS
from menueditor.tree import (
    MAX_TEXT_BYTES,
    Button,
    MenuParseError,
    MenuTree,
    dumps_menu,
    parse_menu,
)

SAMPLE = {
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
            ],
        },
    ]
}


def test_parse_reads_buttons_parents_and_fields():
    tree = parse_menu(SAMPLE)
    first, second = tree.buttons
    assert (first.name, first.type, first.values, first.children) == (
        "今日歌曲",
        "click",
        {"key": "V1001_TODAY_MUSIC"},
        None,
    )
    assert not first.is_parent
    assert second.is_parent and second.type == ""
    assert [b.name for b in second.children] == ["搜索", "wxa"]
    assert second.children[1].value("pagepath") == "pages/lunar/index"
    assert second.children[1].value("key") == ""


@pytest.mark.parametrize("form", ["dict", "str", "bytes"])
def test_parse_accepts_json_text_bytes_and_decoded_json(form):
    data = {"dict": SAMPLE, "str": json.dumps(SAMPLE), "bytes": json.dumps(SAMPLE).encode()}[form]
    assert parse_menu(data).to_json() == SAMPLE


def test_parse_accepts_utf8_with_a_byte_order_mark():
    assert parse_menu(b"\xef\xbb\xbf" + json.dumps(SAMPLE, ensure_ascii=False).encode()).to_json() == SAMPLE


def test_parse_accepts_wechat_menu_get_answer():
    answer = {
        "menu": {**SAMPLE, "menuid": 208396938},
        "conditionalmenu": [{"button": [], "matchrule": {"group_id": 2}, "menuid": "208396993"}],
    }
    assert parse_menu(answer).to_json() == SAMPLE


def test_one_platform_s_own_reply_shapes_are_not_read_here():
    # get_current_selfmenu_info is WeChat's: its package reads it (tests/platforms/test_wechat_rules.py).
    answer = {"is_menu_open": 1, "selfmenu_info": {"button": [{"name": "菜单", "sub_button": {"list": []}}]}}
    with pytest.raises(MenuParseError):
        parse_menu(answer)
    with pytest.raises(MenuParseError):
        parse_menu({"button": [{"name": "菜单", "sub_button": {"list": []}}]})


def test_writer_gives_back_what_was_parsed_including_empty_sub_buttons_and_parent_types():
    data = {
        "button": [
            {"type": "click", "name": "A", "key": "k", "sub_button": []},
            {"type": "view", "name": "B", "sub_button": [{"type": "click", "name": "C", "key": "c"}]},
        ]
    }
    assert parse_menu(data).to_json() == data


def test_every_text_field_is_carried_in_the_order_it_came_and_other_values_are_not():
    data = {
        "button": [
            {
                "name": "A",
                "agentid": 1000002,
                "type": "text",
                "value": "hello",
                "extra": [1],
                "news_info": {"list": []},
                "flag": True,
                "key": None,
            }
        ]
    }
    button = parse_menu(data).buttons[0]
    assert button.values == {"agentid": "1000002", "value": "hello", "key": ""}
    assert list(button.values) == ["agentid", "value", "key"]
    assert json.dumps(button.to_json(), ensure_ascii=False) == (
        '{"type": "text", "name": "A", "agentid": "1000002", "value": "hello", "key": ""}'
    )


def test_a_field_name_that_is_not_unicode_is_not_a_menu():
    with pytest.raises(MenuParseError, match=r"button\[0\]"):
        parse_menu('{"button": [{"name": "A", "\\ud800": "x"}]}')


def test_a_button_with_hundreds_of_fields_is_not_a_menu():
    with pytest.raises(MenuParseError, match="fields"):
        parse_menu({"button": [{"name": "A", **{f"f{i}": "x" for i in range(500)}}]})


def test_dumps_menu_is_utf8_text_without_escapes_and_parses_back():
    text = dumps_menu(parse_menu(SAMPLE))
    assert "今日歌曲" in text and "\\u" not in text
    assert parse_menu(text) == parse_menu(SAMPLE)


def test_numbers_are_read_as_text_and_null_as_empty():
    tree = parse_menu({"button": [{"type": "click", "name": 2024, "key": 17, "url": None}]})
    button = tree.buttons[0]
    assert (button.name, button.value("key"), button.value("url")) == ("2024", "17", "")


def test_a_null_sub_button_list_makes_an_empty_parent():
    tree = parse_menu({"button": [{"name": "A", "sub_button": None}]})
    assert tree.buttons[0].children == [] and tree.buttons[0].is_parent


def test_is_parent():
    assert not Button(name="A", type="click").is_parent
    assert not Button(name="A", type="click", children=[]).is_parent  # a leaf carrying []
    assert Button(name="A", children=[]).is_parent  # a parent with no children yet
    assert Button(name="A", type="click", children=[Button()]).is_parent


def test_button_at_finds_buttons_by_position():
    tree = parse_menu(SAMPLE)
    assert tree.button_at((0,)).name == "今日歌曲"
    assert tree.button_at((1, 1)).name == "wxa"
    assert tree.button_at((0, 0)) is None
    assert tree.button_at((5,)) is None
    assert tree.button_at((1, 9)) is None
    assert tree.button_at(()) is None
    assert tree.button_at((-1,)) is None


def test_menu_tree_from_json_and_building_by_hand():
    tree = MenuTree([Button("A", "click", {"key": "k"}), Button("B", children=[Button("C", "view")])])
    assert tree.to_json() == {
        "button": [
            {"type": "click", "name": "A", "key": "k"},
            {"name": "B", "sub_button": [{"type": "view", "name": "C"}]},
        ]
    }
    assert MenuTree.from_json(tree.to_json()) == tree


# -- the canonical form: the menu as followers experience it ---------------------------------------


WRITTEN_ANYHOW = {
    "button": [
        {"type": "click", "name": "A", "key": "k", "url": "", "sub_button": []},
        {
            "type": "view",
            "name": "B",
            "url": "https://parent.example/",
            "sub_button": [
                {"type": "view", "name": "C", "url": "https://c.example/", "key": ""},
                {"name": "D", "sub_button": [{"type": "click", "name": "E", "key": "e", "sub_button": []}]},
            ],
        },
        {"name": "F", "sub_button": None},
    ]
}


def test_the_canonical_form_keeps_only_what_followers_see():
    assert parse_menu(WRITTEN_ANYHOW).canonical().to_json() == {
        "button": [
            {"type": "click", "name": "A", "key": "k"},
            {
                "name": "B",
                "sub_button": [
                    {"type": "view", "name": "C", "url": "https://c.example/"},
                    # A third level stays, so that validation can still name it.
                    {"name": "D", "sub_button": [{"type": "click", "name": "E", "key": "e"}]},
                ],
            },
            {"name": "F", "sub_button": []},
        ]
    }


def test_the_canonical_form_is_its_own_canonical_form_and_leaves_the_tree_alone():
    tree = parse_menu(WRITTEN_ANYHOW)
    once = tree.canonical()
    assert once.canonical() == once
    assert tree.to_json() == parse_menu(WRITTEN_ANYHOW).to_json()  # not changed in place
    once.buttons[0].name = "changed"
    assert tree.buttons[0].name == "A"


def test_menus_that_differ_only_in_how_they_are_written_have_one_canonical_form():
    plain = {"button": [{"type": "click", "name": "A", "key": "k"}, {"name": "B", "sub_button": []}]}
    written = {
        "button": [
            {"key": "k", "name": "A", "type": "click", "sub_button": [], "url": ""},
            {"name": "B", "url": "", "sub_button": None},
        ]
    }
    assert parse_menu(plain).canonical() == parse_menu(written).canonical()
    other = parse_menu({"button": [{"type": "click", "name": "A", "key": "K"}]})
    assert parse_menu(plain).canonical() != other.canonical()


def test_a_parent_without_sub_buttons_stays_a_parent_and_a_leaf_with_an_empty_list_a_leaf():
    tree = MenuTree([Button("P", children=[]), Button("L", "click", {"key": "k"}, children=[])]).canonical()
    assert tree.buttons[0].is_parent and tree.buttons[0].children == []
    assert not tree.buttons[1].is_parent and tree.buttons[1].children is None


# -- hostile input: MenuParseError and nothing else ------------------------------------------------


@pytest.mark.parametrize(
    "data",
    [
        "",
        "not json",
        "{",
        b"\xff\xfe\x00garbage",
        b"\xc3\x28",
        "[]",
        "null",
        "42",
        "true",
        '"button"',
        None,
        42,
        3.5,
        True,
        [SAMPLE],
        {},
        {"button": None},
        {"button": {}},
        {"button": "A"},
        {"button": 3},
        {"menu": []},
        {"menu": {"button": "x"}},
        {"button": [1]},
        {"button": [None]},
        {"button": ["click"]},
        {"button": [[]]},
        {"button": [{"name": True}]},
        {"button": [{"name": False, "type": "click"}]},
        {"button": [{"name": ["A"]}]},
        {"button": [{"name": {"zh": "A"}}]},
        {"button": [{"name": "A", "type": ["click"]}]},
        {"button": [{"name": "A", "sub_button": "B"}]},
        {"button": [{"name": "A", "sub_button": {"x": []}}]},
        {"button": [{"name": "A", "sub_button": {"list": 3}}]},
        {"button": [{"name": "A", "sub_button": [1, 2]}]},
        {"button": [{"name": 10**5000}]},
        '{"button": [{"name": "\\ud800"}]}',
        {"button": [{"name": "\udfff"}]},
    ],
)
def test_what_is_not_a_menu_raises_menu_parse_error(data):
    with pytest.raises(MenuParseError):
        parse_menu(data)


def test_deeply_nested_text_raises_menu_parse_error():
    with pytest.raises(MenuParseError):
        parse_menu("[" * 100_000 + "]" * 100_000)
    with pytest.raises(MenuParseError):
        parse_menu('{"button": [' + '{"name": "a", "sub_button": [' * 5000 + "]}" * 5000 + "]}")


def test_deeply_nested_decoded_json_raises_menu_parse_error():
    node: dict = {"name": "leaf", "type": "click", "key": "k"}
    for _ in range(5000):
        node = {"name": "n", "sub_button": [node]}
    with pytest.raises(MenuParseError):
        parse_menu({"button": [node]})


def test_a_third_level_is_parsed_so_that_validation_can_name_it():
    data = {"button": [{"name": "A", "sub_button": [{"name": "B", "sub_button": [{"name": "C"}]}]}]}
    tree = parse_menu(data)
    assert tree.to_json() == data
    assert [p.code for p in PLATFORMS["wechat"].errors(tree) if p.field == "sub_button"] == ["40022"]


def test_huge_input_raises_menu_parse_error():
    with pytest.raises(MenuParseError, match="over 1000000 bytes"):
        parse_menu(json.dumps({"button": [{"name": "A" * (MAX_TEXT_BYTES + 1)}]}))
    with pytest.raises(MenuParseError):
        parse_menu({"button": [{"name": "A"}] * 10_000})
    with pytest.raises(MenuParseError):
        parse_menu({"button": [{"name": "A", "sub_button": [{"name": "B"}] * 10_000}]})


def test_many_buttons_within_reason_are_parsed_for_validation_to_count():
    tree = parse_menu({"button": [{"type": "click", "name": "A", "key": "k"}] * 7})
    assert len(tree.buttons) == 7


def test_parse_error_messages_are_one_line_and_name_the_place():
    with pytest.raises(MenuParseError, match=r"button\[1\]\.sub_button\[0\]\.name") as info:
        parse_menu({"button": [{"name": "A"}, {"name": "B", "sub_button": [{"name": ["x"]}]}]})
    assert "\n" not in str(info.value)


# -- property: random JSON never crashes parse, validate or payload ------------------------------

json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=30)
any_json = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=10), children, max_size=6)
    ),
    max_leaves=40,
)
button_keys = st.sampled_from(
    ["name", "type", "key", "url", "appid", "pagepath", "media_id", "article_id", "sub_button", "value"]
)
type_names = st.sampled_from(["click", "view", "miniprogram", "media_id", "view_limited", "x", ""])
menu_like = st.recursive(
    json_scalars | type_names,
    lambda children: (
        st.lists(children, max_size=7)
        | st.dictionaries(button_keys, children, max_size=6)
        | st.fixed_dictionaries({"button": st.lists(children, max_size=7)})
        | st.fixed_dictionaries({"menu": st.fixed_dictionaries({"button": st.lists(children, max_size=7)})})
    ),
    max_leaves=60,
)


def exercise(data) -> None:
    try:
        tree = parse_menu(data)
    except MenuParseError as exc:
        assert str(exc)
        return
    assert parse_menu(tree.to_json()) == tree
    canonical = tree.canonical()
    assert canonical.canonical() == canonical
    assert parse_menu(canonical.to_json()) == canonical
    for platform in PLATFORMS.values():
        problems = platform.validate(tree)
        for problem in problems:
            assert problem.text("en") and problem.text("zh-hans")
        payload = platform.payload_text(tree)
        json.loads(payload)
        for button in tree.buttons:
            platform.display_name(button.name, 1)
    wechat = PLATFORMS["wechat"]
    if not wechat.errors(tree):  # what passes validation can be sent without \\u escapes
        assert b"\\u" not in wechat.payload_bytes(tree)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(any_json)
def test_random_json_never_crashes(data):
    exercise(data)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(menu_like)
def test_random_menu_shaped_json_never_crashes(data):
    exercise(data)
    exercise({"button": data} if not isinstance(data, dict) else data)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200) | st.binary(max_size=200))
def test_random_text_never_crashes(text):
    exercise(text)

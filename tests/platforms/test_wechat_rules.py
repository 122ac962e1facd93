"""WeChat's menu rules at their edges: at the limit passes, one past fails, with WeChat's own code."""

from __future__ import annotations

import json

import pytest
from django.utils.functional import Promise

from menueditor.platforms import get_platform
from menueditor.platforms.base import ERROR, WARNING
from menueditor.platforms.wechat import WeChatRules
from menueditor.tree import MenuParseError, parse_menu

from .builders import CJK, EMOJI, click, errors_of, menu, parent, problems_of, summary_of, view

WECHAT = get_platform("wechat")


def test_get_platform_gives_the_wechat_rules():
    assert isinstance(WECHAT, WeChatRules)
    assert WECHAT.code == "wechat"
    with pytest.raises(KeyError):
        get_platform("alipay")


# -- counts ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 2, 3])
def test_one_to_three_top_level_buttons_pass(count):
    assert errors_of(WECHAT, menu(*[click() for _ in range(count)])) == []


@pytest.mark.parametrize("count", [0, 4])
def test_zero_or_four_top_level_buttons_fail_with_40016(count):
    assert summary_of(errors_of(WECHAT, menu(*[click() for _ in range(count)]))) == [
        ((), "button", ERROR, "40016", 3, count)
    ]


@pytest.mark.parametrize("count", [1, 5])
def test_one_to_five_sub_buttons_pass(count):
    assert errors_of(WECHAT, menu(parent(subs=[click() for _ in range(count)]))) == []


@pytest.mark.parametrize("count", [0, 6])
def test_zero_or_six_sub_buttons_fail_with_40023(count):
    data = menu(click(), parent(subs=[click() for _ in range(count)]))
    assert summary_of(errors_of(WECHAT, data)) == [((1,), "sub_button", ERROR, "40023", 5, count)]


def test_a_parent_with_no_children_is_refused_even_with_null_sub_button():
    data = menu({"name": "More", "sub_button": None})
    assert summary_of(errors_of(WECHAT, data)) == [((0,), "sub_button", ERROR, "40023", 5, 0)]


def test_a_leaf_carrying_an_empty_sub_button_list_is_fine_at_both_levels():
    data = menu(click(sub_button=[]), parent(subs=[click(sub_button=[]), view(sub_button=[])]))
    assert WECHAT.validate(parse_menu(data)) == []


def test_a_sub_button_with_sub_buttons_breaks_the_two_levels_with_40022():
    data = menu(parent(subs=[click(), parent("Deeper", subs=[click()])]))
    assert summary_of(errors_of(WECHAT, data)) == [((0, 1), "sub_button", ERROR, "40022", 0, 1)]


def test_a_parent_carries_no_type_40017():
    data = menu(parent(type="click", key="k"))
    assert summary_of(errors_of(WECHAT, data)) == [((0,), "type", ERROR, "40017", None, "click")]


# -- names, in UTF-8 bytes --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("A" * 16, 16),
        (CJK * 5 + "A", 16),
        (EMOJI * 4, 16),
    ],
)
def test_top_level_name_of_16_bytes_passes(name, size):
    assert WECHAT.byte_length(name) == size
    assert errors_of(WECHAT, menu(click(name))) == []
    assert errors_of(WECHAT, menu(parent(name))) == []


@pytest.mark.parametrize(
    ("name", "size"),
    [
        ("A" * 17, 17),
        (CJK * 6, 18),
        (EMOJI * 4 + "A", 17),
    ],
)
def test_top_level_name_past_16_bytes_fails_with_40018(name, size):
    assert summary_of(errors_of(WECHAT, menu(click(name)))) == [((0,), "name", ERROR, "40018", 16, size)]
    assert summary_of(errors_of(WECHAT, menu(parent(name)))) == [((0,), "name", ERROR, "40018", 16, size)]


@pytest.mark.parametrize("name", ["A" * 60, CJK * 20, EMOJI * 15])
def test_sub_level_name_of_60_bytes_passes(name):
    assert WECHAT.byte_length(name) == 60
    assert errors_of(WECHAT, menu(parent(subs=[click(name)]))) == []


@pytest.mark.parametrize(("name", "size"), [("A" * 61, 61), (CJK * 20 + "A", 61), (EMOJI * 15 + "A", 61)])
def test_sub_level_name_past_60_bytes_fails_with_40025(name, size):
    data = menu(parent(subs=[click(), click(name)]))
    assert summary_of(errors_of(WECHAT, data)) == [((0, 1), "name", ERROR, "40025", 60, size)]


@pytest.mark.parametrize("name", ["", "   ", None])
def test_a_name_is_required(name):
    data = menu(click(), parent(subs=[{"type": "click", "name": name, "key": "k"}]))
    assert [(p.path, p.field, p.code) for p in errors_of(WECHAT, data)] == [((1, 0), "name", "40025")]
    assert [(p.path, p.code) for p in errors_of(WECHAT, menu(click(name)))] == [((0,), "40018")]


# -- display truncation: a warning, and display_name shows exactly what the phone shows ----------


@pytest.mark.parametrize(
    ("level", "name", "shown"),
    [
        (1, "一二三四", "一二三四"),
        (1, "一二三四五", "一二三四..."),
        (1, "ABCDEFGH", "ABCDEFGH"),
        (1, "ABCDEFGHI", "ABCDEFGH..."),
        (1, "一二三A", "一二三A"),
        (1, "一二三AB", "一二三AB"),
        (1, "一二三四A", "一二三四..."),
        (1, EMOJI * 4, EMOJI * 4),
        (2, "一二三四五六七八", "一二三四五六七八"),
        (2, "一二三四五六七八九", "一二三四五六七八..."),
        (2, "A" * 16, "A" * 16),
        (2, "A" * 17, "A" * 16 + "..."),
    ],
)
def test_display_name_is_the_truncated_text(level, name, shown):
    assert WECHAT.display_name(name, level) == shown
    assert WECHAT.is_truncated(name, level) == (shown != name)


def test_display_widths_are_about_four_and_eight_cjk_characters():
    assert WECHAT.display_width(1) == 8
    assert WECHAT.display_width(2) == 16


def test_a_name_past_the_display_width_is_a_warning_naming_the_shown_text():
    data = menu(click("一二三四五"), parent("菜单", subs=[click("一二三四五六七八九")]))
    tree = parse_menu(data)
    assert WECHAT.errors(tree) == []
    problems = WECHAT.validate(tree)
    assert summary_of(problems) == [
        ((0,), "name", WARNING, "", 8, 10),
        ((1, 0), "name", WARNING, "", 16, 18),
    ]
    assert "一二三四..." in problems[0].message
    assert "一二三四五六七八..." in problems[1].message


def test_a_name_at_the_display_width_gets_no_warning():
    assert problems_of(WECHAT, menu(click("一二三四"), parent(subs=[click("一二三四五六七八")]))) == []


# -- fields: key, url -------------------------------------------------------------------------------


@pytest.mark.parametrize(("level_path", "code"), [("top", "40019"), ("sub", "40026")])
def test_key_of_128_bytes_passes_129_fails(level_path, code):
    def place(button):
        return menu(button) if level_path == "top" else menu(parent(subs=[button]))

    path = (0,) if level_path == "top" else (0, 0)
    assert errors_of(WECHAT, place(click(key="k" * 128))) == []
    assert errors_of(WECHAT, place(click(key=CJK * 42 + "kk"))) == []
    assert summary_of(errors_of(WECHAT, place(click(key="k" * 129)))) == [
        (path, "key", ERROR, code, 128, 129)
    ]
    assert summary_of(errors_of(WECHAT, place(click(key=CJK * 43)))) == [(path, "key", ERROR, code, 128, 129)]


@pytest.mark.parametrize("key", ["", "  ", None])
def test_key_is_required_for_click(key):
    data = menu({"type": "click", "name": "A", "key": key})
    assert [(p.field, p.code) for p in errors_of(WECHAT, data)] == [("key", "40019")]
    assert [(p.field, p.code) for p in errors_of(WECHAT, menu({"type": "click", "name": "A"}))] == [
        ("key", "40019")
    ]


def url_of(size: int) -> str:
    base = "https://example.com/"
    return base + "a" * (size - len(base))


@pytest.mark.parametrize(("where", "path", "code"), [("top", (0,), "40020"), ("sub", (0, 0), "40027")])
def test_url_of_1024_bytes_passes_1025_fails(where, path, code):
    def place(button):
        return menu(button) if where == "top" else menu(parent(subs=[button]))

    assert errors_of(WECHAT, place(view(url=url_of(1024)))) == []
    assert summary_of(errors_of(WECHAT, place(view(url=url_of(1025))))) == [
        (path, "url", ERROR, code, 1024, 1025)
    ]


def test_url_is_required_for_view():
    assert [(p.field, p.code) for p in errors_of(WECHAT, menu({"type": "view", "name": "A"}))] == [
        ("url", "40020")
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://example.com",
        "https://example.com/a?b=c#d",
        "HTTPS://EXAMPLE.COM/",
        "https://例子.中国/路径",
        "http://127.0.0.1:8000/x",
    ],
)
def test_http_and_https_urls_pass(url):
    assert errors_of(WECHAT, menu(view(url=url))) == []


@pytest.mark.parametrize(
    "url",
    [
        "ftp://example.com/",
        "javascript:alert(1)",
        "www.example.com",
        "//example.com/",
        "http://",
        "https:///path",
        "https://exa mple.com/",
        " https://example.com/",
        "https://example.com/\u3000",
        "weixin://dl/chat",
        "http://[::1/",
    ],
)
def test_other_urls_fail_with_the_url_domain_code(url):
    assert summary_of(errors_of(WECHAT, menu(view(url=url)))) == [((0,), "url", ERROR, "40055", None, url)]
    sub = menu(parent(subs=[view(url=url)]))
    assert [(p.path, p.field, p.code) for p in errors_of(WECHAT, sub)] == [((0, 0), "url", "40054")]


@pytest.mark.parametrize("bad", ["\n", "\t", "\x00", "\x1f"])
@pytest.mark.parametrize("field", ["name", "key", "url"])
def test_control_characters_are_refused_as_json_would_escape_them_as_u(bad, field):
    """JSON writes them as \\u00XX (or \\n): WeChat refuses escapes, and no name needs them."""
    button = {"type": "view", "name": "Go", "url": "https://example.com/", "key": "k"}
    if field == "key":
        button["type"] = "click"
    button[field] = button[field][:1] + bad + button[field][1:]
    errors = errors_of(WECHAT, menu(button))
    assert [(p.path, p.field, p.found) for p in errors] == [((0,), field, f"U+{ord(bad):04X}")]


def test_a_url_problem_shows_what_was_found_shortened():
    short = errors_of(WECHAT, menu(view(url="ftp://example.com/file")))[0]
    assert short.message.endswith("found “ftp://example.com/file”")
    long_url = "ftp://example.com/" + "a" * 500
    shown = errors_of(WECHAT, menu(view(url=long_url)))[0].message
    assert long_url[:57] + "...”" in shown and long_url not in shown


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://exa mple.com/", "contains a space"),
        ("https://example.com/\u3000", "contains a space"),
        ("www.example.com", "needs http:// or https:// in front, e.g. “https://www.example.com”"),
        ("//example.com/", "e.g. “https://example.com/”"),
        ("http://", "has no site name after “http://”"),
        ("https:///path", "has no site name after “https://”"),
        ("https:example.com", "needs two slashes after “https:”, e.g. “https://example.com”"),
        ("weixin://dl/chat", "not “weixin:”"),
        ("http://[::1/", "site name or port that cannot be read"),
    ],
)
def test_a_url_problem_names_what_is_wrong(url, says):
    message = errors_of(WECHAT, menu(view(url=url)))[0].message
    assert says in message
    assert "must start with" not in message


# -- types and the fields each needs ----------------------------------------------------------------

TYPE_FIELDS = {
    "click": ("key",),
    "view": ("url",),
    "miniprogram": ("appid", "pagepath", "url"),
    "scancode_push": ("key",),
    "scancode_waitmsg": ("key",),
    "pic_sysphoto": ("key",),
    "pic_photo_or_album": ("key",),
    "pic_weixin": ("key",),
    "location_select": ("key",),
    "media_id": ("media_id",),
    "view_limited": ("media_id",),
    "article_id": ("article_id",),
    "article_view_limited": ("article_id",),
}
GOOD_VALUES = {
    "key": "EVENT_KEY",
    "url": "https://example.com/page",
    "appid": "wx286b93c14bbf93aa",
    "pagepath": "pages/index/index",
    "media_id": "MEDIA_ID1",
    "article_id": "ARTICLE_ID1",
}


def test_every_type_on_the_wechat_page_is_known_with_its_fields():
    assert set(WECHAT.button_types) == set(TYPE_FIELDS)
    for code, names in TYPE_FIELDS.items():
        assert tuple(spec.name for spec in WECHAT.fields_for(code)) == names
        assert WECHAT.button_types[code].label


@pytest.mark.parametrize("type_code", sorted(TYPE_FIELDS))
@pytest.mark.parametrize("where", ["top", "sub"])
def test_each_type_with_its_fields_passes(type_code, where):
    button = {"type": type_code, "name": "Go"} | {n: GOOD_VALUES[n] for n in TYPE_FIELDS[type_code]}
    data = menu(button) if where == "top" else menu(parent(subs=[button]))
    assert errors_of(WECHAT, data) == []


@pytest.mark.parametrize(
    ("type_code", "missing"), [(t, f) for t, names in sorted(TYPE_FIELDS.items()) for f in names]
)
def test_each_type_without_one_of_its_fields_fails_naming_the_field(type_code, missing):
    button = {"type": type_code, "name": "Go"} | {
        n: GOOD_VALUES[n] for n in TYPE_FIELDS[type_code] if n != missing
    }
    errors = errors_of(WECHAT, menu(parent(subs=[click(), button])))
    assert [(p.path, p.field) for p in errors] == [((0, 1), missing)]
    assert errors[0].limit == WECHAT.field_limit(missing)
    assert errors[0].found == 0


def test_only_the_type_s_fields_are_checked():
    """A view button with a stale, over-long key from an earlier type is still a valid view."""
    assert errors_of(WECHAT, menu(view(key="k" * 500))) == []


def test_payload_leaves_out_fields_of_other_types():
    tree = parse_menu(menu(view(key="stale"), parent(subs=[click(url="https://stale.example/")])))
    assert WECHAT.payload(tree) == menu(
        {"type": "view", "name": "OK", "url": "https://example.com/"},
        {"name": "More", "sub_button": [{"type": "click", "name": "OK", "key": "k"}]},
    )


@pytest.mark.parametrize("appid", ["WX286B93C14BBF93AA", "wx286B93c14bbf93aa"])
def test_miniprogram_appid_must_be_lower_case(appid):
    button = {"type": "miniprogram", "name": "Go"} | GOOD_VALUES | {"appid": appid}
    errors = errors_of(WECHAT, menu(button))
    assert [(p.path, p.field) for p in errors] == [((0,), "appid")]
    assert appid.lower() in errors[0].message


@pytest.mark.parametrize(
    "appid",
    ["wx286b93c14bbf93a", "wx286b93c14bbf93aaa", "286b93c14bbf93aa", "wx286b93c14bbf93ag", "gh_12345"],
)
def test_miniprogram_appid_must_look_like_an_appid(appid):
    button = {"type": "miniprogram", "name": "Go"} | GOOD_VALUES | {"appid": appid}
    errors = errors_of(WECHAT, menu(button))
    assert [(p.path, p.field, p.found) for p in errors] == [((0,), "appid", appid)]


def test_miniprogram_fallback_url_must_be_a_web_address():
    button = {"type": "miniprogram", "name": "Go"} | GOOD_VALUES | {"url": "pages/index/index"}
    assert [(p.field, p.code) for p in errors_of(WECHAT, menu(button))] == [("url", "40055")]


def test_view_limited_is_legacy_a_warning_not_an_error():
    data = menu({"type": "view_limited", "name": "Go", "media_id": "M"})
    problems = problems_of(WECHAT, data)
    assert summary_of(problems) == [((0,), "type", WARNING, "", None, None)]
    assert "article" in problems[0].message.lower()


@pytest.mark.parametrize("type_code", ["text", "img", "news", "voice", "video", "CLICK", "unknown"])
def test_unknown_types_are_refused_40017_top_40024_sub(type_code):
    top = menu({"type": type_code, "name": "A", "key": "k", "value": "x"})
    sub = menu(parent(subs=[{"type": type_code, "name": "A", "key": "k"}]))
    assert summary_of(errors_of(WECHAT, top)) == [((0,), "type", ERROR, "40017", None, type_code)]
    assert summary_of(errors_of(WECHAT, sub)) == [((0, 0), "type", ERROR, "40024", None, type_code)]


def test_a_leaf_without_a_type_is_refused():
    assert [(p.path, p.field, p.code) for p in errors_of(WECHAT, menu({"name": "A", "key": "k"}))] == [
        ((0,), "type", "40017")
    ]


def test_every_problem_is_reported_not_only_the_first():
    data = menu(
        click("A" * 17, key=""),
        parent(subs=[view(url="ftp://x"), {"type": "nope", "name": "B"}]),
        view(CJK * 6, url=""),
        click(),
    )
    assert [(p.path, p.field, p.code) for p in errors_of(WECHAT, data)] == [
        ((), "button", "40016"),
        ((0,), "name", "40018"),
        ((0,), "key", "40019"),
        ((1, 0), "url", "40054"),
        ((1, 1), "type", "40024"),
        ((2,), "name", "40018"),
        ((2,), "url", "40020"),
    ]


# -- problems: where, field, limit, found, in English and Chinese ---------------------------------


def test_a_problem_names_button_sub_button_field_limit_and_found():
    problem = errors_of(WECHAT, menu(click(), parent(subs=[click(), click(), click("A" * 61)])))[0]
    assert (problem.button, problem.sub_button, problem.field) == (2, 3, "name")
    assert (problem.limit, problem.found, problem.code) == (60, 61, "40025")
    assert problem.text("en") == (
        "button 2, sub-button 3: name: the name is 61 bytes; at most 60 bytes are allowed here"
    )
    assert problem.as_dict("en") == {
        "path": [1, 2],
        "where": "button 2, sub-button 3",
        "field": "name",
        "severity": "error",
        "code": "40025",
        "limit": 60,
        "found": 61,
        "message": "the name is 61 bytes; at most 60 bytes are allowed here",
    }


def test_problems_compare_and_hash_as_values():
    data = menu(click("A" * 17), click("A" * 17))
    first, second = errors_of(WECHAT, data), errors_of(WECHAT, data)
    assert first == second
    assert len(set(first)) == 2  # same message, different buttons


def test_messages_are_translatable_and_render_in_chinese():
    """Wording comes with the translation pass; here: lazy gettext strings that render in zh-hans."""
    data = menu(click("A" * 17), parent(subs=[view(url="ftp://x")]), {"type": "x", "name": "B"}, click())
    problems = problems_of(WECHAT, data)
    assert len(problems) == 4
    for problem in problems:
        assert isinstance(problem.template, Promise)
        chinese = problem.text("zh-hans")
        english = problem.text("en")
        assert chinese and english
        if problem.button:
            assert str(problem.button) in chinese
        if problem.found is not None and not isinstance(problem.found, str):
            assert str(problem.found) in chinese
    assert "17" in problems[1].text("zh-hans") and "16" in problems[1].text("zh-hans")


def test_field_specs_answer_the_editor_s_questions():
    assert WECHAT.name_limit(1) == 16
    assert WECHAT.name_limit(2) == 60
    assert WECHAT.field_limit("key") == 128
    assert WECHAT.field_limit("url") == 1024
    assert WECHAT.byte_length("菜单😀a") == 3 + 3 + 4 + 1


# -- payload bytes: UTF-8 without \\u escapes ------------------------------------------------------


def test_payload_bytes_are_utf8_without_u_escapes():
    data = menu(click("今日歌曲"), parent("菜单😀", subs=[view("搜索", url="https://例子.中国/é")]))
    tree = parse_menu(data)
    body = WECHAT.payload_bytes(tree)
    assert isinstance(body, bytes)
    assert b"\\u" not in body
    assert "今日歌曲".encode() in body
    assert "😀".encode() in body  # four raw bytes, not a surrogate pair escape
    assert "https://例子.中国/é".encode() in body
    assert json.loads(body.decode("utf-8")) == data
    assert body == WECHAT.payload_text(tree).encode("utf-8")


def test_payload_writes_fields_in_the_table_s_order_and_parents_without_fields_of_their_own():
    tree = parse_menu(
        {
            "button": [
                {"pagepath": "pages/a", "appid": "wx286b93c14bbf93aa", "name": "M", "type": "miniprogram",
                 "url": "https://a.example/", "key": "left over from click"},
                {"name": "P", "key": "a parent's own", "sub_button": [click()]},
            ]
        }
    )  # fmt: skip
    assert WECHAT.payload_text(tree) == (
        '{"button": [{"type": "miniprogram", "name": "M", "url": "https://a.example/", '
        '"appid": "wx286b93c14bbf93aa", "pagepath": "pages/a"}, '
        '{"name": "P", "sub_button": [{"type": "click", "name": "OK", "key": "k"}]}]}'
    )


# -- reading get_current_selfmenu_info (WeChat's own shape, not the shared parser's) --------------

SELFMENU_INFO = {
    "is_menu_open": 1,
    "selfmenu_info": {
        "button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
            {
                "name": "菜单",
                "sub_button": {
                    "list": [
                        {"type": "view", "name": "搜索", "url": "http://a.b/"},
                        {"type": "text", "name": "问候", "value": "你好"},
                    ]
                },
            },
        ]
    },
}


@pytest.mark.parametrize("form", ["dict", "text"])
def test_parse_reads_a_pasted_selfmenu_info_answer_with_wrapped_lists(form):
    data = SELFMENU_INFO if form == "dict" else json.dumps(SELFMENU_INFO, ensure_ascii=False)
    tree = WECHAT.parse(data)
    assert tree.to_json() == {
        "button": [
            {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
            # A console reply the API cannot send stays as a button without a type.
            {"name": "菜单", "sub_button": [{"type": "view", "name": "搜索", "url": "http://a.b/"},
                                            {"name": "问候"}]},
        ]
    }  # fmt: skip


def test_selfmenu_info_without_a_button_list_or_nested_past_any_menu_is_not_a_menu():
    with pytest.raises(MenuParseError):
        WECHAT.parse({"is_menu_open": 1, "selfmenu_info": {"button": "x"}})
    deep: dict = {"name": "n", "type": "click", "key": "k"}
    for _ in range(50):
        deep = {"name": "n", "sub_button": {"list": [deep]}}
    with pytest.raises(MenuParseError):
        WECHAT.parse({"is_menu_open": 1, "selfmenu_info": {"button": [deep]}})


def test_other_platforms_read_only_the_shared_shapes():
    with pytest.raises(MenuParseError):
        get_platform("weibo").parse(SELFMENU_INFO)

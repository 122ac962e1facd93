"""The simulator's Weibo side, over real HTTP with `requests`, against platforms.md."""

from __future__ import annotations

import json
from urllib.parse import quote_plus

import pytest
import requests
from hypothesis import given, settings
from hypothesis import strategies as st

from menueditor.platforms import get_platform
from menueditor.tree import parse_menu
from simulator import DEFAULT_WEIBO_TOKEN
from simulator.rules import check_weibo_menu

CREATE = "/2/messages/menu/create.json"
SHOW = "/2/messages/menu/show.json"
DELETE = "/2/messages/menu/delete.json"

# menu/create.json's example, copied from the Weibo page.
PAGE_EXAMPLE = """{
    "button": [
        {
            "type": "click",
            "name": "获取优惠券",
            "key": "get_groupon"
        },
        {
            "type": "click",
            "name": "查询客服电话",
            "key": "the_big_brother_need_your_phone"
        },
        {
            "name": "菜单",
            "sub_button": [
                {
                    "type": "view",
                    "name": "网上4S店",
                    "url": "http://apps.weibo.com/1838358847/8rYu1uHD"
                },
                {
                    "type": "view",
                    "name": "砍价团",
                    "url": "http://apps.weibo.com/1838358847/8s1i6v74"
                },
                {
                    "type": "click",
                    "name": "么么哒",
                    "key": "memeda"
                }
            ]
        }
    ]
}"""

# The page's curl body, byte for byte: the same menu, URL-encoded once.
PAGE_CURL_BODY = (
    "menus=%7B%22button%22%3A+%5B%7B%22type%22%3A+%22click%22%2C%22name%22%3A+%22%E8%8E%B7%E5%8F%96%E4%BC%98"
    "%E6%83%A0%E5%88%B8%22%2C%22key%22%3A+%22get_groupon%22%7D%2C%7B%22type%22%3A+%22click%22%2C%22name%22%3A+"
    "%22%E6%9F%A5%E8%AF%A2%E5%AE%A2%E6%9C%8D%E7%94%B5%E8%AF%9D%22%2C%22key%22%3A+%22the_big_brother_need_your_"
    "phone%22%7D%2C%7B%22name%22%3A+%22%E8%8F%9C%E5%8D%95%22%2C%22sub_button%22%3A+%5B%7B%22type%22%3A+%22view"
    "%22%2C%22name%22%3A+%22%E7%BD%91%E4%B8%8A4S%E5%BA%97%22%2C%22url%22%3A+%22http%3A%2F%2Fapps.weibo.com%2F"
    "1838358847%2F8rYu1uHD%22%7D%2C%7B%22type%22%3A+%22view%22%2C%22name%22%3A+%22%E7%A0%8D%E4%BB%B7%E5%9B%A2"
    "%22%2C%22url%22%3A+%22http%3A%2F%2Fapps.weibo.com%2F1838358847%2F8s1i6v74%22%7D%2C%7B%22type%22%3A+%22click"
    "%22%2C%22name%22%3A+%22%E4%B9%88%E4%B9%88%E5%93%92%22%2C%22key%22%3A+%22memeda%22%7D%5D%7D%5D%7D"
)

FORM = {"Content-Type": "application/x-www-form-urlencoded"}


def create(sim, menu, *, token: str | None = DEFAULT_WEIBO_TOKEN) -> requests.Response:
    """POST the menu as the `menus` form field (requests encodes the form once)."""
    menus = menu if isinstance(menu, str) else json.dumps(menu, ensure_ascii=False)
    params = {"access_token": token} if token is not None else {}
    return requests.post(f"{sim.url}{CREATE}", params=params, data={"menus": menus}, timeout=5)


def show(sim, token: str | None = DEFAULT_WEIBO_TOKEN) -> requests.Response:
    params = {"access_token": token} if token is not None else {}
    return requests.get(f"{sim.url}{SHOW}", params=params, timeout=5)


def assert_weibo_error(response: requests.Response, code: int, path: str = CREATE) -> None:
    assert response.status_code == 400, response.text
    body = response.json()
    assert body["error_code"] == code, body
    assert body["request"] == path
    assert body["error"]


def leaf(name="按钮", **fields) -> dict:
    return {"type": "click", "name": name, "key": "k"} | fields


def parent(subs, name="菜单") -> dict:
    return {"name": name, "sub_button": subs}


def test_create_show_and_delete(simulator):
    menu = {"button": [leaf("优惠"), parent([{"type": "view", "name": "官网", "url": "http://weibo.com/"}])]}
    response = create(simulator, menu)
    assert response.status_code == 200
    assert response.json() == {"result": True}
    assert simulator.weibo_menu == menu
    assert show(simulator).json() == {"menu": menu}
    deleted = requests.post(f"{simulator.url}{DELETE}", data={"access_token": DEFAULT_WEIBO_TOKEN}, timeout=5)
    assert deleted.json() == {"result": True}
    assert simulator.weibo_menu is None
    assert show(simulator).json() == {"menu": {"button": []}}


def test_show_without_a_menu_is_an_empty_button_list(simulator):
    assert show(simulator).json() == {"menu": {"button": []}}


def test_the_form_is_recorded_byte_for_byte(simulator):
    menu = {"button": [leaf("优惠 券+1")]}
    create(simulator, menu)
    sent = simulator.requests[-1]
    assert sent.body == b"menus=" + quote_plus(json.dumps(menu, ensure_ascii=False)).encode("ascii")
    assert sent.header("Content-Type") == "application/x-www-form-urlencoded"
    assert sent.form() == {"menus": json.dumps(menu, ensure_ascii=False)}
    assert sent.query == {"access_token": DEFAULT_WEIBO_TOKEN}


def test_page_example_is_accepted_as_weibo_counts(simulator):
    """查询客服电话 is 18 bytes in UTF-8 but 12 of 16 as Weibo counts (GB18030): the page's example passes."""
    assert len("查询客服电话".encode()) == 18
    assert len("查询客服电话".encode("gb18030")) == 12
    assert create(simulator, PAGE_EXAMPLE).json() == {"result": True}
    assert simulator.weibo_menu == json.loads(PAGE_EXAMPLE)
    assert show(simulator).json() == {"menu": json.loads(PAGE_EXAMPLE)}


def test_page_curl_body_is_decoded_once_and_accepted(simulator):
    response = requests.post(
        f"{simulator.url}{CREATE}",
        params={"access_token": DEFAULT_WEIBO_TOKEN},
        data=PAGE_CURL_BODY.encode("ascii"),
        headers=FORM,
        timeout=5,
    )
    assert response.json() == {"result": True}
    assert json.loads(simulator.requests[-1].form()["menus"]) == json.loads(PAGE_EXAMPLE)
    assert simulator.weibo_menu == json.loads(PAGE_EXAMPLE)


def test_a_name_past_the_limit_is_refused_with_weibos_count(simulator):
    assert_weibo_error(create(simulator, {"button": [leaf("一二三四五六七八九")]}), 10008)
    assert simulator.weibo_menu is None
    assert "18 bytes (GB18030), at most 16" in simulator.refusals[-1]["detail"]


def test_menus_encoded_twice_is_refused(simulator):
    twice = quote_plus(json.dumps({"button": [leaf()]}))
    assert_weibo_error(create(simulator, twice), 10008)
    assert simulator.weibo_menu is None


def test_menus_must_be_a_form_field(simulator):
    as_json = requests.post(
        f"{simulator.url}{CREATE}",
        params={"access_token": DEFAULT_WEIBO_TOKEN},
        json={"menus": {"button": [leaf()]}},
        timeout=5,
    )
    assert_weibo_error(as_json, 10016)
    missing = requests.post(
        f"{simulator.url}{CREATE}", params={"access_token": DEFAULT_WEIBO_TOKEN}, data={"x": "1"}, timeout=5
    )
    assert_weibo_error(missing, 10016)


def test_access_token_in_the_form_or_an_oauth2_header(simulator):
    in_form = requests.post(
        f"{simulator.url}{CREATE}",
        data={"access_token": DEFAULT_WEIBO_TOKEN, "menus": json.dumps({"button": [leaf()]})},
        timeout=5,
    )
    assert in_form.json() == {"result": True}
    header = requests.get(
        f"{simulator.url}{SHOW}", headers={"Authorization": f"OAuth2 {DEFAULT_WEIBO_TOKEN}"}, timeout=5
    )
    assert header.json() == {"menu": {"button": [leaf()]}}


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (3, True), (4, False)])
def test_top_level_count(simulator, count, ok):
    response = create(simulator, {"button": [leaf(f"b{i}") for i in range(count)]})
    if ok:
        assert response.json() == {"result": True}
    else:
        assert_weibo_error(response, 10008)


@pytest.mark.parametrize(("count", "ok"), [(0, False), (1, True), (5, True), (6, False)])
def test_sub_button_count(simulator, count, ok):
    response = create(simulator, {"button": [parent([leaf(f"s{i}") for i in range(count)])]})
    if ok:
        assert response.json() == {"result": True}
    else:
        assert_weibo_error(response, 10008)


@pytest.mark.parametrize(
    ("menu", "ok"),
    [
        # Weibo counts as GB18030 does: ASCII 1, a Chinese character 2, an emoji 4.
        ({"button": [leaf("一二三四五六七八")]}, True),  # 8 Chinese characters: 16 bytes
        ({"button": [leaf("一二三四五六七八九")]}, False),  # 9: 18 bytes
        ({"button": [leaf("VIP一二三四五六A")]}, True),  # 3 + 12 + 1 = 16 bytes
        ({"button": [leaf("VIP一二三四五六AB")]}, False),  # 17 bytes
        ({"button": [leaf("😀😀😀😀")]}, True),  # 16 bytes
        ({"button": [leaf("😀😀😀😀A")]}, False),  # 17 bytes
        ({"button": [leaf("")]}, False),
        ({"button": [parent([leaf("一二三四五六七八九十" * 2)])]}, True),  # 20 Chinese characters: 40 bytes
        ({"button": [parent([leaf("一二三四五六七八九十" * 2 + "一")])]}, False),  # 21: 42 bytes
        ({"button": [parent([leaf("一二三四五六七八九十" * 2 + "A")])]}, False),  # 41 bytes
        ({"button": [parent([leaf("😀" * 10)])]}, True),  # 40 bytes
        ({"button": [parent([leaf()], name="一二三四五六七八")]}, True),  # a parent's name counts too
        ({"button": [parent([leaf()], name="一二三四五六七八九")]}, False),
    ],
)
def test_name_bytes(simulator, menu, ok):
    response = create(simulator, menu)
    if ok:
        assert response.json() == {"result": True}
    else:
        assert_weibo_error(response, 10008)


@pytest.mark.parametrize(
    ("button", "ok"),
    [
        (leaf(key="k" * 128), True),
        (leaf(key="k" * 129), False),
        (leaf(key="键" * 64), True),  # 128 bytes as Weibo counts (192 in UTF-8)
        (leaf(key="键" * 64 + "k"), False),
        (leaf(key=""), False),
        ({"type": "click", "name": "点"}, False),
        ({"type": "view", "name": "看", "url": "http://a.cn/" + "a" * 244}, True),  # 256 bytes
        ({"type": "view", "name": "看", "url": "http://a.cn/" + "a" * 245}, False),
        ({"type": "view", "name": "看", "url": "http://a.cn/" + "页" * 122}, True),  # 12 + 244 bytes
        ({"type": "view", "name": "看", "url": "http://a.cn/" + "页" * 122 + "a"}, False),
        ({"type": "view", "name": "看"}, False),
        (
            {"type": "view", "name": "看", "url": "http://a.cn/" + "a" * 1000},
            False,
        ),  # WeChat's limit, not Weibo's
        (
            {
                "type": "miniprogram",
                "name": "小",
                "appid": "wx286b93c14bbf93aa",
                "pagepath": "p",
                "url": "http://a",
            },
            False,
        ),
        ({"type": "scancode_push", "name": "扫", "key": "k"}, False),
        ({"name": "无类型", "key": "k"}, False),
    ],
)
def test_types_and_their_fields(simulator, button, ok):
    for menu in ({"button": [button]}, {"button": [parent([button])]}):
        response = create(simulator, menu)
        if ok:
            assert response.json() == {"result": True}, menu
        else:
            assert_weibo_error(response, 10008)


def test_third_level_is_refused(simulator):
    assert_weibo_error(create(simulator, {"button": [parent([parent([leaf()], name="子")])]}), 10008)


def test_not_json_is_refused(simulator):
    assert_weibo_error(create(simulator, '{"button": ['), 10008)
    assert_weibo_error(create(simulator, '["button"]'), 10008)


def test_a_refused_menu_leaves_the_live_menu_alone(simulator):
    create(simulator, {"button": [leaf("旧")]})
    assert_weibo_error(create(simulator, {"button": []}), 10008)
    assert show(simulator).json() == {"menu": {"button": [leaf("旧")]}}


def test_token_missing_unknown_expired_revoked(simulator):
    assert_weibo_error(create(simulator, {"button": [leaf()]}, token=None), 10006)
    assert_weibo_error(create(simulator, {"button": [leaf()]}, token="someone-elses"), 21332)
    simulator.expire_tokens()
    assert_weibo_error(create(simulator, {"button": [leaf()]}), 21327)
    assert_weibo_error(show(simulator), 21327, SHOW)
    simulator.add_weibo_token(DEFAULT_WEIBO_TOKEN)  # the owner copies a new token
    assert create(simulator, {"button": [leaf()]}).json() == {"result": True}
    simulator.invalidate_tokens()
    assert_weibo_error(show(simulator), 21332, SHOW)
    # A revoked token does not take the live menu with it.
    assert simulator.weibo_menu == {"button": [leaf()]}


def test_each_token_has_its_own_menu(simulator):
    simulator.add_weibo_token("second-token")
    create(simulator, {"button": [leaf("二")]}, token="second-token")
    assert simulator.weibo_menu is None
    assert simulator.weibo_menu_for("second-token") == {"button": [leaf("二")]}


def test_error_codes_as_strings(simulator):
    simulator.weibo_string_codes = True
    response = create(simulator, {"button": []})
    assert response.json()["error_code"] == "10008"


def test_error_status_is_configurable(simulator):
    simulator.weibo_error_status = 200
    response = create(simulator, {"button": []})
    assert response.status_code == 200
    assert response.json()["error_code"] == 10008


def test_create_needs_post(simulator):
    response = requests.get(
        f"{simulator.url}{CREATE}", params={"access_token": DEFAULT_WEIBO_TOKEN}, timeout=5
    )
    assert_weibo_error(response, 10021)


def test_setting_the_live_menu_from_a_test(simulator):
    simulator.weibo_menu = {"button": [leaf("别处")]}
    assert show(simulator).json() == {"menu": {"button": [leaf("别处")]}}


# Names built from what people type: ASCII, Chinese, other basic-plane text (Japanese, full-width
# punctuation, accented letters: some of them 4 bytes in GB18030) and emoji outside the basic plane.
_NAME_CHARS = st.one_of(
    st.characters(min_codepoint=0x21, max_codepoint=0x7E),
    st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5),
    st.sampled_from("。，！？“”～・あア한éßÀ€"),
    st.characters(min_codepoint=0x1F300, max_codepoint=0x1FAFF),
)


@settings(max_examples=300, deadline=None)
@given(top=st.text(_NAME_CHARS, min_size=1, max_size=20), sub=st.text(_NAME_CHARS, min_size=1, max_size=44))
def test_the_simulator_counts_names_as_the_editor_does(top, sub):
    """Both sides, written separately from platforms.md, refuse exactly the same names."""
    menu = {"button": [leaf(top), parent([leaf(sub)])]}
    assert (check_weibo_menu(menu) is None) == get_platform("weibo").is_valid(parse_menu(menu))

"""The simulator's WeChat side, over real HTTP with `requests`, against platforms.md."""

from __future__ import annotations

import copy
import json
import re
import threading

import pytest
import requests

from simulator import DEFAULT_APPID, DEFAULT_SECRET

RID = re.compile(r" rid: [0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}\Z")

# menu/create, 5.1 (click and view), copied from the WeChat page.
EXAMPLE_5_1 = """{
"button":[
{
"type":"click",
"name":"今日歌曲",
"key":"V1001_TODAY_MUSIC"
},
{
"name":"菜单",
"sub_button":[
{
"type":"view",
"name":"搜索",
"url":"http://www.soso.com/"
},
{
"type":"miniprogram",
"name":"wxa",
"url":"http://mp.weixin.qq.com",
"appid":"wx286b93c14bbf93aa",
"pagepath":"pages/lunar/index"
},
{
"type":"click",
"name":"赞一下我们",
"key":"V1001_GOOD"
}]
}]
}"""

# menu/create, 5.2 (other button types), copied from the WeChat page: seven top-level buttons.
EXAMPLE_5_2 = """{
"button": [
{
"name": "扫码",
"sub_button": [
{
"type": "scancode_waitmsg",
"name": "扫码带提示",
"key": "rselfmenu_0_0",
"sub_button": [ ]
},
{
"type": "scancode_push",
"name": "扫码推事件",
"key": "rselfmenu_0_1",
"sub_button": [ ]
}
]
},
{
"name": "发图",
"sub_button": [
{
"type": "pic_sysphoto",
"name": "系统拍照发图",
"key": "rselfmenu_1_0",
"sub_button": [ ]
},
{
"type": "pic_photo_or_album",
"name": "拍照或者相册发图",
"key": "rselfmenu_1_1",
"sub_button": [ ]
},
{
"type": "pic_weixin",
"name": "微信相册发图",
"key": "rselfmenu_1_2",
"sub_button": [ ]
}
]
},
{
"name": "发送位置",
"type": "location_select",
"key": "rselfmenu_2_0"
},
{
"type": "media_id",
"name": "图片",
"media_id": "MEDIA_ID1"
},
{
"type": "view_limited",
"name": "图文消息",
"media_id": "MEDIA_ID2"
},
{
"type": "article_id",
"name": "发布后的图文消息",
"article_id": "ARTICLE_ID1"
},
{
"type": "article_view_limited",
"name": "发布后的图文消息",
"article_id": "ARTICLE_ID2"
}
]
}"""


# --- helpers --------------------------------------------------------------------------------------


def stable_token(
    sim, *, appid=DEFAULT_APPID, secret=DEFAULT_SECRET, force=False, **extra
) -> requests.Response:
    body = {"grant_type": "client_credential", "appid": appid, "secret": secret, "force_refresh": force}
    return requests.post(f"{sim.url}/cgi-bin/stable_token", json=body | extra, timeout=5)


def classic_token(sim, *, appid=DEFAULT_APPID, secret=DEFAULT_SECRET, grant_type="client_credential"):
    params = {"grant_type": grant_type, "appid": appid, "secret": secret}
    return requests.get(f"{sim.url}/cgi-bin/token", params=params, timeout=5)


def token(sim) -> str:
    return stable_token(sim).json()["access_token"]


def utf8(payload) -> bytes:
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def post(sim, path: str, payload, access_token: str | None) -> dict:
    body = payload if isinstance(payload, bytes) else utf8(payload)
    params = {"access_token": access_token} if access_token is not None else {}
    headers = {"Content-Type": "application/json; charset=utf-8"}
    response = requests.post(f"{sim.url}{path}", params=params, data=body, headers=headers, timeout=5)
    assert response.status_code == 200
    return response.json()


def get(sim, path: str, access_token: str | None) -> dict:
    params = {"access_token": access_token} if access_token is not None else {}
    response = requests.get(f"{sim.url}{path}", params=params, timeout=5)
    assert response.status_code == 200
    return response.json()


def create(sim, payload, access_token: str | None = None) -> dict:
    return post(sim, "/cgi-bin/menu/create", payload, access_token or token(sim))


def errcode(reply: dict) -> int:
    return reply["errcode"]


def leaf(name="按钮", **fields) -> dict:
    return {"type": "click", "name": name, "key": "K"} | fields


def parent(subs: list[dict], name="菜单") -> dict:
    return {"name": name, "sub_button": subs}


def assert_error(reply: dict, code: int) -> None:
    assert reply["errcode"] == code, reply
    assert RID.search(reply["errmsg"]), reply["errmsg"]


# --- tokens ---------------------------------------------------------------------------------------


def test_stable_token_is_handed_back_until_five_minutes_before_expiry(simulator):
    first = stable_token(simulator).json()
    assert first["expires_in"] == 7200
    assert re.fullmatch(r"[0-9]{2}_[A-Za-z0-9_-]+", first["access_token"])
    assert stable_token(simulator).json()["access_token"] == first["access_token"]
    assert simulator.token_fetches == 2

    simulator.advance(7200 - 300 + 1)
    renewed = stable_token(simulator).json()
    assert renewed["access_token"] != first["access_token"]
    assert renewed["expires_in"] == 7200
    # The old token is not killed: it lives until its own expiry.
    assert get(simulator, "/cgi-bin/menu/get", first["access_token"])["errcode"] == 46003
    simulator.advance(300)
    assert_error(get(simulator, "/cgi-bin/menu/get", first["access_token"]), 42001)
    assert get(simulator, "/cgi-bin/menu/get", renewed["access_token"])["errcode"] == 46003


def test_stable_token_reuse_reports_the_remaining_lifetime(simulator):
    first = stable_token(simulator).json()
    simulator.advance(1000)
    again = stable_token(simulator).json()
    assert again["access_token"] == first["access_token"]
    assert again["expires_in"] == 6200


def test_force_refresh_kills_the_old_token_and_is_limited_to_one_per_30_seconds(simulator):
    old = token(simulator)
    forced = stable_token(simulator, force=True).json()
    assert forced["access_token"] != old
    assert_error(get(simulator, "/cgi-bin/menu/get", old), 40001)
    assert_error(stable_token(simulator, force=True).json(), 45011)
    simulator.advance(31)
    assert "access_token" in stable_token(simulator, force=True).json()


def test_force_refresh_daily_quota(simulator):
    simulator.force_refresh_quota = 1
    assert "access_token" in stable_token(simulator, force=True).json()
    simulator.advance(31)
    assert_error(stable_token(simulator, force=True).json(), 45009)


def test_classic_token_replaces_the_previous_one_after_a_five_minute_overlap(simulator):
    first = classic_token(simulator).json()["access_token"]
    second = classic_token(simulator).json()["access_token"]
    assert first != second
    assert simulator.token_fetches == 2
    assert get(simulator, "/cgi-bin/menu/get", first)["errcode"] == 46003  # still in the overlap
    simulator.advance(301)
    assert_error(get(simulator, "/cgi-bin/menu/get", first), 40001)
    assert get(simulator, "/cgi-bin/menu/get", second)["errcode"] == 46003


def test_classic_token_does_not_disturb_the_stable_token(simulator):
    stable = token(simulator)
    classic_token(simulator)
    simulator.advance(301)
    assert get(simulator, "/cgi-bin/menu/get", stable)["errcode"] == 46003


def test_classic_token_daily_quota(simulator):
    simulator.token_quota = 1
    assert "access_token" in classic_token(simulator).json()
    assert_error(classic_token(simulator).json(), 45009)
    assert simulator.token_fetches == 1


def test_token_lifetime_is_configurable(simulator):
    simulator.token_lifetime = 600
    reply = stable_token(simulator).json()
    assert reply["expires_in"] == 600
    simulator.advance(600)
    assert_error(get(simulator, "/cgi-bin/menu/get", reply["access_token"]), 42001)


@pytest.mark.parametrize("fetch", [stable_token, classic_token])
@pytest.mark.parametrize(
    ("credentials", "code"),
    [
        ({"appid": "wx9999999999999999"}, 40013),
        ({"secret": "not-the-secret"}, 40125),
        ({"appid": ""}, 41002),
        ({"secret": ""}, 41004),
    ],
)
def test_token_credential_errors(simulator, fetch, credentials, code):
    reply = fetch(simulator, **credentials)
    assert reply.status_code == 200
    assert_error(reply.json(), code)
    assert simulator.token_fetches == 0


def test_unknown_grant_type(simulator):
    assert_error(classic_token(simulator, grant_type="password").json(), 40002)
    assert_error(stable_token(simulator, grant_type="authorization_code").json(), 40002)


def test_stable_token_body_must_be_json(simulator):
    reply = requests.post(f"{simulator.url}/cgi-bin/stable_token", data=b"appid=x", timeout=5).json()
    assert_error(reply, 47001)


def test_added_app_has_its_own_credentials_and_menu(simulator):
    simulator.add_wechat_app("wxaaaaaaaaaaaaaaaa", "other-secret")
    other = stable_token(simulator, appid="wxaaaaaaaaaaaaaaaa", secret="other-secret").json()["access_token"]
    assert create(simulator, {"button": [leaf()]}, other)["errcode"] == 0
    assert simulator.wechat_menu is None
    assert simulator.wechat_menu_for("wxaaaaaaaaaaaaaaaa") == {"button": [leaf()]}


@pytest.mark.parametrize("fetch", [stable_token, classic_token])
def test_ip_whitelist_names_the_callers_ip(simulator, fetch):
    simulator.set_ip_whitelist(["1.2.3.4"])
    reply = fetch(simulator).json()
    assert reply["errcode"] == 40164
    assert reply["errmsg"].startswith("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: ")
    assert RID.search(reply["errmsg"])
    simulator.set_ip_whitelist(["1.2.3.4", "127.0.0.1"])
    assert "access_token" in fetch(simulator).json()


# --- token checks on menu calls -------------------------------------------------------------------

MENU_CALLS = [
    ("GET", "/cgi-bin/menu/get"),
    ("GET", "/cgi-bin/get_current_selfmenu_info"),
    ("GET", "/cgi-bin/menu/delete"),
    ("POST", "/cgi-bin/menu/create"),
    ("POST", "/cgi-bin/menu/addconditional"),
    ("POST", "/cgi-bin/menu/delconditional"),
    ("POST", "/cgi-bin/menu/trymatch"),
]


def call(sim, method, path, access_token):
    if method == "GET":
        return get(sim, path, access_token)
    return post(sim, path, {"button": [leaf()]}, access_token)


@pytest.mark.parametrize(("method", "path"), MENU_CALLS)
def test_menu_calls_check_the_token(simulator, method, path):
    assert_error(call(simulator, method, path, None), 41001)
    assert_error(call(simulator, method, path, "x" * 136), 40001)  # well formed, never issued
    assert_error(call(simulator, method, path, "not a token!"), 40014)
    assert_error(call(simulator, method, path, "short"), 40014)
    issued = token(simulator)
    simulator.expire_tokens()
    assert_error(call(simulator, method, path, issued), 42001)
    assert simulator.wechat_menu is None


def test_invalidated_tokens_answer_40001_and_a_new_one_works(simulator):
    issued = token(simulator)
    simulator.invalidate_tokens()
    assert_error(get(simulator, "/cgi-bin/menu/get", issued), 40001)
    fresh = token(simulator)
    assert fresh != issued
    assert get(simulator, "/cgi-bin/menu/get", fresh)["errcode"] == 46003


def test_stable_token_after_expiry_is_a_new_token(simulator):
    issued = token(simulator)
    simulator.expire_tokens()
    fresh = token(simulator)
    assert fresh != issued
    assert create(simulator, {"button": [leaf()]}, fresh)["errcode"] == 0


def test_authorizer_token_acts_for_its_app(simulator):
    simulator.add_authorizer_token("authorizer-token-" + "a" * 40)
    assert create(simulator, {"button": [leaf()]}, "authorizer-token-" + "a" * 40)["errcode"] == 0
    assert simulator.wechat_menu == {"button": [leaf()]}


def test_concurrent_stable_token_calls_share_one_token(simulator):
    tokens: list[str] = []

    def fetch():
        tokens.append(stable_token(simulator).json()["access_token"])

    threads = [threading.Thread(target=fetch) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(tokens) == 8
    assert len(set(tokens)) == 1
    assert simulator.token_fetches == 8


# --- menu/create: the body ------------------------------------------------------------------------


def test_create_stores_the_menu_exactly_as_sent_and_records_the_bytes(simulator):
    access_token = token(simulator)
    menu = {"button": [leaf("今日歌曲", key="V1001_TODAY_MUSIC"), parent([leaf("赞一下我们 👍")])]}
    body = utf8(menu)
    reply = create(simulator, body, access_token)
    assert reply == {"errcode": 0, "errmsg": "ok"}
    sent = simulator.requests[-1]
    assert (sent.method, sent.path, sent.body) == ("POST", "/cgi-bin/menu/create", body)
    assert sent.query == {"access_token": access_token}
    assert sent.header("content-type") == "application/json; charset=utf-8"
    assert simulator.wechat_menu == menu
    assert get(simulator, "/cgi-bin/menu/get", access_token)["menu"]["button"] == as_got(menu["button"])


def test_unicode_escapes_are_refused(simulator):
    access_token = token(simulator)
    # What requests.post(json=...) sends: non-ASCII escaped as \uXXXX.
    response = requests.post(
        f"{simulator.url}/cgi-bin/menu/create",
        params={"access_token": access_token},
        json={"button": [leaf("今日歌曲")]},
        timeout=5,
    )
    assert b"\\u4eca" in simulator.requests[-1].body
    assert_error(response.json(), 40033)
    assert simulator.wechat_menu is None
    assert_error(create(simulator, b'{"button":[{"type":"click","name":"\\u0041","key":"K"}]}'), 40033)


def test_a_literal_backslash_u_is_not_an_escape(simulator):
    menu = {"button": [leaf("a\\u", key="C:\\users")]}
    assert b"\\\\u" in utf8(menu)
    assert create(simulator, menu)["errcode"] == 0
    assert simulator.wechat_menu == menu


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b'{"button": [', 47001),
        (b"button=1", 47001),
        (b'["button"]', 47001),
        (b'{"button": {"type": "click"}}', 47001),
        ('{"button":[{"type":"click","name":"歌","key":"K"}]}'.encode("gbk"), 40033),
        (b"", 44002),
    ],
)
def test_bodies_that_are_not_a_menu(simulator, body, code):
    assert_error(create(simulator, body), code)
    assert simulator.wechat_menu is None


def test_create_needs_post(simulator):
    assert_error(get(simulator, "/cgi-bin/menu/create", token(simulator)), 43002)


def test_daily_create_quota(simulator):
    simulator.create_quota = 2
    access_token = token(simulator)
    assert create(simulator, {"button": [leaf("一")]}, access_token)["errcode"] == 0
    assert create(simulator, {"button": [leaf("二")]}, access_token)["errcode"] == 0
    assert_error(create(simulator, {"button": [leaf("三")]}, access_token), 45009)
    assert simulator.wechat_menu == {"button": [leaf("二")]}
    simulator.advance(86400)  # the quota resets the next day
    assert create(simulator, {"button": [leaf("三")]})["errcode"] == 0


# --- menu/create: the rules -----------------------------------------------------------------------


def test_page_example_5_1_is_accepted_as_sent(simulator):
    access_token = token(simulator)
    body = EXAMPLE_5_1.encode("utf-8")
    assert create(simulator, body, access_token) == {"errcode": 0, "errmsg": "ok"}
    assert simulator.requests[-1].body == body
    assert simulator.wechat_menu == json.loads(EXAMPLE_5_1)


def test_page_example_5_2_is_refused_for_its_seven_top_level_buttons(simulator):
    assert_error(create(simulator, EXAMPLE_5_2.encode("utf-8")), 40016)
    assert simulator.wechat_menu is None


def test_page_example_5_2_buttons_in_menus_of_three(simulator):
    buttons = json.loads(EXAMPLE_5_2)["button"]
    access_token = token(simulator)
    assert create(simulator, {"button": buttons[0:3]}, access_token)["errcode"] == 0
    # "发布后的图文消息" is 24 bytes: too long at the top level, fine as a sub-button.
    assert_error(create(simulator, {"button": buttons[3:6]}, access_token), 40018)
    assert create(simulator, {"button": [parent(buttons[3:7])]}, access_token)["errcode"] == 0


@pytest.mark.parametrize(("count", "code"), [(0, 40016), (1, 0), (3, 0), (4, 40016)])
def test_top_level_count(simulator, count, code):
    assert create(simulator, {"button": [leaf(f"b{i}") for i in range(count)]})["errcode"] == code


def test_missing_button_list(simulator):
    assert_error(create(simulator, {"menu": {"button": [leaf()]}}), 40016)


@pytest.mark.parametrize(("count", "code"), [(1, 0), (5, 0), (6, 40023)])
def test_sub_button_count(simulator, count, code):
    menu = {"button": [parent([leaf(f"s{i}") for i in range(count)])]}
    assert create(simulator, menu)["errcode"] == code


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("一二三四五A", 0),  # 16 bytes
        ("一二三四五AB", 40018),  # 17 bytes
        ("ABCDEFGHIJKLMNOP", 0),
        ("ABCDEFGHIJKLMNOPQ", 40018),
        ("😀😀😀😀", 0),  # 16 bytes
        ("😀😀😀😀!", 40018),
        ("", 40018),
    ],
)
def test_top_level_name_bytes(simulator, name, code):
    assert create(simulator, {"button": [leaf(name)]})["errcode"] == code


def test_missing_name(simulator):
    assert_error(create(simulator, {"button": [{"type": "click", "key": "K"}]}), 40018)
    assert_error(create(simulator, {"button": [{"sub_button": [leaf()]}]}), 40018)


@pytest.mark.parametrize(("name", "code"), [("一" * 20, 0), ("一" * 20 + "A", 40025), ("", 40025)])
def test_sub_level_name_bytes(simulator, name, code):
    assert create(simulator, {"button": [parent([leaf(name)])]})["errcode"] == code


@pytest.mark.parametrize(("size", "top", "sub"), [(128, 0, 0), (129, 40019, 40026), (0, 40019, 40026)])
def test_key_bytes(simulator, size, top, sub):
    key = "k" * size
    assert create(simulator, {"button": [leaf(key=key)]})["errcode"] == top
    assert create(simulator, {"button": [parent([leaf(key=key)])]})["errcode"] == sub


def test_missing_key(simulator):
    assert_error(create(simulator, {"button": [{"type": "scancode_push", "name": "扫"}]}), 40019)
    assert_error(create(simulator, {"button": [parent([{"type": "pic_weixin", "name": "图"}])]}), 40026)


def url_of(size: int) -> str:
    head = "https://example.com/"
    return head + "a" * (size - len(head))


@pytest.mark.parametrize(("size", "top", "sub"), [(1024, 0, 0), (1025, 40020, 40027)])
def test_url_bytes(simulator, size, top, sub):
    button = {"type": "view", "name": "看", "url": url_of(size)}
    assert len(button["url"].encode()) == size
    assert create(simulator, {"button": [button]})["errcode"] == top
    assert create(simulator, {"button": [parent([button])]})["errcode"] == sub


def test_missing_url_and_non_web_url(simulator):
    assert_error(create(simulator, {"button": [{"type": "view", "name": "看"}]}), 40020)
    assert_error(create(simulator, {"button": [parent([{"type": "view", "name": "看", "url": ""}])]}), 40027)
    assert_error(create(simulator, {"button": [{"type": "view", "name": "看", "url": "www.a.com"}]}), 40055)
    sub = {"type": "view", "name": "看", "url": "javascript:alert(1)"}
    assert_error(create(simulator, {"button": [parent([sub])]}), 40054)


@pytest.mark.parametrize("bad_type", ["text", "img", "news", "VIEW", "", None, 3])
def test_type_not_allowed(simulator, bad_type):
    button = {"type": bad_type, "name": "按钮", "key": "K"}
    assert_error(create(simulator, {"button": [button]}), 40017)
    assert_error(create(simulator, {"button": [parent([button])]}), 40024)


def test_leaf_without_type_is_refused_and_a_parent_needs_none(simulator):
    assert_error(create(simulator, {"button": [{"name": "按钮", "key": "K"}]}), 40017)
    # An empty sub_button list does not make a parent: this is a leaf without a type.
    assert_error(create(simulator, {"button": [{"name": "菜单", "sub_button": []}]}), 40017)
    assert create(simulator, {"button": [parent([leaf()])]})["errcode"] == 0


def test_leaves_may_carry_an_empty_sub_button_list(simulator):
    menu = {"button": [leaf(sub_button=[]), parent([leaf(sub_button=[])])]}
    assert create(simulator, menu)["errcode"] == 0
    assert simulator.wechat_menu == menu


def test_third_level_is_refused(simulator):
    menu = {"button": [parent([{"name": "子", "sub_button": [leaf()]}])]}
    assert_error(create(simulator, menu), 40022)


ALL_TYPES = [
    {"type": "click", "name": "click", "key": "k1"},
    {"type": "view", "name": "view", "url": "https://example.com/"},
    {
        "type": "miniprogram",
        "name": "mini",
        "url": "http://mp.weixin.qq.com",
        "appid": "wx286b93c14bbf93aa",
        "pagepath": "pages/lunar/index",
    },
    {"type": "scancode_push", "name": "scan", "key": "k2"},
    {"type": "scancode_waitmsg", "name": "scanwait", "key": "k3"},
    {"type": "pic_sysphoto", "name": "photo", "key": "k4"},
    {"type": "pic_photo_or_album", "name": "album", "key": "k5"},
    {"type": "pic_weixin", "name": "weixin", "key": "k6"},
    {"type": "location_select", "name": "location", "key": "k7"},
    {"type": "media_id", "name": "media", "media_id": "MEDIA_ID1"},
    {"type": "view_limited", "name": "limited", "media_id": "MEDIA_ID2"},
    {"type": "article_id", "name": "article", "article_id": "ARTICLE_ID1"},
    {"type": "article_view_limited", "name": "articleview", "article_id": "ARTICLE_ID2"},
]


def test_every_listed_type_is_accepted_at_both_levels(simulator):
    menu = {"button": [parent(ALL_TYPES[0:5]), parent(ALL_TYPES[5:10]), parent(ALL_TYPES[10:])]}
    assert create(simulator, menu)["errcode"] == 0
    access_token = token(simulator)
    for button in ALL_TYPES:
        assert create(simulator, {"button": [button]}, access_token)["errcode"] == 0, button


@pytest.mark.parametrize(
    ("field", "value", "code"),
    [
        ("url", None, 40020),
        ("appid", None, 40166),
        ("appid", "WX286B93C14BBF93AA", 40166),
        ("appid", "wx0000000000000001", 45064),
        ("pagepath", None, 40165),
        ("pagepath", "", 40165),
    ],
)
def test_miniprogram_needs_a_linked_lower_case_appid_a_page_and_a_url(simulator, field, value, code):
    button = dict(ALL_TYPES[2])
    if value is None:
        del button[field]
    else:
        button[field] = value
    assert_error(create(simulator, {"button": [button]}), code)


def test_linking_a_mini_program(simulator):
    button = dict(ALL_TYPES[2], appid="wx0000000000000001")
    simulator.linked_miniprograms.add("wx0000000000000001")
    assert create(simulator, {"button": [button]})["errcode"] == 0


@pytest.mark.parametrize("kind", ["media_id", "view_limited"])
def test_media_types_need_a_media_id(simulator, kind):
    reply = create(simulator, {"button": [{"type": kind, "name": "图", "key": "K"}]})
    assert_error(reply, 40007)
    assert reply["errmsg"].startswith("invalid media_id")


@pytest.mark.parametrize("kind", ["article_id", "article_view_limited"])
def test_article_types_need_an_article_id(simulator, kind):
    reply = create(simulator, {"button": [{"type": kind, "name": "文", "media_id": "M"}]})
    assert_error(reply, 40007)
    assert reply["errmsg"].startswith("invalid article_id")


def test_types_the_account_is_not_entitled_to(simulator):
    simulator.disallowed_types = {"article_id"}
    button = ALL_TYPES[11]
    assert_error(create(simulator, {"button": [button]}), 40119)
    assert_error(create(simulator, {"button": [parent([button])]}), 40120)
    assert create(simulator, {"button": [ALL_TYPES[0]]})["errcode"] == 0


def test_a_refused_menu_leaves_the_live_menu_alone(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf("旧")]}, access_token)
    assert_error(create(simulator, {"button": [leaf("一二三四五六")]}, access_token), 40018)
    assert simulator.wechat_menu == {"button": [leaf("旧")]}
    assert simulator.refusals[-1]["code"] == 40018


def as_got(buttons: list) -> list:
    """Buttons as menu/get gives them back: each, leaves included, with "sub_button": []."""
    out = copy.deepcopy(buttons)
    for button in out:
        button.setdefault("sub_button", [])
        for sub in button["sub_button"]:
            sub.setdefault("sub_button", [])
    return out


# --- reading and deleting -------------------------------------------------------------------------


def test_menu_get_without_api_menu_is_46003(simulator):
    assert_error(get(simulator, "/cgi-bin/menu/get", token(simulator)), 46003)


def test_menu_get_returns_the_menu_as_sent_with_a_menuid(simulator):
    access_token = token(simulator)
    menu = json.loads(EXAMPLE_5_1)
    create(simulator, menu, access_token)
    reply = get(simulator, "/cgi-bin/menu/get", access_token)
    assert reply["menu"]["button"] == as_got(menu["button"])
    # As platforms.md says: every button comes back with "sub_button": [], leaves included.
    assert reply["menu"]["button"][0]["sub_button"] == []
    assert all(sub["sub_button"] == [] for sub in reply["menu"]["button"][1]["sub_button"])
    assert isinstance(reply["menu"]["menuid"], int)
    assert "conditionalmenu" not in reply


def test_selfmenu_info_converts_the_api_menu(simulator):
    access_token = token(simulator)
    create(simulator, EXAMPLE_5_1.encode(), access_token)
    reply = get(simulator, "/cgi-bin/get_current_selfmenu_info", access_token)
    assert reply["is_menu_open"] == 1
    top, menu = reply["selfmenu_info"]["button"]
    assert top == {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"}
    assert menu["name"] == "菜单"
    assert "type" not in menu
    assert [b["name"] for b in menu["sub_button"]["list"]] == ["搜索", "wxa", "赞一下我们"]
    assert menu["sub_button"]["list"][1]["appid"] == "wx286b93c14bbf93aa"


def test_selfmenu_info_when_nothing_is_set(simulator):
    reply = get(simulator, "/cgi-bin/get_current_selfmenu_info", token(simulator))
    assert reply["is_menu_open"] == 0
    assert not reply.get("selfmenu_info", {}).get("button")


CONSOLE_MENU = {
    "button": [
        {"type": "text", "name": "营业时间", "value": "每天 9:00-18:00"},
        {"type": "img", "name": "地图", "value": "X0OkwjKk9bVBqYZpp4LbhGDAR8ZIDMZ5gTQqhgL0FY0"},
        {
            "name": "更多",
            "sub_button": {
                "list": [
                    {"type": "voice", "name": "问候", "value": "X0OkwjKk9bVBqYZpp4LbhGDAR8ZIDMZ5gTQqhgL0FY1"},
                    {"type": "video", "name": "视频", "value": "http://example.com/v.mp4"},
                    {
                        "type": "news",
                        "name": "文章",
                        "value": "X0OkwjKk9bVBqYZpp4LbhGDAR8ZIDMZ5gTQqhgL0FY2",
                        "news_info": {
                            "list": [
                                {
                                    "title": "标题",
                                    "author": "作者",
                                    "digest": "摘要",
                                    "show_cover": 1,
                                    "cover_url": "http://example.com/c.jpg",
                                    "content_url": "http://example.com/a.html",
                                    "source_url": "",
                                }
                            ]
                        },
                    },
                    {"type": "view", "name": "官网", "url": "http://example.com/"},
                ]
            },
        },
    ]
}


def test_console_menu_shows_only_in_selfmenu_info(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    simulator.set_console_menu(CONSOLE_MENU)
    assert_error(get(simulator, "/cgi-bin/menu/get", access_token), 46003)
    reply = get(simulator, "/cgi-bin/get_current_selfmenu_info", access_token)
    assert reply == {"is_menu_open": 1, "selfmenu_info": CONSOLE_MENU}
    # Publishing through the API replaces the console menu.
    create(simulator, {"button": [leaf("新")]}, access_token)
    selfmenu = get(simulator, "/cgi-bin/get_current_selfmenu_info", access_token)["selfmenu_info"]
    assert selfmenu == {"button": [leaf("新")]}


def test_menu_delete_removes_every_menu(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    post(
        simulator,
        "/cgi-bin/menu/addconditional",
        {"button": [leaf()], "matchrule": {"tag_id": "2"}},
        access_token,
    )
    assert get(simulator, "/cgi-bin/menu/delete", access_token) == {"errcode": 0, "errmsg": "ok"}
    assert_error(get(simulator, "/cgi-bin/menu/get", access_token), 46003)
    assert simulator.wechat_menu is None
    assert simulator.wechat_conditional_menus == []
    assert get(simulator, "/cgi-bin/get_current_selfmenu_info", access_token)["is_menu_open"] == 0


def test_setting_the_live_menu_from_a_test(simulator):
    simulator.wechat_menu = {"button": [leaf("别处")]}
    assert get(simulator, "/cgi-bin/menu/get", token(simulator))["menu"]["button"] == as_got([leaf("别处")])


# --- conditional menus ----------------------------------------------------------------------------


def test_conditional_menu_needs_a_default_menu(simulator):
    reply = post(
        simulator,
        "/cgi-bin/menu/addconditional",
        {"button": [leaf()], "matchrule": {"tag_id": "2"}},
        token(simulator),
    )
    assert_error(reply, 65303)


@pytest.mark.parametrize(
    ("matchrule", "code"),
    [
        ({"sex": "1"}, 65320),
        ({"country": "中国", "province": "广东"}, 65320),
        ({"language": "zh_CN"}, 65320),
        ({"tag_id": "2", "sex": "1"}, 65320),
        ({}, 65304),
        (None, 65304),
    ],
)
def test_conditional_match_rules_that_are_refused(simulator, matchrule, code):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    body = {"button": [leaf()]} if matchrule is None else {"button": [leaf()], "matchrule": matchrule}
    assert_error(post(simulator, "/cgi-bin/menu/addconditional", body, access_token), code)


def test_conditional_buttons_follow_the_same_rules(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    body = {"button": [leaf("一二三四五六")], "matchrule": {"tag_id": "2"}}
    assert_error(post(simulator, "/cgi-bin/menu/addconditional", body, access_token), 40018)


def test_conditional_menu_links_to_at_most_three_domains(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    views = [{"type": "view", "name": f"v{i}", "url": f"https://d{i}.example.com/p"} for i in range(4)]
    body = {"button": [parent(views)], "matchrule": {"tag_id": "2"}}
    assert_error(post(simulator, "/cgi-bin/menu/addconditional", body, access_token), 65316)
    body = {
        "button": [parent([*views[:3], dict(views[3], url="https://d0.example.com/q")])],
        "matchrule": {"tag_id": "2"},
    }
    assert "menuid" in post(simulator, "/cgi-bin/menu/addconditional", body, access_token)


def test_conditional_menu_life_cycle(simulator):
    access_token = token(simulator)
    simulator.users = {"o-fan": ["2"], "o-other": [5]}
    create(simulator, {"button": [leaf("默认")]}, access_token)
    body = {"button": [leaf("粉丝")], "matchrule": {"tag_id": "2", "client_platform_type": "1"}}
    added = post(simulator, "/cgi-bin/menu/addconditional", body, access_token)
    assert isinstance(added["menuid"], str)

    reply = get(simulator, "/cgi-bin/menu/get", access_token)
    [conditional] = reply["conditionalmenu"]
    assert conditional["button"] == as_got([leaf("粉丝")])
    assert str(conditional["menuid"]) == added["menuid"]
    # menu/get names the tag rule group_id, as the platform does.
    assert conditional["matchrule"]["group_id"] == "2"

    tried = post(simulator, "/cgi-bin/menu/trymatch", {"user_id": "o-fan"}, access_token)
    assert tried == {"button": [leaf("粉丝")]}
    tried = post(simulator, "/cgi-bin/menu/trymatch", {"user_id": "o-other"}, access_token)
    assert tried == {"button": [leaf("默认")]}
    assert_error(post(simulator, "/cgi-bin/menu/trymatch", {"user_id": "nobody"}, access_token), 65302)

    assert_error(post(simulator, "/cgi-bin/menu/delconditional", {"menuid": "1"}, access_token), 65301)
    deleted = post(simulator, "/cgi-bin/menu/delconditional", {"menuid": added["menuid"]}, access_token)
    assert deleted == {"errcode": 0, "errmsg": "ok"}
    assert "conditionalmenu" not in get(simulator, "/cgi-bin/menu/get", access_token)
    # Numbers are accepted for menuid as well as strings.
    again = post(simulator, "/cgi-bin/menu/addconditional", body, access_token)
    gone = post(simulator, "/cgi-bin/menu/delconditional", {"menuid": int(again["menuid"])}, access_token)
    assert gone["errcode"] == 0


def test_errors_come_with_http_200_and_json(simulator):
    response = requests.get(f"{simulator.url}/cgi-bin/menu/get", timeout=5)
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert_error(response.json(), 41001)

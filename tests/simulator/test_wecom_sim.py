"""The simulator's WeCom side, over real HTTP with `requests`, against platforms.md ("WeCom
application menus"): gettoken per application, menu calls with agentid, the limits and the codes."""

from __future__ import annotations

import json
import re

import pytest
import requests

from simulator import DEFAULT_AGENTID, DEFAULT_CORPID, DEFAULT_CORPSECRET
from simulator.wecom_rules import check_wecom_menu

# WeCom's errmsg suffix: ", hint: [...], from ip: <caller>, more info at <lookup page>?e=<code>".
SUFFIX = re.compile(
    r", hint: \[[^\]]+\], from ip: 127\.0\.0\.1, more info at https://open\.work\.weixin\.qq\.com/devtool/query\?e=(-?\d+)\Z"
)

EVERY_TYPE = {
    "button": [
        {"type": "click", "name": "今日歌曲", "key": "V1001_TODAY_MUSIC"},
        {
            "name": "扫码发图",
            "sub_button": [
                {"type": "scancode_push", "name": "扫码推事件", "key": "k1"},
                {"type": "scancode_waitmsg", "name": "扫码带提示", "key": "k2"},
                {"type": "pic_sysphoto", "name": "系统拍照发图", "key": "k3"},
                {"type": "pic_photo_or_album", "name": "拍照或者相册发图", "key": "k4"},
                {"type": "pic_weixin", "name": "企业微信相册发图", "key": "k5"},
            ],
        },
        {
            "name": "更多",
            "sub_button": [
                {"type": "location_select", "name": "发送位置", "key": "k6"},
                {"type": "view", "name": "搜索", "url": "http://www.soso.com/"},
                {
                    "type": "view_miniprogram",
                    "name": "小程序",
                    "appid": "wx4389ji4kAAA",
                    "pagepath": "pages/lunar/index",
                },
            ],
        },
    ]
}


def base(sim) -> str:
    return f"{sim.url}/wecom/cgi-bin"


def gettoken(sim, corpid=DEFAULT_CORPID, secret=DEFAULT_CORPSECRET) -> dict:
    return requests.get(
        f"{base(sim)}/gettoken", params={"corpid": corpid, "corpsecret": secret}, timeout=5
    ).json()


def token(sim, **kwargs) -> str:
    return gettoken(sim, **kwargs)["access_token"]


def call(sim, path, tok, agentid=DEFAULT_AGENTID, body=None, method=None) -> dict:
    url = f"{base(sim)}/{path}"
    params = {"access_token": tok, "agentid": agentid}
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
        return requests.post(url, params=params, data=data, timeout=5).json()
    return requests.request(method or "GET", url, params=params, timeout=5).json()


def code_of(reply: dict) -> int:
    """The errcode, checking that errmsg carries WeCom's suffix with the same code."""
    if reply["errcode"] != 0:
        match = SUFFIX.search(reply["errmsg"])
        assert match and int(match.group(1)) == reply["errcode"], reply["errmsg"]
    return reply["errcode"]


def wecom(sim):
    return sim.sides["wecom"]


# -- tokens ---------------------------------------------------------------------------------------------


def test_gettoken_gives_a_token_of_7200_seconds_and_the_same_one_while_it_is_valid(simulator):
    first = gettoken(simulator)
    assert (first["errcode"], first["errmsg"], first["expires_in"]) == (0, "ok", 7200)
    assert 0 < len(first["access_token"]) <= 512
    assert token(simulator) == first["access_token"]
    simulator.advance(7200)
    assert token(simulator) != first["access_token"]


@pytest.mark.parametrize(
    ("corpid", "secret", "code"),
    [
        ("", DEFAULT_CORPSECRET, 41002),
        ("ww_nobody", DEFAULT_CORPSECRET, 40013),
        (DEFAULT_CORPID, "", 41004),
        (DEFAULT_CORPID, "wrong", 40001),
    ],
)
def test_gettoken_refusals(simulator, corpid, secret, code):
    assert code_of(gettoken(simulator, corpid=corpid, secret=secret)) == code


def test_gettoken_is_limited(simulator):
    simulator.token_quota = 2
    assert [code_of(gettoken(simulator)) for _ in range(3)] == [0, 0, 45009]


def test_a_token_works_for_its_own_application_only(simulator):
    wecom(simulator).add_app(DEFAULT_CORPID, 1000005, "second-app-secret")
    first, second = token(simulator), token(simulator, secret="second-app-secret")
    assert first != second
    assert code_of(call(simulator, "menu/create", first, body=EVERY_TYPE)) == 0
    assert code_of(call(simulator, "menu/get", second, agentid=DEFAULT_AGENTID)) == 301002
    assert code_of(call(simulator, "menu/get", second, agentid=1000005)) == 46003
    assert wecom(simulator).menu_for(DEFAULT_CORPID, 1000005) is None


@pytest.mark.parametrize(("agentid", "code"), [("", 41011), ("abc", 40056), ("999", 40056)])
def test_a_missing_or_unknown_agentid_is_refused(simulator, agentid, code):
    assert code_of(call(simulator, "menu/get", token(simulator), agentid=agentid)) == code


def test_tokens_missing_unknown_expired(simulator):
    assert code_of(call(simulator, "menu/get", "")) == 41001
    assert code_of(call(simulator, "menu/get", "x" * 40)) == 40014
    tok = token(simulator)
    simulator.expire_tokens()
    assert code_of(call(simulator, "menu/get", tok)) == 42001
    tok = token(simulator)
    simulator.invalidate_tokens()
    assert code_of(call(simulator, "menu/get", tok)) == 40014


def test_untrusted_ip_is_refused_with_the_callers_address_in_the_message(simulator):
    wecom(simulator).set_trusted_ips(["10.0.0.1"])
    reply = call(simulator, "menu/get", token(simulator))
    assert code_of(reply) == 60020
    assert "from ip: 127.0.0.1" in reply["errmsg"]
    wecom(simulator).set_trusted_ips(["127.0.0.1"])
    assert code_of(call(simulator, "menu/get", token(simulator))) == 46003


# -- menus ----------------------------------------------------------------------------------------------


def test_create_get_delete(simulator):
    tok = token(simulator)
    assert code_of(call(simulator, "menu/get", tok)) == 46003
    assert call(simulator, "menu/create", tok, body=EVERY_TYPE) == {"errcode": 0, "errmsg": "ok"}
    assert wecom(simulator).menu_for() == EVERY_TYPE
    assert call(simulator, "menu/get", tok) == {"errcode": 0, "errmsg": "ok", **EVERY_TYPE}
    assert call(simulator, "menu/delete", tok) == {"errcode": 0, "errmsg": "ok"}
    assert wecom(simulator).menu_for() is None
    assert code_of(call(simulator, "menu/get", tok)) == 46003


def test_create_needs_post_and_a_body(simulator):
    tok = token(simulator)
    assert code_of(call(simulator, "menu/create", tok, method="GET")) == 43002
    assert code_of(call(simulator, "menu/create", tok, body=b"")) == 44002
    reply = call(simulator, "menu/create", tok, body=b'{"button": [')
    assert reply["errcode"] == 47001 and reply["errmsg"].startswith("Warning: wrong json format.")


def test_the_body_is_read_as_utf8_bytes_and_kept_as_sent(simulator):
    menu = {"button": [{"type": "click", "name": "今日🎵", "key": "K"}]}
    assert code_of(call(simulator, "menu/create", token(simulator), body=menu)) == 0
    (create,) = simulator.requests_to("/wecom/cgi-bin/menu/create")
    assert "今日🎵".encode() in create.body
    assert wecom(simulator).menu_for() == menu


def leaf(name="OK", **fields):
    return {"type": "click", "name": name, "key": "k", **fields}


def top(*buttons):
    return {"button": list(buttons)}


def sub(*buttons):
    return top({"name": "Menu", "sub_button": list(buttons)})


@pytest.mark.parametrize(
    ("menu", "code"),
    [
        (top(), 40016),
        (top(leaf(), leaf(), leaf(), leaf()), 40016),
        (sub(*[leaf() for _ in range(6)]), 40023),
        (top(leaf("A" * 17)), 40018),
        (top(leaf("菜" * 6)), 40018),
        (sub(leaf("A" * 41)), 40025),
        (sub(leaf("菜" * 14)), 40025),
        (top(leaf(key="k" * 129)), 40019),
        (sub(leaf(key="")), 40026),
        (top({"type": "view", "name": "V", "url": "https://a.b/" + "a" * 1013}), 40020),
        (sub({"type": "view", "name": "V", "url": "https://a.b/" + "a" * 1013}), 40027),
        (top({"type": "view", "name": "V", "url": "ftp://a.b/"}), 40055),
        (sub({"type": "view", "name": "V", "url": "ftp://a.b/"}), 40054),
        (top({"type": "media_id", "name": "M", "media_id": "m"}), 40017),
        (
            sub({"type": "miniprogram", "name": "M", "appid": "wx1", "pagepath": "p", "url": "https://a.b/"}),
            40024,
        ),
        (sub({"name": "Deeper", "sub_button": [leaf()]}), 40022),
        (top({"type": "view_miniprogram", "name": "M", "pagepath": "p"}), 40166),
        (top({"type": "view_miniprogram", "name": "M", "appid": "wx1"}), 40165),
    ],
)
def test_menus_wecom_refuses(simulator, menu, code):
    assert check_wecom_menu(menu).code == code
    assert code_of(call(simulator, "menu/create", token(simulator), body=menu)) == code
    assert wecom(simulator).menu_for() is None
    assert simulator.state()["refusals"][-1]["code"] == code


@pytest.mark.parametrize(
    "menu",
    [
        top(leaf("A" * 16), leaf("菜" * 5 + "A"), leaf(key="k" * 128)),
        sub(*[leaf("A" * 40) for _ in range(5)]),
        sub(leaf("😀" * 10), {"type": "view", "name": "V", "url": "https://a.b/" + "a" * 1012}),
        top(leaf(sub_button=[])),
    ],
)
def test_menus_at_the_limits_are_taken(simulator, menu):
    assert check_wecom_menu(menu) is None
    assert code_of(call(simulator, "menu/create", token(simulator), body=menu)) == 0


# -- faults and state -------------------------------------------------------------------------------------


def test_a_fault_for_the_wecom_platform_has_wecoms_envelope_and_leaves_wechat_alone(simulator):
    simulator.add_fault(platform="wecom", errcode=45033, times=1)
    wechat = requests.get(
        f"{simulator.url}/cgi-bin/menu/get", params={"access_token": "x" * 40}, timeout=5
    ).json()
    assert wechat["errcode"] == 40001  # the WeChat side answered itself: the fault is still waiting
    reply = gettoken(simulator)
    assert code_of(reply) == 45033
    assert code_of(gettoken(simulator)) == 0


def test_a_fault_on_a_wecom_path(simulator):
    tok = token(simulator)
    simulator.add_fault("/wecom/cgi-bin/menu/create", errcode=60011, errmsg="no privilege")
    assert call(simulator, "menu/create", tok, body=EVERY_TYPE) == {
        "errcode": 60011,
        "errmsg": "no privilege",
    }
    assert code_of(call(simulator, "menu/create", tok, body=EVERY_TYPE)) == 0


def test_the_state_shows_each_application(simulator):
    call(simulator, "menu/create", token(simulator), body=EVERY_TYPE)
    state = requests.get(f"{simulator.url}/_sim/state", timeout=5).json()
    assert state["wecom"][f"{DEFAULT_CORPID}/{DEFAULT_AGENTID}"]["menu"] == EVERY_TYPE


def test_wechat_paths_are_not_served_as_wecom(simulator):
    # WeCom lives under /wecom/cgi-bin/: the same path without the prefix is WeChat's.
    reply = requests.get(f"{simulator.url}/cgi-bin/gettoken", params={"corpid": DEFAULT_CORPID}, timeout=5)
    assert reply.status_code == 404

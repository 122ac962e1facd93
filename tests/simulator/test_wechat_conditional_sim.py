"""The simulator's WeChat tags and conditional menus (simulator/wechat_conditional.py), over HTTP."""

from __future__ import annotations

import pytest

from tests.simulator.test_wechat_sim import assert_error, create, get, leaf, parent, post, token


def view(name: str, host: str) -> dict:
    return {"type": "view", "name": name, "url": f"https://{host}/p"}


def test_tags_get_lists_the_system_tag_and_the_accounts_with_follower_counts(simulator):
    simulator.add_wechat_tag("100", "VIP会员")
    simulator.tag_follower("o-vip", "100")
    simulator.tag_follower("o-both", "100", "2")
    reply = get(simulator, "/cgi-bin/tags/get", token(simulator))
    assert reply == {
        "tags": [{"id": 2, "name": "星标组", "count": 1}, {"id": 100, "name": "VIP会员", "count": 2}]
    }


def test_tags_get_needs_a_token(simulator):
    assert_error(get(simulator, "/cgi-bin/tags/get", None), 41001)


def test_domains_are_counted_across_every_conditional_menu(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    first = {
        "button": [parent([view("a", "a.example.com"), view("b", "b.example.com")])],
        "matchrule": {"tag_id": "2"},
    }
    assert "menuid" in post(simulator, "/cgi-bin/menu/addconditional", first, access_token)
    second = {
        "button": [parent([view("c", "c.example.com"), view("d", "d.example.com")])],
        "matchrule": {"tag_id": "100"},
    }
    assert_error(post(simulator, "/cgi-bin/menu/addconditional", second, access_token), 65316)
    # Domains already used by another conditional menu do not count twice.
    third = {
        "button": [parent([view("c", "c.example.com"), view("a", "a.example.com")])],
        "matchrule": {"tag_id": "100"},
    }
    assert "menuid" in post(simulator, "/cgi-bin/menu/addconditional", third, access_token)


def test_trymatch_tries_the_newest_menu_first_and_falls_back_to_the_default(simulator):
    access_token = token(simulator)
    simulator.tag_follower("o-vip", "100", client_platform_type="1")
    simulator.tag_follower("o-android-vip", "100", client_platform_type="2")
    simulator.tag_follower("o-plain")
    create(simulator, {"button": [leaf("默认")]}, access_token)
    post(
        simulator,
        "/cgi-bin/menu/addconditional",
        {"button": [leaf("会员")], "matchrule": {"tag_id": "100"}},
        access_token,
    )
    ios = {"button": [leaf("苹果会员")], "matchrule": {"tag_id": "100", "client_platform_type": "1"}}
    post(simulator, "/cgi-bin/menu/addconditional", ios, access_token)

    def tried(user_id: str) -> str:
        return post(simulator, "/cgi-bin/menu/trymatch", {"user_id": user_id}, access_token)["button"][0][
            "name"
        ]

    assert tried("o-vip") == "苹果会员"
    assert tried("o-android-vip") == "会员"
    assert tried("o-plain") == "默认"


def test_a_legacy_rule_on_sex_is_listed_by_menu_get_but_matches_nobody(simulator):
    access_token = token(simulator)
    simulator.users = {"o-1": {"tags": [], "client_platform_type": None}}
    create(simulator, {"button": [leaf("默认")]}, access_token)
    menuid = simulator.add_legacy_conditional_menu({"button": [leaf("男士")]}, {"sex": "1"})
    [listed] = get(simulator, "/cgi-bin/menu/get", access_token)["conditionalmenu"]
    assert listed["matchrule"] == {"sex": "1"} and str(listed["menuid"]) == menuid
    assert isinstance(listed["menuid"], int)
    assert (
        post(simulator, "/cgi-bin/menu/trymatch", {"user_id": "o-1"}, access_token)["button"][0]["name"]
        == "默认"
    )


def test_menu_delete_removes_the_conditional_menus_too(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    post(
        simulator,
        "/cgi-bin/menu/addconditional",
        {"button": [leaf()], "matchrule": {"tag_id": "2"}},
        access_token,
    )
    assert get(simulator, "/cgi-bin/menu/delete", access_token)["errcode"] == 0
    assert simulator.wechat_conditional_menus == []
    assert_error(get(simulator, "/cgi-bin/menu/get", access_token), 46003)


@pytest.mark.parametrize(
    ("path", "method", "body"),
    [
        ("/cgi-bin/tags/get", "GET", None),
        ("/cgi-bin/menu/addconditional", "POST", {"button": [leaf()], "matchrule": {"tag_id": "2"}}),
        ("/cgi-bin/menu/delconditional", "POST", {"menuid": "1"}),
        ("/cgi-bin/menu/trymatch", "POST", {"user_id": "o-1"}),
    ],
)
def test_each_call_fails_on_request(simulator, path, method, body):
    access_token = token(simulator)
    simulator.add_fault(path, errcode=45009)
    reply = (
        get(simulator, path, access_token) if method == "GET" else post(simulator, path, body, access_token)
    )
    assert_error(reply, 45009)


def test_the_demo_control_api_adds_tags_and_followers(simulator):
    import requests

    def control(path: str, body: dict) -> None:
        assert requests.post(f"{simulator.url}/_sim/{path}", json=body, timeout=5).json() == {"ok": True}

    control("wechat_tag", {"id": "100", "name": "VIP会员"})
    control("wechat_follower", {"user_id": "o-1", "tags": ["100"], "client_platform_type": "1"})
    assert get(simulator, "/cgi-bin/tags/get", token(simulator))["tags"][1] == {
        "id": 100,
        "name": "VIP会员",
        "count": 1,
    }
    bad = requests.post(f"{simulator.url}/_sim/wechat_follower", json={"tags": []}, timeout=5)
    assert bad.status_code == 400


def test_menu_get_gives_the_rule_back_as_strings_with_group_id(simulator):
    access_token = token(simulator)
    create(simulator, {"button": [leaf()]}, access_token)
    body = {"button": [leaf()], "matchrule": {"tag_id": 100, "client_platform_type": 2}}
    post(simulator, "/cgi-bin/menu/addconditional", body, access_token)
    [listed] = get(simulator, "/cgi-bin/menu/get", access_token)["conditionalmenu"]
    assert listed["matchrule"] == {"group_id": "100", "client_platform_type": "2"}

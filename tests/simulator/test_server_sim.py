"""The simulator's faults, request log, control API, reset and command line, over real HTTP."""

from __future__ import annotations

import json
import signal
import subprocess
import sys

import pytest
import requests

from simulator import DEFAULT_APPID, DEFAULT_SECRET, DEFAULT_WEIBO_TOKEN

TOKEN_BODY = {"grant_type": "client_credential", "appid": DEFAULT_APPID, "secret": DEFAULT_SECRET}


def stable_token(sim, timeout=5) -> requests.Response:
    return requests.post(f"{sim.url}/cgi-bin/stable_token", json=TOKEN_BODY, timeout=timeout)


def menu_get(sim, token="x" * 136, timeout=5) -> requests.Response:
    return requests.get(f"{sim.url}/cgi-bin/menu/get", params={"access_token": token}, timeout=timeout)


def weibo_show(sim) -> requests.Response:
    params = {"access_token": DEFAULT_WEIBO_TOKEN}
    return requests.get(f"{sim.url}/2/messages/menu/show.json", params=params, timeout=5)


def test_errcode_fault_on_a_path_for_a_number_of_times(simulator):
    simulator.add_fault("/cgi-bin/stable_token", errcode=-1, times=2)
    for _ in range(2):
        reply = stable_token(simulator)
        assert reply.status_code == 200
        assert reply.json()["errcode"] == -1
        assert reply.json()["errmsg"].startswith("system error rid: ")
    assert "access_token" in stable_token(simulator).json()
    assert simulator.token_fetches == 1


def test_fault_with_its_own_message_and_only_on_its_path(simulator):
    simulator.add_fault("/cgi-bin/menu/create", errcode=48001, errmsg="api unauthorized hint: [x]")
    token = stable_token(simulator).json()["access_token"]
    assert menu_get(simulator, token).json()["errcode"] == 46003  # another path: untouched
    reply = requests.post(
        f"{simulator.url}/cgi-bin/menu/create", params={"access_token": token}, data=b"{}", timeout=5
    ).json()
    assert reply == {"errcode": 48001, "errmsg": "api unauthorized hint: [x]"}


def test_ip_fault_names_the_callers_ip(simulator):
    simulator.add_fault(errcode=40164, platform="wechat")
    assert weibo_show(simulator).status_code == 200  # a Weibo path is not matched
    message = stable_token(simulator).json()["errmsg"]
    assert message.startswith("invalid ip 127.0.0.1 ipv6 ::ffff:127.0.0.1, not in whitelist rid: ")


def test_weibo_fault_has_the_weibo_envelope(simulator):
    simulator.add_fault(platform="weibo", errcode=26406)
    response = weibo_show(simulator)
    assert response.status_code == 400
    assert response.json() == {
        "request": "/2/messages/menu/show.json",
        "error_code": 26406,
        "error": "developer mode is off",
    }
    assert weibo_show(simulator).json() == {"menu": {"button": []}}


def test_http_status_fault_answers_html(simulator):
    simulator.add_fault(http_status=502)
    response = stable_token(simulator)
    assert response.status_code == 502
    assert response.headers["Content-Type"] == "text/html"
    assert b"502 Bad Gateway" in response.content
    with pytest.raises(ValueError):
        response.json()
    assert stable_token(simulator).status_code == 200


def test_not_json_fault(simulator):
    simulator.add_fault("/cgi-bin/menu/get", not_json=True)
    response = menu_get(simulator)
    assert response.status_code == 200
    with pytest.raises(ValueError):
        json.loads(response.content)


def test_delay_fault_outlasts_a_client_timeout_then_answers_normally(simulator):
    simulator.add_fault("/cgi-bin/stable_token", delay=3)
    with pytest.raises(requests.Timeout):
        stable_token(simulator, timeout=0.3)
    assert "access_token" in stable_token(simulator).json()


def test_delay_then_error(simulator):
    simulator.add_fault("/cgi-bin/menu/get", delay=0.05, errcode=45011)
    assert menu_get(simulator).json()["errcode"] == 45011


def test_fault_for_every_request_until_reset(simulator):
    simulator.add_fault(errcode=-1, times=None)
    for _ in range(3):
        assert stable_token(simulator).json()["errcode"] == -1
    simulator.reset()
    assert "access_token" in stable_token(simulator).json()


def test_faults_are_taken_in_order(simulator):
    simulator.add_fault("/cgi-bin/stable_token", errcode=-1)
    simulator.add_fault("/cgi-bin/stable_token", http_status=503)
    assert stable_token(simulator).json()["errcode"] == -1
    assert stable_token(simulator).status_code == 503
    assert stable_token(simulator).status_code == 200


@pytest.mark.parametrize("kwargs", [{}, {"errcode": 1, "platform": "alipay"}, {"errmsg": "only a message"}])
def test_fault_needs_something_to_do(simulator, kwargs):
    with pytest.raises(ValueError):
        simulator.add_fault(**kwargs)


def test_request_log(simulator):
    menu_get(simulator, "tok" * 20)
    requests.post(
        f"{simulator.url}/2/messages/menu/create.json?access_token=t", data={"menus": "{}"}, timeout=5
    )
    requests.get(f"{simulator.url}/_sim/state", timeout=5)  # control calls are not logged
    first, second = simulator.requests
    assert (first.method, first.path, first.query, first.body) == (
        "GET",
        "/cgi-bin/menu/get",
        {"access_token": "tok" * 20},
        b"",
    )
    assert first.client_ip == "127.0.0.1"
    assert second.body == b"menus=%7B%7D"
    assert second.form() == {"menus": "{}"}
    assert simulator.requests_to("/cgi-bin/menu/get") == [first]


def test_chunked_request_body(simulator):
    def chunks():
        yield json.dumps(TOKEN_BODY)[:10].encode()
        yield json.dumps(TOKEN_BODY)[10:].encode()

    response = requests.post(f"{simulator.url}/cgi-bin/stable_token", data=chunks(), timeout=5)
    assert "access_token" in response.json()
    assert simulator.requests[-1].body == json.dumps(TOKEN_BODY).encode()


def test_unknown_paths(simulator):
    assert requests.get(f"{simulator.url}/nothing", timeout=5).status_code == 404
    assert requests.get(f"{simulator.url}/cgi-bin/nothing", timeout=5).status_code == 404


def test_reset_forgets_everything_but_the_default_credentials(simulator):
    simulator.add_wechat_app("wxaaaaaaaaaaaaaaaa", "s")
    simulator.create_quota = 0
    simulator.token_lifetime = 60
    simulator.set_ip_whitelist(["1.2.3.4"])
    simulator.add_fault(errcode=-1, times=None)
    simulator.wechat_menu = {"button": [{"type": "click", "name": "a", "key": "k"}]}
    simulator.weibo_menu = {"button": [{"type": "click", "name": "a", "key": "k"}]}
    simulator.advance(1000)
    stable_token(simulator)
    simulator.reset()
    assert simulator.requests == []
    assert simulator.wechat_menu is None
    assert simulator.weibo_menu is None
    assert (simulator.create_quota, simulator.token_lifetime, simulator.ip_whitelist) == (1000, 7200, None)
    assert simulator.clock_offset == 0
    reply = stable_token(simulator).json()
    assert reply["expires_in"] == 7200
    assert simulator.token_fetches == 1
    other = {"grant_type": "client_credential", "appid": "wxaaaaaaaaaaaaaaaa", "secret": "s"}
    r = requests.post(f"{simulator.url}/cgi-bin/stable_token", json=other, timeout=5)
    assert r.json()["errcode"] == 40013


def test_control_api(simulator):
    base = f"{simulator.url}/_sim"
    fault = {"path": "/cgi-bin/stable_token", "errcode": 40243, "times": 1}
    assert requests.post(f"{base}/fault", json=fault, timeout=5).json() == {"ok": True}
    assert stable_token(simulator).json()["errcode"] == 40243
    assert requests.post(f"{base}/fault", json={"bogus": 1}, timeout=5).status_code == 400
    assert requests.post(f"{base}/fault", data=b"not json", timeout=5).status_code == 400

    console = {"button": [{"type": "text", "name": "营业时间", "value": "9-18"}]}
    assert requests.post(f"{base}/console_menu", json=console, timeout=5).json() == {"ok": True}
    token = stable_token(simulator).json()["access_token"]
    info = requests.get(
        f"{simulator.url}/cgi-bin/get_current_selfmenu_info", params={"access_token": token}, timeout=5
    ).json()
    assert info["selfmenu_info"] == console

    requests.post(f"{base}/expire_tokens", timeout=5)
    assert menu_get(simulator, token).json()["errcode"] == 42001
    requests.post(f"{base}/ip_whitelist", json=["10.0.0.1"], timeout=5)
    assert stable_token(simulator).json()["errcode"] == 40164

    state = requests.get(f"{base}/state", timeout=5).json()
    assert state["wechat"][DEFAULT_APPID]["console_menu"] == console
    assert state["weibo"][DEFAULT_WEIBO_TOKEN] == {"menu": None}
    assert state["token_fetches"] == 1
    assert [r["path"] for r in state["requests"]][-1] == "/cgi-bin/stable_token"

    assert requests.post(f"{base}/reset", timeout=5).json() == {"ok": True}
    assert simulator.requests == []
    assert requests.get(f"{base}/reset", timeout=5).status_code == 405
    assert requests.post(f"{base}/nothing", timeout=5).status_code == 404


def test_command_line_serves_until_interrupted():
    process = subprocess.Popen(
        [sys.executable, "-m", "simulator", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        assert first_line.startswith("Platform simulator listening on http://127.0.0.1:")
        url = first_line.split()[-1]
        reply = requests.post(f"{url}/cgi-bin/stable_token", json=TOKEN_BODY, timeout=5).json()
        assert "access_token" in reply
    finally:
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=10) == 0
        process.stdout.close()


def test_a_simulator_bug_answers_500_and_is_recorded(simulator):
    simulator.users = {"u": object()}  # not tags: trymatch cannot read it
    token = stable_token(simulator).json()["access_token"]
    simulator.wechat_menu = {"button": [{"type": "click", "name": "a", "key": "k"}]}
    response = requests.post(
        f"{simulator.url}/cgi-bin/menu/trymatch",
        params={"access_token": token},
        json={"user_id": "u"},
        timeout=5,
    )
    assert response.status_code == 500
    assert len(simulator.internal_errors) == 1
    simulator.internal_errors.clear()  # expected here; the fixture fails any other test that has one

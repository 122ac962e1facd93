"""The shared HTTP call knows no platform: whether an HTTP error's body is a reply is the client's call."""

from __future__ import annotations

import pytest

from menueditor.platforms.transport import PlatformError, new_session, send
from menueditor.platforms.wechat.hints import is_reply as wechat_reply
from menueditor.platforms.weibo.hints import is_reply as weibo_reply

PATH = "/cgi-bin/menu/get"
ERROR_BODY = '{"errcode": 40001, "errmsg": "invalid credential"}'


def call(simulator, **kwargs):
    session = new_session()
    try:
        return send(session, "GET", simulator.url + PATH, **kwargs)
    finally:
        session.close()


def test_an_error_status_with_a_reply_body_is_passed_through_when_the_client_says_it_is_a_reply(simulator):
    simulator.add_fault(PATH, http_status=403, body=ERROR_BODY)
    assert call(simulator, is_reply=lambda data: "errcode" in data) == {
        "errcode": 40001,
        "errmsg": "invalid credential",
    }


@pytest.mark.parametrize("is_reply", [None, lambda data: False, weibo_reply])
def test_the_same_answer_is_an_http_failure_when_the_client_does_not_claim_it(simulator, is_reply):
    simulator.add_fault(PATH, http_status=403, body=ERROR_BODY)
    with pytest.raises(PlatformError) as failure:
        call(simulator, is_reply=is_reply)
    assert failure.value.code == "http_403"


def test_each_platform_claims_its_own_error_envelope_only():
    assert wechat_reply({"errcode": 40001, "errmsg": "x"})
    assert not wechat_reply({"error_code": 21327, "error": "expired_token"})
    assert weibo_reply({"request": "/2/x", "error_code": 21327, "error": "expired_token"})
    assert not weibo_reply({"errcode": 40001})


def test_a_success_status_is_the_reply_whatever_the_client_says(simulator):
    simulator.add_fault(PATH, body=ERROR_BODY)
    assert call(simulator)["errcode"] == 40001
    simulator.add_fault(PATH, http_status=200, body="<html>login</html>")
    with pytest.raises(PlatformError) as failure:
        call(simulator, is_reply=lambda data: True)
    assert failure.value.code == "not_json"

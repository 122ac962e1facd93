"""WeChat over real HTTP against the simulator: the bytes sent, tokens, retries and every failure's hint."""

from __future__ import annotations

import io
import json
import logging
import socket

import pytest
from django.core.management import call_command
from django.db import connection

from accounts.models import CachedToken
from menueditor.models import Publication
from menueditor.platforms.wechat import WECHAT_HINTS, wechat_hint
from menueditor.publishing import check_connection, publish_menu

from .conftest import paths, snapshot

pytestmark = pytest.mark.django_db

CREATE = "/cgi-bin/menu/create"
STABLE = "/cgi-bin/stable_token"

MIXED_MENU = {
    "button": [
        {"type": "click", "name": "今日🎵", "key": "V1001_TODAY"},
        {
            "name": "菜单",
            "sub_button": [
                {"type": "view", "name": '搜索 "quoted" & <b>', "url": "http://www.soso.com/?q=a&b=c"},
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


def export(menu) -> str:
    out = io.StringIO()
    call_command("menu_export", str(menu.pk), stdout=out)
    return out.getvalue()


def test_the_bytes_sent_equal_menu_export(simulator, wechat_account, factories, publisher):
    menu = factories.menu(wechat_account, tree=MIXED_MENU)

    outcome = publish_menu(menu, publisher)

    assert outcome.ok, outcome
    (create,) = simulator.requests_to(CREATE)
    assert create.body == export(menu).encode("utf-8")
    assert "今日🎵".encode() in create.body
    assert b"\\u" not in create.body
    assert create.header("Content-Type") == "application/json; charset=utf-8"
    assert simulator.wechat_menu == MIXED_MENU


def test_a_token_is_fetched_once_and_kept_encrypted(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert simulator.token_fetches == 1
    cached = CachedToken.objects.get(account=wechat_menu.account)
    create = simulator.requests_to(CREATE)[0]
    assert cached.token == create.query["access_token"]
    assert cached.fetch_count == 1
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM accounts_cachedtoken WHERE id = %s", [cached.pk])
        (stored,) = cursor.fetchone()
    assert cached.token not in stored  # ciphertext at rest


def test_with_a_cached_token_a_publish_is_one_http_call(simulator, wechat_account, factories, publisher):
    first = factories.menu(wechat_account)
    assert publish_menu(first, publisher).ok
    before = len(simulator.requests)
    second = factories.menu(wechat_account, tree=MIXED_MENU)

    # The user confirmed what will change (the editor's preview): just the one write.
    assert publish_menu(second, publisher, confirm_drift=True).ok
    assert paths(simulator)[before:] == [CREATE]

    # Unconfirmed, the live menu is read first to catch changes made elsewhere; still no token call.
    third = factories.menu(wechat_account)
    before = len(simulator.requests)
    assert publish_menu(third, publisher).ok
    assert paths(simulator)[before:] == ["/cgi-bin/menu/get", CREATE]
    assert simulator.token_fetches == 1


@pytest.mark.parametrize("code", [40001, 40014, 42001])
def test_a_refused_token_is_refreshed_once_and_the_call_retried_once(
    simulator, wechat_account, factories, publisher, code
):
    assert publish_menu(factories.menu(wechat_account), publisher).ok
    simulator.add_fault(CREATE, errcode=code)
    before, fetches = len(simulator.requests), simulator.token_fetches

    outcome = publish_menu(factories.menu(wechat_account, tree=MIXED_MENU), publisher, confirm_drift=True)

    assert outcome.ok, outcome
    assert paths(simulator)[before:] == [CREATE, STABLE, CREATE]
    assert simulator.token_fetches == fetches + 1
    assert simulator.wechat_menu == MIXED_MENU
    retried = simulator.requests_to(CREATE)[-1]
    assert retried.query["access_token"] == CachedToken.objects.get().token


def test_invalidated_tokens_lead_to_one_refresh(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    simulator.invalidate_tokens()
    before = len(simulator.requests)

    assert publish_menu(wechat_menu, publisher).ok

    assert paths(simulator)[before:] == ["/cgi-bin/menu/get", STABLE, "/cgi-bin/menu/get", CREATE]
    assert simulator.token_fetches == 2


def test_expired_tokens_are_renewed(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    simulator.expire_tokens()
    assert publish_menu(wechat_menu, publisher, confirm_drift=True).ok
    assert simulator.token_fetches == 2


def test_a_second_refusal_gives_up_with_the_hint(simulator, wechat_menu, publisher):
    simulator.add_fault(CREATE, errcode=40001, times=2)
    before = snapshot(wechat_menu)

    outcome = publish_menu(wechat_menu, publisher, confirm_drift=True)

    assert not outcome.ok
    assert outcome.code == "40001"
    assert "another system" in outcome.hint.lower()
    assert paths(simulator) == [STABLE, CREATE, STABLE, CREATE]
    assert len(simulator.requests_to(CREATE)) == 2
    publication = Publication.objects.get()
    assert (publication.outcome, publication.code, publication.hint) == ("failure", "40001", outcome.hint)
    assert snapshot(wechat_menu) == before


def test_a_token_fetched_before_the_account_was_edited_is_not_trusted(simulator, wechat_menu, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    account = wechat_menu.account
    account.name = "Renamed"
    account.save()
    wechat_menu.refresh_from_db()
    assert publish_menu(wechat_menu, publisher, confirm_drift=True).ok
    assert len(simulator.requests_to(STABLE)) == 2


def test_classic_token_mode_uses_cgi_bin_token_and_never_logs_the_secret(
    simulator, factories, publisher, caplog
):
    account = factories.account(api_base=simulator.url, token_mode="classic", members=(publisher,))
    caplog.set_level(logging.DEBUG)

    assert publish_menu(factories.menu(account), publisher).ok

    assert paths(simulator)[0] == "/cgi-bin/token"
    assert STABLE not in paths(simulator)
    token = CachedToken.objects.get(account=account).token
    logged = caplog.text
    assert "demo-app-secret" not in logged
    assert token not in logged
    assert "access_token=***" in logged
    assert "secret=***" in logged


def test_authorizer_mode_uses_the_stored_token_and_never_fetches(simulator, factories, publisher):
    simulator.add_authorizer_token("authorizer-token-0123456789-abcdefghijklmnop")
    account = factories.account(
        api_base=simulator.url,
        token_mode="authorizer",
        app_secret="",
        access_token="authorizer-token-0123456789-abcdefghijklmnop",
        members=(publisher,),
    )
    assert publish_menu(factories.menu(account), publisher).ok
    assert simulator.token_fetches == 0
    assert not CachedToken.objects.filter(account=account, token__gt="").exists()

    simulator.add_fault(CREATE, errcode=40001)
    outcome = publish_menu(factories.menu(account, tree=MIXED_MENU), publisher, confirm_drift=True)
    assert outcome.code == "40001"
    assert "third-party" in outcome.hint
    assert simulator.token_fetches == 0


def test_tokens_never_reach_the_record_or_the_log(simulator, wechat_menu, publisher, caplog):
    caplog.set_level(logging.DEBUG)
    simulator.add_fault(CREATE, http_status=502)
    publish_menu(wechat_menu, publisher)
    token = CachedToken.objects.get().token
    for publication in Publication.objects.all():
        for text in (publication.payload, publication.message, publication.hint):
            assert token not in text
    assert token not in caplog.text


# -- every failure: its hint, a failed record, the draft as it was -----------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


FAILURES = {
    "timeout": (lambda sim, acc, settings: _timeout(sim, settings), "timeout", "did not answer"),
    "refused": (lambda sim, acc, settings: _refuse(acc), "connection", "Could not reach"),
    "http-502": (lambda sim, acc, settings: sim.add_fault(CREATE, http_status=502), "http_502", "502"),
    "not-json": (
        lambda sim, acc, settings: sim.add_fault(CREATE, not_json=True),
        "not_json",
        "not a platform",
    ),
    "busy": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=-1), "-1", "busy"),
    "ip-whitelist": (lambda sim, acc, settings: sim.set_ip_whitelist(["10.1.2.3"]), "40164", "127.0.0.1"),
    "quota": (lambda sim, acc, settings: setattr(sim, "create_quota", 0), "45009", "tomorrow"),
    "per-minute": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=45011), "45011", "minute"),
    "wrong-appid": (lambda sim, acc, settings: _set(acc, app_id="wx9999999999999999"), "40013", "AppID"),
    "wrong-secret": (lambda sim, acc, settings: _set(acc, app_secret="nope"), "40125", "AppSecret"),
    "frozen-secret": (lambda sim, acc, settings: sim.add_fault(STABLE, errcode=40243), "40243", "unfreeze"),
    "no-menu-api": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=48001), "48001", "unverified"),
    "restricted": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=50002), "50002", "restrict"),
    "miniprogram": (lambda sim, acc, settings: sim.linked_miniprograms.clear(), "45064", "link it"),
    # platforms.md: 85005 appid not bound; the AppID must be lower case (40166) and the page valid (40165).
    "miniprogram-not-bound": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=85005),
        "85005",
        "not bound",
    ),
    "miniprogram-appid": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=40166),
        "40166",
        "all lower case",
    ),
    "miniprogram-page": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=40165),
        "40165",
        "page path",
    ),
    "type-not-allowed": (
        lambda sim, acc, settings: sim.disallowed_types.add("miniprogram"),
        "40120",
        "verify the account",
    ),
    "unknown-code": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=98765, errmsg="something odd"),
        "98765",
        "something odd",
    ),
}


def _timeout(sim, settings):
    settings.PLATFORM_TIMEOUT = 0.3
    sim.add_fault(CREATE, delay=3)


def _refuse(account):
    _set(account, api_base=f"http://127.0.0.1:{_closed_port()}")


def _set(account, **fields):
    for key, value in fields.items():
        setattr(account, key, value)
    account.save()


@pytest.mark.parametrize("name", FAILURES)
def test_every_failure_gives_its_hint_and_leaves_the_draft(
    simulator, wechat_account, factories, publisher, settings, name
):
    arrange, code, fragment = FAILURES[name]
    menu = factories.menu(wechat_account, tree=MIXED_MENU)
    arrange(simulator, wechat_account, settings)
    menu.refresh_from_db()
    before = snapshot(menu)

    outcome = publish_menu(menu, publisher)

    assert not outcome.ok
    assert outcome.code == code
    assert fragment in outcome.hint
    assert outcome.when_visible == ""
    publication = Publication.objects.get()
    # Without an answer nobody knows whether the menu changed: unknown until the live menu is read.
    expected = Publication.Outcome.UNKNOWN if code == "timeout" else Publication.Outcome.FAILURE
    assert publication.outcome == expected
    assert (publication.code, publication.hint, publication.message) == (code, outcome.hint, outcome.message)
    assert json.loads(publication.payload) == MIXED_MENU
    assert publication.user == publisher
    assert snapshot(menu) == before
    assert simulator.wechat_menu is None


def test_the_quota_hint_says_when_it_resets(simulator, wechat_menu, publisher):
    simulator.create_quota = 0
    outcome = publish_menu(wechat_menu, publisher)
    assert outcome.message.startswith("api freq out of limit") or outcome.message
    assert "resets tomorrow" in outcome.hint


def test_the_ip_hint_names_the_ip_from_the_message():
    message = "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist rid: 64a1-2b3c"
    assert "203.0.113.7" in wechat_hint("40164", message)


def test_every_code_of_the_table_has_a_hint():
    codes = [
        "-1", "40013", "40125", "40164", "40243", "40016", "40023", "40017", "40024", "40018", "40025",
        "40019", "40026", "40020", "40027", "40022", "40033", "47002", "40054", "40055", "40119",
        "40120", "45009", "45011", "45064", "46003", "48001", "50002", "61004", "61007",
    ]  # fmt: skip
    for code in codes:
        assert code in WECHAT_HINTS
    for code in ("40001", "40014", "42001"):
        assert "another system" in wechat_hint(code, "").lower()
    for code in range(65301, 65321):
        hint = wechat_hint(str(code), "some rule text")
        assert hint and "98765" not in hint


def test_an_unknown_code_shows_code_and_message_as_they_came():
    hint = wechat_hint("12345", "weird thing rid: 1-2-3")
    assert "12345" in hint
    assert "weird thing rid: 1-2-3" in hint


def test_hints_follow_the_language():
    from django.utils import translation

    with translation.override("zh-hans"):
        assert wechat_hint("45009", "") == str(WECHAT_HINTS["45009"])


def test_check_connection_gets_a_token_and_reads_the_menu(simulator, wechat_account):
    outcome = check_connection(wechat_account)
    assert outcome.ok, outcome
    assert paths(simulator) == [STABLE, "/cgi-bin/menu/get", "/cgi-bin/get_current_selfmenu_info"]
    assert "empty" in outcome.message


def test_check_connection_reports_the_hint(simulator, wechat_account):
    wechat_account.app_secret = "wrong"
    wechat_account.save()
    outcome = check_connection(wechat_account)
    assert (outcome.ok, outcome.code) == (False, "40125")
    assert "AppSecret" in outcome.hint
    assert not Publication.objects.exists()

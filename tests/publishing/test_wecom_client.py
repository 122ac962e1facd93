"""WeCom over real HTTP against the simulator: the bytes sent, a token per application, retries,
pull, drift, delete, the command line, and every code of platforms.md's table with its advice."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from accounts.models import CachedToken
from menueditor.models import Menu, Publication
from menueditor.platforms.wecom import WECOM_HINTS, wecom_hint
from menueditor.publishing import check_connection, delete_live_menu, publish_menu, pull_menu
from simulator import DEFAULT_AGENTID, DEFAULT_CORPID, DEFAULT_CORPSECRET

from .conftest import paths, snapshot

pytestmark = pytest.mark.django_db

GETTOKEN = "/wecom/cgi-bin/gettoken"
CREATE = "/wecom/cgi-bin/menu/create"
GET = "/wecom/cgi-bin/menu/get"
DELETE = "/wecom/cgi-bin/menu/delete"

MENU = {
    "button": [
        {"type": "click", "name": "今日🎵", "key": "V1001_TODAY"},
        {
            "name": "工作台",
            "sub_button": [
                {"type": "view", "name": '搜索 "quoted" & <b>', "url": "http://www.soso.com/?q=a&b=c"},
                {"type": "scancode_waitmsg", "name": "扫码", "key": "SCAN"},
                {
                    "type": "view_miniprogram",
                    "name": "小程序",
                    "appid": "wx286b93c14bbf93aa",
                    "pagepath": "pages/lunar/index",
                },
            ],
        },
        {"type": "location_select", "name": "位置", "key": "WHERE"},
    ]
}
ELSEWHERE = {"button": [{"type": "view", "name": "官网", "url": "https://example.com/"}]}


@pytest.fixture
def wecom(simulator):
    return simulator.sides["wecom"]


@pytest.fixture
def wecom_account(simulator, factories, publisher):
    return factories.account(
        platform="wecom",
        api_base=f"{simulator.url}/wecom",
        app_id=DEFAULT_CORPID,
        agent_id=DEFAULT_AGENTID,
        app_secret=DEFAULT_CORPSECRET,
        members=(publisher,),
    )


@pytest.fixture
def wecom_menu(wecom_account, factories, publisher) -> Menu:
    return factories.menu(wecom_account, title="Workbench", tree=MENU, user=publisher)


def export(menu) -> str:
    out = io.StringIO()
    call_command("menu_export", str(menu.pk), stdout=out)
    return out.getvalue()


# -- publishing -------------------------------------------------------------------------------------------


def test_a_publish_sends_the_exported_bytes_with_the_agent_id(simulator, wecom, wecom_menu, publisher):
    outcome = publish_menu(wecom_menu, publisher)

    assert outcome.ok, outcome
    (create,) = simulator.requests_to(CREATE)
    assert create.query["agentid"] == str(DEFAULT_AGENTID)
    assert create.body == export(wecom_menu).encode("utf-8")
    assert "今日🎵".encode() in create.body and b"\\u" not in create.body
    assert create.header("Content-Type") == "application/json; charset=utf-8"
    assert wecom.menu_for() == MENU
    publication = Publication.objects.get(action=Publication.Action.PUBLISH)
    assert (publication.outcome, publication.code, json.loads(publication.payload)) == ("success", "0", MENU)
    assert "WeCom documents no delay" in outcome.hint
    assert outcome.when_visible == "when members next open the application (WeCom documents no delay)"


def test_the_token_comes_from_gettoken_once_and_is_kept_encrypted(simulator, wecom_menu, publisher):
    assert publish_menu(wecom_menu, publisher).ok
    assert publish_menu(wecom_menu, publisher).ok

    (fetch,) = simulator.requests_to(GETTOKEN)
    assert fetch.query == {"corpid": DEFAULT_CORPID, "corpsecret": DEFAULT_CORPSECRET}
    cached = CachedToken.objects.get(account=wecom_menu.account)
    assert {r.query["access_token"] for r in simulator.requests_to(CREATE)} == {cached.token}
    with connection.cursor() as cursor:
        cursor.execute("SELECT token FROM accounts_cachedtoken WHERE id = %s", [cached.pk])
        (stored,) = cursor.fetchone()
    assert cached.token not in stored  # ciphertext at rest


def test_two_applications_of_one_company_keep_a_token_each(simulator, wecom, factories, publisher):
    wecom.add_app(DEFAULT_CORPID, 1000005, "second-app-secret")
    first = factories.account(
        platform="wecom",
        api_base=f"{simulator.url}/wecom",
        app_id=DEFAULT_CORPID,
        agent_id=DEFAULT_AGENTID,
        app_secret=DEFAULT_CORPSECRET,
        members=(publisher,),
    )
    second = factories.account(
        platform="wecom",
        api_base=f"{simulator.url}/wecom",
        app_id=DEFAULT_CORPID,
        agent_id=1000005,
        app_secret="second-app-secret",
        members=(publisher,),
    )
    assert publish_menu(factories.menu(first, tree=MENU), publisher).ok
    assert publish_menu(factories.menu(second, tree=ELSEWHERE), publisher).ok

    assert (wecom.menu_for(DEFAULT_CORPID, DEFAULT_AGENTID), wecom.menu_for(DEFAULT_CORPID, 1000005)) == (
        MENU,
        ELSEWHERE,
    )
    tokens = CachedToken.objects.filter(account__in=[first, second]).values_list("token", flat=True)
    assert len(set(tokens)) == 2


@pytest.mark.parametrize("refusal", ["expire_tokens", "invalidate_tokens"])
def test_a_refused_token_is_refreshed_once_and_the_call_retried(simulator, wecom_menu, publisher, refusal):
    assert publish_menu(wecom_menu, publisher).ok
    getattr(simulator, refusal)()  # 42001 or 40014 from now on for the cached token

    outcome = publish_menu(wecom_menu, publisher, confirm_drift=True)

    assert outcome.ok, outcome
    assert len(simulator.requests_to(GETTOKEN)) == 2
    assert [r["code"] for r in simulator.refusals] == []


def test_a_second_refusal_is_reported_not_retried_again(simulator, wecom_menu, publisher):
    simulator.add_fault(CREATE, errcode=40014, times=2)
    before = snapshot(wecom_menu)

    outcome = publish_menu(wecom_menu, publisher)

    assert (outcome.ok, outcome.code) == (False, "40014")
    assert "even after this app fetched a new one" in outcome.hint
    assert len(simulator.requests_to(CREATE)) == 2
    assert snapshot(wecom_menu) == before


def test_a_wrong_secret_is_said_without_retrying(simulator, wecom_account, factories, publisher):
    wecom_account.app_secret = "not-the-secret"
    wecom_account.save()
    outcome = publish_menu(factories.menu(wecom_account, tree=MENU), publisher)

    assert (outcome.ok, outcome.code) == (False, "40001")
    assert "secret is wrong" in outcome.hint
    assert paths(simulator) == [GETTOKEN]


def test_another_applications_agent_id_is_explained(simulator, wecom, wecom_account, factories, publisher):
    wecom.add_app(DEFAULT_CORPID, 1000005, "second-app-secret")
    wecom_account.agent_id = 1000005  # but still the first application's secret
    wecom_account.save()
    outcome = publish_menu(factories.menu(wecom_account, tree=MENU), publisher)

    assert (outcome.ok, outcome.code) == (False, "301002")
    assert "belong to different applications" in outcome.hint
    assert len(simulator.requests_to(GETTOKEN)) == 1  # no refresh: a new token would not help


def test_an_untrusted_server_ip_is_named_in_the_advice(simulator, wecom, wecom_menu, publisher):
    wecom.set_trusted_ips(["10.9.8.7"])
    outcome = publish_menu(wecom_menu, publisher)

    assert (outcome.ok, outcome.code) == (False, "60020")
    assert "IP address 127.0.0.1" in outcome.hint and "企业可信IP" in outcome.hint
    assert "from ip: 127.0.0.1" in outcome.message


def test_without_an_agent_id_nothing_is_sent(simulator, wecom_account, factories, publisher):
    wecom_account.agent_id = None
    wecom_account.save()
    outcome = publish_menu(factories.menu(wecom_account, tree=MENU), publisher)

    assert (outcome.ok, outcome.code) == (False, "not_configured")
    assert "agent ID" in outcome.hint
    assert not [p for p in paths(simulator) if p in (GETTOKEN, CREATE)]


# Every code of platforms.md's WeCom table, and a word of the advice people must see.
TABLE = {
    40001: "secret is wrong",
    40013: "corp ID is wrong",
    40056: "AgentId is wrong",
    301002: "different applications",
    60020: "企业可信IP",
    60011: "visible range",
    48002: "may not use this API",
    40016: "1 to 3 top-level buttons",
    40023: "1 to 5 of them",
    40018: "at most 16 bytes (5 Chinese characters)",
    40025: "at most 40 bytes (13 Chinese characters)",
    40019: "1 to 128 bytes",
    40026: "1 to 128 bytes",
    40020: "1 to 1024 bytes",
    40027: "1 to 1024 bytes",
    40022: "more than two levels",
    40024: "button type",
    40054: "domain",
    40055: "domain",
    45009: "wait a moment",
    45033: "wait a moment",
}


def test_the_table_is_the_hints_table():
    assert set(map(str, TABLE)) | {"46003"} == set(WECOM_HINTS)


@pytest.mark.parametrize(("code", "words"), sorted(TABLE.items()))
def test_every_code_of_the_table_comes_with_its_advice(simulator, wecom_menu, publisher, code, words):
    simulator.add_fault(CREATE, errcode=code)
    outcome = publish_menu(wecom_menu, publisher)

    assert (outcome.ok, outcome.code) == (False, str(code))
    assert words in outcome.hint
    assert "no advice" not in outcome.hint
    assert outcome.hint == wecom_hint(str(code), outcome.message)
    publication = Publication.objects.get(action=Publication.Action.PUBLISH)
    assert (publication.outcome, publication.code, publication.hint) == ("failure", str(code), outcome.hint)


def test_a_code_outside_the_table_shows_the_platforms_text(simulator, wecom_account, factories, publisher):
    # WeChat's 40017 (a wrong top-level type) is not in platforms.md's WeCom table: no advice of ours.
    simulator.add_fault(CREATE, errcode=40017, errmsg="invalid button type, hint: [x], from ip: 127.0.0.1")
    outcome = publish_menu(factories.menu(wecom_account, tree=MENU), publisher)
    assert outcome.code == "40017"
    assert "no advice for this code" in outcome.hint and "invalid button type" in outcome.hint


def test_a_type_wecom_does_not_know_is_stopped_before_sending(simulator, wecom_account, factories, publisher):
    menu = factories.menu(
        wecom_account, tree={"button": [{"type": "media_id", "name": "M", "media_id": "m"}]}
    )
    outcome = publish_menu(menu, publisher)
    assert outcome.code == "invalid"
    assert simulator.requests_to(CREATE) == []


# -- pull, drift, delete, history -----------------------------------------------------------------------


def test_pull_makes_a_new_draft_of_the_live_menu(simulator, wecom, wecom_account, publisher):
    wecom.set_menu(MENU)
    result = pull_menu(wecom_account, publisher)

    assert result.outcome.ok, result.outcome
    assert result.menu.tree == MENU
    assert paths(simulator) == [GETTOKEN, GET]
    assert simulator.requests_to(GET)[0].query["agentid"] == str(DEFAULT_AGENTID)
    pulled = Publication.objects.get(action=Publication.Action.PULL)
    assert pulled.tree().to_json() == MENU  # the history reads the stored reply back


def test_pulling_an_application_without_a_menu_says_so(simulator, wecom_account, publisher):
    result = pull_menu(wecom_account, publisher)

    assert (result.menu, result.outcome.ok, result.outcome.code) == (None, True, "empty")
    assert Menu.objects.filter(account=wecom_account).count() == 0


def test_a_menu_changed_elsewhere_is_drift_until_confirmed(simulator, wecom, wecom_menu, publisher):
    assert publish_menu(wecom_menu, publisher).ok
    wecom.set_menu(ELSEWHERE)

    outcome = publish_menu(wecom_menu, publisher)
    assert outcome.code == "drift"
    assert wecom.menu_for() == ELSEWHERE
    assert publish_menu(wecom_menu, publisher, confirm_drift=True).ok
    assert wecom.menu_for() == MENU


def test_delete_removes_the_live_menu(simulator, wecom, wecom_menu, publisher):
    assert publish_menu(wecom_menu, publisher).ok
    outcome = delete_live_menu(wecom_menu.account, publisher)

    assert outcome.ok, outcome
    assert wecom.menu_for() is None
    assert simulator.requests_to(DELETE)[0].query["agentid"] == str(DEFAULT_AGENTID)
    assert "open the application's chat again" in outcome.hint


def test_the_connection_test_fetches_a_token_and_reads_the_menu(simulator, wecom, wecom_account):
    wecom.set_menu(MENU)
    outcome = check_connection(wecom_account)
    assert outcome.ok, outcome
    assert "3 top-level buttons" in outcome.message
    assert paths(simulator) == [GETTOKEN, GET]


# -- the command line -----------------------------------------------------------------------------------


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def test_menu_publish_pull_and_delete_live_from_the_command_line(simulator, wecom, wecom_menu, publisher):
    assert "Published" in run("menu_publish", str(wecom_menu.pk), "--user", publisher.username)
    assert wecom.menu_for() == MENU
    out = run("menu_pull", "--account", wecom_menu.account.slug, "--user", publisher.username)
    pulled = Menu.objects.exclude(pk=wecom_menu.pk).get()
    assert str(pulled.pk) in out and pulled.tree == MENU
    run("menu_delete_live", "--account", wecom_menu.account.slug, "--user", publisher.username, "--yes")
    assert wecom.menu_for() is None


def test_menu_publish_failure_exits_1_with_the_advice(simulator, wecom, wecom_menu, publisher):
    wecom.set_trusted_ips([])
    with pytest.raises(CommandError) as failure:
        run("menu_publish", str(wecom_menu.pk), "--user", publisher.username)
    assert failure.value.returncode == 1
    assert "60020" in str(failure.value) and "127.0.0.1" in str(failure.value)

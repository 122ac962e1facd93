"""Every fault the simulator can produce, on every action that talks to a platform.

Parametrized over the full code tables of platforms.md (both platforms), and over transport
faults (a timeout, HTTP errors, a body that is not JSON, a refused connection, a token that
expires between two calls): each gives its hint, a failed Publication recording code, message
and hint, an untouched draft and an untouched live menu. tests/publishing/ covers a sample of
codes on publish; this file covers the whole tables, on publish, pull and delete, and the page
that shows the outcome.
"""

from __future__ import annotations

import json
import re
import socket
import threading
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from menueditor import publishing
from menueditor.forms import tree_to_post_data
from menueditor.models import Menu, Publication
from menueditor.tree import parse_menu
from tests.security.conftest import BOTH_PLATFORMS_MENU, PUBLISH

pytestmark = pytest.mark.django_db

# The "what the user should do" column of platforms.md, as words each hint must carry.
WECHAT_CODES: dict[int, str] = {
    -1: "Try again",
    40001: "another system",
    40014: "another system",
    42001: "another system",
    40013: "AppID",
    40125: "AppSecret",
    40164: "whitelist",
    40243: "unfreeze",
    40016: "1 to 3",
    40023: "1 to 5",
    40017: "type",
    40024: "type",
    40018: "16 bytes",
    40025: "60 bytes",
    40019: "128 bytes",
    40026: "128 bytes",
    40020: "1024 bytes",
    40027: "1024 bytes",
    40022: "two levels",
    40033: "bug",
    47002: "bug",
    40054: "domain",
    40055: "domain",
    40119: "verify the account",
    40120: "verify the account",
    45009: "tomorrow",
    45011: "minute",
    45064: "link it",
    46003: "No menu has been set through the API",
    48001: "unverified",
    50002: "restrict",
    61004: "third-party",
    61007: "third-party",
    65301: "menuid",
    65302: "follower",
    65303: "default menu",
    # Each conditional-menu code listed in platforms.md has its own advice; the unlisted ones the
    # generic advice, which quotes the code.
    65304: "match rule is empty",
    65305: "too many conditional menus",
    65306: "may not use conditional menus",
    65307: "no buttons",
    65308: "has no type",
    65309: "switched off",
    **{code: str(code) for code in range(65310, 65315)},
    65315: "follow the account",
    65316: "domains",
    65317: "web address",
    65318: "UTF-8",
    65319: "creating menus",
    65320: "tag",
}
WEIBO_CODES: dict[int, str] = {
    10001: "Try again later",
    10002: "Try again later",
    10003: "Try again later",
    10004: "IP address",
    10006: "copy a new token",
    21314: "copy a new token",
    21315: "copy a new token",
    21316: "copy a new token",
    21317: "copy a new token",
    21327: "copy a new token",
    21332: "copy a new token",
    21319: "authorise the app key again",
    10008: "bug of this app",
    10016: "bug of this app",
    10017: "bug of this app",
    26406: "Developer mode",
}
# Codes a token call answers (wrong credentials, whitelist, quota): faulted on the token endpoint too.
WECHAT_TOKEN_CODES = (-1, 40013, 40125, 40164, 40243, 45009, 45011, 50002, 61004)
LIVE = {"button": [{"type": "click", "name": "Live now", "key": "LIVE"}]}
ACTIONS = ("publish", "pull", "delete")
PATHS = {
    ("wechat", "publish"): "/cgi-bin/menu/create",
    ("wechat", "pull"): "/cgi-bin/menu/get",
    ("wechat", "delete"): "/cgi-bin/menu/delete",
    ("weibo", "publish"): "/2/messages/menu/create.json",
    ("weibo", "pull"): "/2/messages/menu/show.json",
    ("weibo", "delete"): "/2/messages/menu/delete.json",
}


@pytest.fixture
def publisher(factories):
    return factories.user(username="publisher", perms=PUBLISH)


def setup_account(factories, simulator, publisher, platform: str):
    account = factories.account(platform=platform, api_base=simulator.url, members=(publisher,))
    menu = factories.menu(account, title="Spring", tree=BOTH_PLATFORMS_MENU, user=publisher)
    if platform == "wechat":
        simulator.wechat_menu = LIVE
    else:
        simulator.weibo_menu = LIVE
    return account, menu


def live(simulator, platform: str):
    return simulator.wechat_menu if platform == "wechat" else simulator.weibo_menu


def snapshot(menu: Menu) -> tuple:
    menu = Menu.objects.get(pk=menu.pk)
    return (json.dumps(menu.tree, sort_keys=True), menu.revision, menu.updated_at, menu.title)


def act(action: str, account, menu, user):
    """Run one action; its Outcome."""
    if action == "publish":
        return publishing.publish_menu(menu, user, confirm_drift=True)
    if action == "pull":
        return publishing.pull_menu(account, user).outcome
    return publishing.delete_live_menu(account, user)


def assert_failed_cleanly(
    outcome, *, code: str, fragment: str, action: str, menu, before, simulator, platform
):
    assert not outcome.ok, outcome
    assert outcome.code == code
    assert fragment.lower() in outcome.hint.lower(), outcome.hint
    assert outcome.when_visible == ""
    record = Publication.objects.get()
    # A write that got no answer may have taken effect: unknown until the live menu is read again.
    unknown = code == "timeout" and action in ("publish", "delete") and outcome.pending
    expected = Publication.Outcome.UNKNOWN if unknown else Publication.Outcome.FAILURE
    assert (record.action, record.outcome) == (action, expected)
    assert (record.code, record.hint, record.message) == (code, outcome.hint, outcome.message)
    assert snapshot(menu) == before
    assert Menu.objects.count() == 1  # a failed pull makes no draft
    assert live(simulator, platform) == LIVE


def code_cases(platform: str, table: dict[int, str]):
    for code, fragment in table.items():
        for action in ACTIONS:
            if platform == "wechat" and code == 46003 and action == "pull":
                continue  # not an error when pulling: see test_46003_on_pull_reads_the_console_menu
            yield pytest.param(platform, code, fragment, action, id=f"{platform}-{code}-{action}")


@pytest.mark.parametrize(
    "platform,code,fragment,action", [*code_cases("wechat", WECHAT_CODES), *code_cases("weibo", WEIBO_CODES)]
)
def test_every_platform_code_gives_its_hint_a_failed_record_and_an_untouched_draft(
    factories, simulator, publisher, platform, code, fragment, action
):
    account, menu = setup_account(factories, simulator, publisher, platform)
    before = snapshot(menu)
    message = f"text for {code} rid: 64a1-2b3c"
    # Every call of the action answers with the code (a retry after a token refresh included).
    simulator.add_fault(PATHS[platform, action], errcode=code, errmsg=message, times=None)

    outcome = act(action, account, menu, publisher)

    assert_failed_cleanly(
        outcome, code=str(code), fragment=fragment, action=action, menu=menu, before=before,
        simulator=simulator, platform=platform,
    )  # fmt: skip
    assert outcome.message == message  # the platform's words, as they came
    if platform == "wechat" and str(code) in ("40001", "40014", "42001"):
        # Exactly one refresh and one retry, never more.
        assert len(simulator.requests_to(PATHS[platform, action])) == 2
        assert simulator.token_fetches == 2


@pytest.mark.parametrize("code", WECHAT_TOKEN_CODES)
@pytest.mark.parametrize("action", ACTIONS)
def test_wechat_token_endpoint_codes_give_their_hint(factories, simulator, publisher, code, action):
    account, menu = setup_account(factories, simulator, publisher, "wechat")
    before = snapshot(menu)
    simulator.add_fault("/cgi-bin/stable_token", errcode=code, times=None)
    outcome = act(action, account, menu, publisher)
    assert_failed_cleanly(
        outcome, code=str(code), fragment=WECHAT_CODES[code], action=action, menu=menu, before=before,
        simulator=simulator, platform="wechat",
    )  # fmt: skip
    assert simulator.requests_to(PATHS["wechat", action]) == []


def test_40164_names_the_ip_to_whitelist(factories, simulator, publisher):
    account, menu = setup_account(factories, simulator, publisher, "wechat")
    simulator.add_fault("/cgi-bin/stable_token", errcode=40164)  # the simulator's text names our IP
    outcome = act("publish", account, menu, publisher)
    assert "127.0.0.1" in outcome.hint


def test_46003_on_pull_reads_the_console_menu(factories, simulator, publisher):
    account, menu = setup_account(factories, simulator, publisher, "wechat")
    simulator.add_fault("/cgi-bin/menu/get", errcode=46003)
    outcome = act("pull", account, menu, publisher)
    assert outcome.ok  # no API menu: the app reads get_current_selfmenu_info instead
    assert simulator.requests_to("/cgi-bin/get_current_selfmenu_info")


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_an_unknown_code_shows_code_and_message_as_they_came(factories, simulator, publisher, platform):
    account, menu = setup_account(factories, simulator, publisher, platform)
    before = snapshot(menu)
    simulator.add_fault(PATHS[platform, "publish"], errcode=77777, errmsg="brand new rule <b>x</b>")
    outcome = act("publish", account, menu, publisher)
    assert_failed_cleanly(
        outcome, code="77777", fragment="brand new rule <b>x</b>", action="publish", menu=menu,
        before=before, simulator=simulator, platform=platform,
    )  # fmt: skip
    assert "77777" in outcome.hint


# -- transport faults ----------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


TRANSPORT = {
    "timeout": ("timeout", "did not answer"),
    "http-502": ("http_502", "502"),
    "http-500": ("http_500", "HTTP error"),
    "http-503": ("http_503", "HTTP error"),
    "http-504": ("http_504", "HTTP error"),
    "http-404": ("http_404", "HTTP error"),
    "not-json": ("not_json", "not a platform reply"),
    "refused": ("connection", "Could not reach"),
}


def arrange_transport(name: str, simulator, settings, account, path: str) -> None:
    if name == "timeout":
        settings.PLATFORM_TIMEOUT = 0.3
        simulator.add_fault(path, delay=3)
    elif name.startswith("http-"):
        simulator.add_fault(path, http_status=int(name[5:]))
    elif name == "not-json":
        simulator.add_fault(path, not_json=True)
    elif name == "refused":
        account.api_base = f"http://127.0.0.1:{_closed_port()}"
        account.save()


@pytest.mark.parametrize("name", TRANSPORT)
@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_every_transport_fault_gives_its_hint_and_leaves_everything(
    factories, simulator, publisher, settings, platform, action, name
):
    account, menu = setup_account(factories, simulator, publisher, platform)
    before = snapshot(menu)
    arrange_transport(name, simulator, settings, account, PATHS[platform, action])
    code, fragment = TRANSPORT[name]
    outcome = act(action, account, menu, publisher)
    assert_failed_cleanly(
        outcome, code=code, fragment=fragment, action=action, menu=menu, before=before,
        simulator=simulator, platform=platform,
    )  # fmt: skip


@pytest.mark.parametrize("name", ["timeout", "http-502", "not-json"])
def test_transport_faults_on_the_token_call_too(factories, simulator, publisher, settings, name):
    account, menu = setup_account(factories, simulator, publisher, "wechat")
    before = snapshot(menu)
    arrange_transport(name, simulator, settings, account, "/cgi-bin/stable_token")
    code, fragment = TRANSPORT[name]
    outcome = act("publish", account, menu, publisher)
    assert_failed_cleanly(
        outcome, code=code, fragment=fragment, action="publish", menu=menu, before=before,
        simulator=simulator, platform="wechat",
    )  # fmt: skip


# -- a token that expires between two calls --------------------------------------------------------


def _expire_while_waiting(simulator, path: str) -> threading.Thread:
    """Hold the next call to `path` a moment; once it has arrived (with a valid token), expire every
    token, so that it is answered as if the token ran out between the app's two calls."""
    simulator.add_fault(path, delay=1.0)

    def expire_once_it_arrived() -> None:
        deadline = time.monotonic() + 10
        while not simulator.requests_to(path) and time.monotonic() < deadline:
            time.sleep(0.005)
        simulator.expire_tokens()

    thread = threading.Thread(target=expire_once_it_arrived, daemon=True)
    thread.start()
    return thread


def test_wechat_token_expiring_between_read_and_publish_is_renewed_once(factories, simulator, publisher):
    _account, menu = setup_account(factories, simulator, publisher, "wechat")
    simulator.wechat_menu = None  # nothing live: no drift, the publish reads then writes
    timer = _expire_while_waiting(simulator, "/cgi-bin/menu/create")
    outcome = publishing.publish_menu(menu, publisher)
    timer.join()
    assert outcome.ok, outcome
    assert [r.path for r in simulator.requests] == [
        "/cgi-bin/stable_token",
        "/cgi-bin/menu/get",
        "/cgi-bin/get_current_selfmenu_info",
        "/cgi-bin/menu/create",  # answered 42001 after the wait
        "/cgi-bin/stable_token",
        "/cgi-bin/menu/create",
    ]
    assert simulator.token_fetches == 2
    assert Publication.objects.get().outcome == Publication.Outcome.SUCCESS


def test_wechat_token_expiring_again_after_renewal_gives_the_hint(factories, simulator, publisher):
    _account, menu = setup_account(factories, simulator, publisher, "wechat")
    simulator.wechat_menu = None
    before = snapshot(menu)
    timer = _expire_while_waiting(simulator, "/cgi-bin/menu/create")
    simulator.add_fault("/cgi-bin/menu/create", errcode=42001, times=None)  # the retry meets it too
    outcome = publishing.publish_menu(menu, publisher)
    timer.join()
    assert outcome.code == "42001"
    assert "another system" in outcome.hint.lower()
    assert Publication.objects.get().outcome == Publication.Outcome.FAILURE
    assert snapshot(menu) == before
    assert simulator.wechat_menu is None


def test_weibo_token_expiring_between_read_and_publish_says_copy_a_new_one(factories, simulator, publisher):
    _account, menu = setup_account(factories, simulator, publisher, "weibo")
    simulator.weibo_menu = None
    before = snapshot(menu)
    timer = _expire_while_waiting(simulator, "/2/messages/menu/create.json")
    outcome = publishing.publish_menu(menu, publisher)
    timer.join()
    assert outcome.code == "21327"
    assert "copy a new token" in outcome.hint
    record = Publication.objects.get()
    assert (record.outcome, record.code) == (Publication.Outcome.FAILURE, "21327")
    assert snapshot(menu) == before
    assert simulator.weibo_menu is None


def test_wechat_token_expired_since_the_last_action_is_renewed(factories, simulator, publisher):
    account, menu = setup_account(factories, simulator, publisher, "wechat")
    assert act("pull", account, menu, publisher).ok
    simulator.expire_tokens()  # the cached token now answers 42001
    outcome = act("delete", account, menu, publisher)
    assert outcome.ok
    assert simulator.token_fetches == 2


# -- what the person sees: the editor and the pages say the hint, the draft is kept ------------------


def _editor_publish(client: Client, menu: Menu):
    """Review, then confirm against the live menu the review showed, as a person does."""
    menu.refresh_from_db()
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    review = client.post(reverse("menu_publish_review", args=[menu.pk]), data, HTTP_HX_REQUEST="true")
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', review.content.decode())
    data |= {"reviewed_revision": str(menu.revision), "live_fingerprint": fingerprint.group(1)}
    return client.post(reverse("menu_publish", args=[menu.pk]), data, HTTP_HX_REQUEST="true")


@pytest.mark.parametrize(
    "platform,code",
    [*(("wechat", c) for c in WECHAT_CODES), *(("weibo", c) for c in WEIBO_CODES)],
    ids=lambda v: str(v),
)
def test_the_editor_shows_each_codes_hint_and_keeps_the_draft(
    factories, simulator, publisher, platform, code
):
    _account, menu = setup_account(factories, simulator, publisher, platform)
    before = snapshot(menu)
    simulator.add_fault(PATHS[platform, "publish"], errcode=code, errmsg=f"said {code}", times=None)
    client = Client()
    client.force_login(publisher)
    response = _editor_publish(client, menu)
    assert response.status_code == 200
    page = response.content.decode()
    record = Publication.objects.get()
    assert escape(record.hint) in page
    assert f"said {code}" in page and str(code) in page
    assert "Your draft is unchanged." in page
    assert snapshot(menu) == before


@pytest.mark.parametrize("name", TRANSPORT)
def test_pages_explain_transport_faults_on_pull_and_delete(factories, simulator, publisher, settings, name):
    account, _menu = setup_account(factories, simulator, publisher, "wechat")
    client = Client()
    client.force_login(publisher)
    for action, url in (
        ("pull", reverse("menu_pull", args=[account.slug])),
        ("delete", reverse("live_delete", args=[account.slug])),
    ):
        simulator.reset()
        simulator.wechat_menu = LIVE
        account.refresh_from_db()
        arrange_transport(name, simulator, settings, account, PATHS["wechat", action])
        response = client.post(url, follow=True)
        assert response.status_code == 200
        record = Publication.objects.filter(action=action).get()
        # A delete that got no answer may have happened: unknown until the live menu is read.
        unknown = action == "delete" and name == "timeout"
        assert record.outcome == (Publication.Outcome.UNKNOWN if unknown else Publication.Outcome.FAILURE)
        assert escape(record.hint) in response.content.decode()
        if name == "refused":
            account.api_base = simulator.url
            account.save()
    assert Menu.objects.count() == 1

"""Weibo over real HTTP against the simulator: the form field, the stored token, error codes and hints."""

from __future__ import annotations

import io
from urllib.parse import parse_qs

import pytest
from django.core.management import call_command

from menueditor.models import Publication
from menueditor.platforms.weibo import WEIBO_HINTS, weibo_hint
from menueditor.publishing import check_connection, delete_live_menu, publish_menu, pull_menu

from .conftest import paths, snapshot

pytestmark = pytest.mark.django_db

CREATE = "/2/messages/menu/create.json"
SHOW = "/2/messages/menu/show.json"
DELETE = "/2/messages/menu/delete.json"

WEIBO_TREE = {
    "button": [
        {"type": "click", "name": "获取优惠券", "key": "get_groupon"},
        {
            "name": "菜单",
            "sub_button": [
                {
                    "type": "view",
                    "name": "网上4S店",
                    "url": "http://apps.weibo.com/1838358847/8rYu1uHD?a=1&b=%20",
                },
                {"type": "click", "name": "么么哒 & co", "key": "memeda"},
            ],
        },
    ]
}


def test_the_menu_goes_as_the_form_field_menus_encoded_once(simulator, weibo_account, factories, publisher):
    menu = factories.menu(weibo_account, tree=WEIBO_TREE)
    out = io.StringIO()
    call_command("menu_export", str(menu.pk), stdout=out)

    assert publish_menu(menu, publisher).ok

    (create,) = simulator.requests_to(CREATE)
    assert create.method == "POST"
    assert create.header("Content-Type") == "application/x-www-form-urlencoded"
    form = parse_qs(create.body.decode("ascii"))
    assert form["menus"] == [out.getvalue()]
    assert create.query["access_token"] == "demo-weibo-token"
    assert simulator.weibo_menu == WEIBO_TREE


def test_the_stored_token_is_the_only_credential(simulator, weibo_menu, publisher):
    assert publish_menu(weibo_menu, publisher).ok
    assert simulator.token_fetches == 0
    assert set(paths(simulator)) == {SHOW, CREATE}


def _expire(sim, account, settings):
    sim.expire_tokens()


FAILURES = {
    "expired-token": (_expire, "21327", "copy a new token"),
    "revoked-token": (lambda sim, acc, settings: sim.invalidate_tokens(), "21332", "copy a new token"),
    "withdrawn": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=21319), "21319", "authorise"),
    "developer-mode-off": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=26406),
        "26406",
        "turns it on again",
    ),
    "ip": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=10004), "10004", "IP address"),
    "busy": (lambda sim, acc, settings: sim.add_fault(CREATE, errcode=10003), "10003", "Try again later"),
    "bad-parameter": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=10017),
        "10017",
        "bug of this app",
    ),
    "http-502": (lambda sim, acc, settings: sim.add_fault(CREATE, http_status=502), "http_502", "502"),
    "not-json": (lambda sim, acc, settings: sim.add_fault(CREATE, not_json=True), "not_json", "not a"),
    "timeout": (
        lambda sim, acc, settings: (
            setattr(settings, "PLATFORM_TIMEOUT", 0.3),
            sim.add_fault(CREATE, delay=3),
        ),
        "timeout",
        "did not answer",
    ),
    "unknown": (
        lambda sim, acc, settings: sim.add_fault(CREATE, errcode=20999, errmsg="odd weibo"),
        "20999",
        "odd weibo",
    ),
}


@pytest.mark.parametrize("string_codes", [False, True], ids=["numeric-code", "string-code"])
@pytest.mark.parametrize("name", FAILURES)
def test_every_failure_gives_its_hint_and_leaves_the_draft(
    simulator, weibo_menu, publisher, settings, name, string_codes
):
    simulator.weibo_string_codes = string_codes
    arrange, code, fragment = FAILURES[name]
    arrange(simulator, weibo_menu.account, settings)
    before = snapshot(weibo_menu)

    outcome = publish_menu(weibo_menu, publisher)

    assert not outcome.ok
    assert outcome.code == code
    assert fragment in outcome.hint
    publication = Publication.objects.get()
    # No answer to the write itself: it may have happened, so the record says unknown, not failed.
    expected = "unknown" if code == "timeout" else "failure"
    assert (publication.outcome, publication.code, publication.hint) == (expected, code, outcome.hint)
    assert snapshot(weibo_menu) == before
    assert simulator.weibo_menu is None


def test_an_error_answered_with_http_200_is_read_the_same(simulator, weibo_menu, publisher):
    simulator.weibo_error_status = 200
    simulator.expire_tokens()
    outcome = publish_menu(weibo_menu, publisher)
    assert outcome.code == "21327"


def test_every_code_of_the_table_has_a_hint():
    for code in ("10001", "10002", "10003", "10004", "10006", "21314", "21315", "21316", "21317",
                 "21327", "21332", "21319", "10008", "10016", "10017", "26406"):  # fmt: skip
        assert code in WEIBO_HINTS
        assert weibo_hint(code, "x") == str(WEIBO_HINTS[code])
    assert "555" in weibo_hint("555", "as it came") and "as it came" in weibo_hint("555", "as it came")


def test_pull_reads_show_json(simulator, weibo_account, publisher):
    simulator.weibo_menu = WEIBO_TREE
    result = pull_menu(weibo_account, publisher)
    assert result.outcome.ok
    assert result.menu.tree == WEIBO_TREE
    assert paths(simulator) == [SHOW]


def test_delete_uses_delete_json(simulator, weibo_menu, publisher):
    assert publish_menu(weibo_menu, publisher).ok
    outcome = delete_live_menu(weibo_menu.account, publisher)
    assert outcome.ok
    assert "24 hours" in outcome.hint
    assert simulator.requests_to(DELETE)[0].method == "POST"
    assert simulator.weibo_menu is None


def test_check_connection_reads_the_menu(simulator, weibo_account):
    assert check_connection(weibo_account).ok
    assert paths(simulator) == [SHOW]
    simulator.invalidate_tokens()
    outcome = check_connection(weibo_account)
    assert (outcome.ok, outcome.code) == (False, "21332")
    assert "copy a new token" in outcome.hint


def test_a_missing_token_is_explained_without_a_call(simulator, weibo_menu, publisher):
    account = weibo_menu.account
    account.access_token = ""
    account.save()
    weibo_menu.refresh_from_db()
    outcome = publish_menu(weibo_menu, publisher)
    assert outcome.code == "not_configured"
    assert "access token" in outcome.hint
    assert simulator.requests == []

"""Publishes, pulls, saves and token refreshes at the same moment, on SQLite and PostgreSQL alike.

One action on an account's live menu runs at a time (a lease, not a row lock); the others are told
who is publishing, and nothing reaches the platform without its Publication. Every thread has its
own connection; SQLite runs with the IMMEDIATE transactions and busy timeout bin/run uses.
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.db import OperationalError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import CachedToken
from menueditor.diff import same_menu
from menueditor.forms import tree_to_post_data
from menueditor.models import Menu, Publication
from menueditor.publishing import check_connection, client_for, publish_menu, pull_menu
from menueditor.tree import parse_menu

from .together import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WORKERS = 8
CREATE = "/cgi-bin/menu/create"


@pytest.fixture
def eight_drafts(simulator, factories):
    publisher = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(api_base=simulator.url, members=(publisher,))
    menus = [
        factories.menu(
            account,
            title=f"Menu {i}",
            tree={"button": [{"type": "click", "name": f"菜单{i}", "key": f"K{i}"}]},
        )
        for i in range(WORKERS)
    ]
    return publisher, account, menus


def assert_every_create_is_recorded(simulator, account) -> None:
    creates = [json.loads(r.body) for r in simulator.requests_to(CREATE)]
    records = list(
        Publication.objects.filter(account=account, action="publish", outcome="success").order_by("pk")
    )
    assert [json.loads(r.payload) for r in records] == creates
    assert not Publication.objects.filter(outcome__in=["pending", "unknown"]).exists()


def test_publishes_at_once_go_out_one_at_a_time_and_the_others_are_told_who(simulator, eight_drafts):
    publisher, account, menus = eight_drafts
    simulator.add_fault(CREATE, delay=0.5, times=None)  # the first publish is still running when the rest ask

    outcomes = run_together(lambda i: publish_menu(menus[i], publisher, confirm_drift=True), WORKERS)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    published = [o for o in outcomes if o.ok]
    busy = [o for o in outcomes if o.code == "busy"]
    assert len(published) + len(busy) == WORKERS, [o.code for o in outcomes]
    assert published and busy
    assert all(publisher.username in o.hint and "Nothing was sent" in o.hint for o in busy)
    assert len(simulator.requests_to(CREATE)) == len(published)
    assert_every_create_is_recorded(simulator, account)


def test_publishes_one_after_another_all_go_out_in_order(simulator, eight_drafts):
    publisher, account, menus = eight_drafts
    for menu in menus:
        assert publish_menu(menu, publisher).ok  # each finds live what the one before sent: no drift
    assert simulator.token_fetches == 1
    assert_every_create_is_recorded(simulator, account)
    assert simulator.wechat_menu == json.loads(Publication.objects.first().payload)


def test_a_publish_and_pulls_at_once_never_record_a_menu_out_of_order(simulator, eight_drafts):
    publisher, account, menus = eight_drafts
    simulator.add_fault(CREATE, delay=0.5, times=None)

    def act(i: int):
        if i == 0:
            return publish_menu(menus[0], publisher, confirm_drift=True)
        return pull_menu(account, publisher).outcome

    outcomes = run_together(act, 4)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert {o.code for o in outcomes} <= {"ok", "empty", "busy"}
    # Whatever was recorded last is what is live: a pull never recorded the menu a publish replaced.
    last = Publication.objects.filter(outcome="success").first()
    live = simulator.wechat_menu
    assert same_menu(last.tree(), parse_menu(live) if live else None)
    assert_every_create_is_recorded(simulator, account)


def test_a_refresh_is_fetched_once_for_every_worker_waiting_on_it(simulator, factories):
    account = factories.account(api_base=simulator.url)
    long_ago = timezone.now() - timedelta(hours=3)
    CachedToken.objects.create(account=account, token="expired", fetched_at=long_ago, expires_at=long_ago)
    simulator.add_fault("/cgi-bin/stable_token", delay=0.3, times=None)

    def read(_i):
        client = client_for(account)
        try:
            return client.tokens.current()
        finally:
            client.close()

    tokens = run_together(read, WORKERS)
    assert len(set(tokens)) == 1 and isinstance(tokens[0], str), tokens
    assert simulator.token_fetches == 1
    assert CachedToken.objects.get(account=account).fetch_count == 1
    assert check_connection(account).ok


def test_publishes_on_several_accounts_with_no_token_make_one_token_call_each(simulator, factories):
    publisher = factories.user(perms=("change_menu", "publish_menu"))
    accounts = [factories.account(api_base=simulator.url, members=(publisher,)) for _ in range(2)]
    menus = [factories.menu(accounts[i % 2], title=f"M{i}") for i in range(4)]
    simulator.add_fault("/cgi-bin/stable_token", delay=0.3, times=None)

    outcomes = run_together(lambda i: publish_menu(menus[i], publisher, confirm_drift=True), 4)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert all(o.ok or o.code == "busy" for o in outcomes)
    # Both accounts share the simulator's AppID, but each account keeps and fetches its own token.
    assert [c.fetch_count for c in CachedToken.objects.all()] == [1, 1]


def test_editors_saving_while_publishes_wait_on_the_platform_are_never_refused(
    simulator, eight_drafts, factories
):
    publisher, account, menus = eight_drafts
    simulator.add_fault(CREATE, delay=0.4, times=None)
    editors = [factories.user(perms=("change_menu",)) for _ in range(4)]
    for editor in editors:
        account.members.add(editor)
    own = [factories.menu(account, title=f"Own {i}") for i in range(4)]

    def work(i: int):
        if i < 3:
            return publish_menu(menus[i], publisher, confirm_drift=True)
        client = Client()
        client.force_login(editors[i - 3])
        menu = own[i - 3]
        statuses = []
        for n in range(5):
            menu.refresh_from_db()
            data = tree_to_post_data(
                parse_menu(menu.tree), title=f"Saved {i}-{n}", revision=str(menu.revision)
            )
            statuses.append(
                client.post(reverse("menu_save", args=[menu.pk]), data, HTTP_HX_REQUEST="true").status_code
            )
        return statuses

    results = run_together(work, 7)

    assert not [r for r in results if isinstance(r, (Exception, OperationalError))], results
    assert all(status == 200 for statuses in results[3:] for status in statuses), results[3:]
    assert sorted(Menu.objects.filter(title__startswith="Saved").values_list("title", flat=True)) == [
        f"Saved {i}-4" for i in range(3, 7)
    ]
    assert_every_create_is_recorded(simulator, account)

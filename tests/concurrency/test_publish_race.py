"""Concurrent publishes on one account go out one at a time (tests/publishing/test_concurrency.py
covers the single token fetch and the order of the history; this adds the serialising itself).

Each publish reads the live menu (drift check), then sends menu/create. Under the account's row lock
the simulator sees those as unbroken pairs; without it the reads of several publishes would come
before their creates.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from menueditor.models import Publication
from menueditor.publishing import publish_menu

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="the account row lock needs PostgreSQL"),
]

WORKERS = 8
READS = ("/cgi-bin/menu/get", "/cgi-bin/get_current_selfmenu_info")
CREATE = "/cgi-bin/menu/create"


def run_together(work, count: int) -> list:
    start = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            start.wait(timeout=10)
            results[i] = work(i)
        except Exception as exc:  # reported by the assertions
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def publish_calls(simulator, since: int = 0) -> list[list[str]]:
    """The simulator's log of reads and creates, cut after each create: one group per publish."""
    groups, current = [], []
    for request in simulator.requests[since:]:
        if request.path in (*READS, CREATE):
            current.append(request.path)
            if request.path == CREATE:
                groups.append(current)
                current = []
    assert current == [], "a read without its create"
    return groups


def assert_one_at_a_time(groups: list[list[str]]) -> None:
    """Every publish read the live menu once and then sent, with no other publish in between."""
    assert len(groups) == WORKERS
    for group in groups:
        assert group.count("/cgi-bin/menu/get") == 1, groups
        assert CREATE not in group[:-1], groups


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
    # Every call takes a moment, so that publishes not kept apart would overlap.
    simulator.add_fault(platform="wechat", delay=0.03, times=None)
    return publisher, account, menus


def test_eight_publishes_without_a_token_go_out_one_at_a_time(simulator, eight_drafts):
    assert connection.vendor == "postgresql"
    publisher, account, menus = eight_drafts

    outcomes = run_together(lambda i: publish_menu(menus[i], publisher), WORKERS)

    assert all(getattr(o, "ok", False) for o in outcomes), outcomes
    assert simulator.token_fetches == 1
    assert_one_at_a_time(publish_calls(simulator))
    # Each publish found live what the one before had sent: no drift between them.
    records = Publication.objects.filter(account=account)
    assert [r.outcome for r in records] == [Publication.Outcome.SUCCESS] * WORKERS


def test_with_a_cached_token_publishes_still_go_out_one_at_a_time(simulator, eight_drafts):
    """Without a token the token fetch's lock alone would serialise them; here only the publish lock does."""
    publisher, _account, menus = eight_drafts
    assert publish_menu(menus[0], publisher).ok  # caches the token
    since = len(simulator.requests)

    outcomes = run_together(lambda i: publish_menu(menus[i], publisher), WORKERS)

    assert all(getattr(o, "ok", False) for o in outcomes), [getattr(o, "code", o) for o in outcomes]
    assert simulator.token_fetches == 1  # the first publish's, none since
    assert_one_at_a_time(publish_calls(simulator, since))

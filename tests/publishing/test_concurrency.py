"""Concurrent publishes on PostgreSQL: one token for all, one publish at a time, recorded in order."""

from __future__ import annotations

import json
import threading

import pytest
from django.db import connection, connections

from accounts.models import CachedToken
from menueditor.models import Publication
from menueditor.publishing import publish_menu

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif("connection.vendor != 'postgresql'", reason="row locks need PostgreSQL"),
]

WORKERS = 8


def tree(n: int) -> dict:
    return {"button": [{"type": "click", "name": f"菜单{n}", "key": f"KEY_{n}"}]}


def run_together(work, count: int) -> list:
    """Run work(i) in `count` threads released at the same moment; each thread its own connection."""
    start = threading.Barrier(count)
    results: list = [None] * count

    def worker(i: int) -> None:
        try:
            start.wait()
            results[i] = work(i)
        except Exception as exc:  # reported by the assertion below
            results[i] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_eight_publishes_fetch_one_token_and_are_recorded_in_order(simulator, factories, publisher):
    assert connection.vendor == "postgresql"
    account = factories.account(api_base=simulator.url, members=(publisher,))
    menus = [factories.menu(account, tree=tree(i), title=f"Menu {i}") for i in range(WORKERS)]
    # Each request waits a little, so the workers really overlap.
    simulator.add_fault(platform="wechat", delay=0.05, times=None)

    outcomes = run_together(lambda i: publish_menu(menus[i], publisher), WORKERS)

    assert all(getattr(o, "ok", False) for o in outcomes), outcomes
    assert simulator.token_fetches == 1
    assert CachedToken.objects.get(account=account).fetch_count == 1
    records = list(Publication.objects.filter(account=account).order_by("pk"))
    assert len(records) == WORKERS
    sent = [json.loads(r.body) for r in simulator.requests_to("/cgi-bin/menu/create")]
    assert [json.loads(r.payload) for r in records] == sent  # recorded in the order they were sent
    assert [r.created_at for r in records] == sorted(r.created_at for r in records)
    assert sorted(r.menu_id for r in records) == sorted(m.pk for m in menus)
    assert simulator.wechat_menu == sent[-1]


def test_an_expired_token_is_renewed_by_one_worker_only(simulator, factories):
    from datetime import timedelta

    from django.utils import timezone

    from menueditor.publishing import check_connection

    account = factories.account(api_base=simulator.url)
    long_ago = timezone.now() - timedelta(hours=3)
    CachedToken.objects.create(account=account, token="expired", fetched_at=long_ago, expires_at=long_ago)
    simulator.add_fault("/cgi-bin/stable_token", delay=0.2, times=None)

    def read(_i):
        from menueditor.publishing import client_for

        client = client_for(account)
        try:
            return client.tokens.current()
        finally:
            client.close()

    tokens = run_together(read, WORKERS)
    assert len(set(tokens)) == 1, tokens
    assert simulator.token_fetches == 1
    assert check_connection(account).ok

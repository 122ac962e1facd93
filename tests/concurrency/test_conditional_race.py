"""Two publishes of the same conditional draft at once: one addconditional, the other told who is
publishing; each add and delete the platform received has its Publication."""

from __future__ import annotations

import json

import pytest

from menueditor.models import Publication
from menueditor.publishing import publish_menu

from .together import run_together

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADD = "/cgi-bin/menu/addconditional"


@pytest.fixture
def vip(simulator, factories):
    publisher = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(api_base=simulator.url, members=(publisher,))
    assert publish_menu(factories.menu(account, title="Default"), publisher).ok
    menu = factories.menu(
        account, title="VIP", tree={"button": [{"type": "click", "name": "会员", "key": "VIP"}]}
    )
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    return publisher, account, menu


@pytest.mark.parametrize("workers", [2, 6])
def test_publishes_of_one_conditional_draft_at_once_add_it_once(simulator, vip, workers):
    publisher, account, menu = vip
    simulator.add_fault(ADD, delay=0.5, times=None)  # the first is still adding when the others ask

    outcomes = run_together(lambda i: publish_menu(menu, publisher), workers)

    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.code for o in outcomes) == ["busy"] * (workers - 1) + ["ok"], [o.code for o in outcomes]
    assert len(simulator.requests_to(ADD)) == 1
    [live] = simulator.wechat_conditional_menus
    assert live["matchrule"] == {"tag_id": "100"}
    [record] = Publication.objects.filter(account=account, match_rule='{"tag_id":"100"}')
    assert record.outcome == "success"
    assert json.loads(record.payload) == json.loads(simulator.requests_to(ADD)[0].body)
    assert not Publication.objects.filter(outcome__in=["pending", "unknown"]).exists()

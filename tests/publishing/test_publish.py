"""publish_menu: permission, validation, the record it keeps, and the outcome people read."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied

from accounts.models import Account
from menueditor.models import Menu, Publication
from menueditor.publishing import can_edit, can_publish, publish_menu

from .conftest import paths, snapshot

pytestmark = pytest.mark.django_db


def test_wechat_publish_makes_the_draft_live_and_records_it(simulator, wechat_menu, publisher):
    outcome = publish_menu(wechat_menu, publisher)

    assert outcome.ok, outcome
    assert outcome.code == "ok"
    assert outcome.when_visible == "within about 5 minutes"
    assert "within about 5 minutes" in outcome.hint
    assert simulator.wechat_menu == wechat_menu.tree
    publication = Publication.objects.get()
    assert outcome.publication == publication
    assert publication.action == Publication.Action.PUBLISH
    assert publication.outcome == Publication.Outcome.SUCCESS
    assert (publication.account, publication.menu, publication.user) == (
        wechat_menu.account,
        wechat_menu,
        publisher,
    )
    assert publication.code == "0"
    assert publication.message == "ok"
    assert publication.hint == outcome.hint
    assert json.loads(publication.payload) == wechat_menu.tree
    assert publication.payload.encode("utf-8") == simulator.requests_to("/cgi-bin/menu/create")[0].body


def test_weibo_publish_says_phones_may_take_a_day(simulator, weibo_menu, publisher):
    outcome = publish_menu(weibo_menu, publisher)

    assert outcome.ok, outcome
    assert outcome.when_visible == "up to 24 hours"
    assert "24 hours" in outcome.hint
    assert simulator.weibo_menu == weibo_menu.tree
    assert Publication.objects.get().payload == json.dumps(weibo_menu.tree, ensure_ascii=False)


def test_publishing_does_not_touch_the_draft(simulator, wechat_menu, publisher):
    before = snapshot(wechat_menu)
    assert publish_menu(wechat_menu, publisher).ok
    assert snapshot(wechat_menu) == before


def test_an_invalid_menu_never_reaches_the_platform(simulator, wechat_account, factories, publisher):
    too_long = {"button": [{"type": "click", "name": "一二三四五六", "key": "K"}]}  # 18 bytes
    menu = factories.menu(wechat_account, tree=too_long)
    before = snapshot(menu)

    outcome = publish_menu(menu, publisher)

    assert not outcome.ok
    assert outcome.code == "invalid"
    assert outcome.problems and "18 bytes" in outcome.problems[0]
    assert outcome.hint
    assert simulator.requests == []
    assert snapshot(menu) == before


def test_a_draft_that_is_not_a_menu_is_invalid(simulator, wechat_account, factories, publisher):
    menu = factories.menu(wechat_account, tree={"button": "nope"})
    menu.tree = {"button": "nope"}
    menu.save()
    outcome = publish_menu(menu, publisher)
    assert (outcome.ok, outcome.code) == (False, "invalid")
    assert simulator.requests == []


def test_weibo_rules_apply_to_weibo_drafts(simulator, weibo_account, factories, publisher):
    # miniprogram is a WeChat type: Weibo has click and view only.
    tree = {
        "button": [
            {"type": "miniprogram", "name": "小程序", "appid": "wx1", "pagepath": "p", "url": "https://a.b/"}
        ]
    }
    menu = factories.menu(weibo_account, tree=tree)
    outcome = publish_menu(menu, publisher)
    assert outcome.code == "invalid"
    assert simulator.requests == []


# -- who may publish -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("perms", "assigned", "staff"),
    [
        (("change_menu",), True, True),  # an editor, not a publisher
        (("change_menu", "publish_menu"), False, True),  # a publisher of other accounts
        (("change_menu", "publish_menu"), True, False),  # not staff (any more)
    ],
    ids=["without-publish-permission", "not-assigned", "not-staff"],
)
def test_who_may_not_publish_gets_permission_denied(
    simulator, wechat_menu, factories, perms, assigned, staff
):
    user = factories.user(perms=perms, staff=staff)
    if assigned:
        wechat_menu.account.members.add(user)
    before = snapshot(wechat_menu)

    assert not can_publish(user, wechat_menu.account)
    with pytest.raises(PermissionDenied):
        publish_menu(wechat_menu, user)

    assert simulator.requests == []
    assert Publication.objects.count() == 0
    assert snapshot(wechat_menu) == before


def test_an_inactive_user_may_not_publish(simulator, wechat_menu, publisher):
    publisher.is_active = False
    publisher.save()
    with pytest.raises(PermissionDenied):
        publish_menu(wechat_menu, publisher)
    assert simulator.requests == []


def test_assignment_through_a_group_counts(simulator, wechat_menu, factories):
    from django.contrib.auth.models import Group

    team = Group.objects.create(name="Team north")
    user = factories.user(perms=("publish_menu",))
    user.groups.add(team)
    wechat_menu.account.groups.add(team)
    assert can_publish(user, wechat_menu.account)
    assert not can_edit(user, wechat_menu.account)
    assert publish_menu(wechat_menu, user).ok


def test_the_publishers_group_grants_publishing(simulator, wechat_menu, factories):
    from django.contrib.auth.models import Group

    user = factories.user()
    user.groups.add(Group.objects.get(name="Menu publishers"))
    wechat_menu.account.members.add(user)
    assert publish_menu(wechat_menu, user).ok


def test_superusers_publish_everywhere(simulator, wechat_menu, factories):
    admin = factories.user(superuser=True)
    assert admin not in wechat_menu.account.members.all()
    assert publish_menu(wechat_menu, admin).ok


def test_publishing_one_account_leaves_the_others_alone(simulator, wechat_menu, weibo_account, publisher):
    assert publish_menu(wechat_menu, publisher).ok
    assert simulator.weibo_menu is None
    assert not Publication.objects.filter(account=weibo_account).exists()
    assert set(paths(simulator)) <= {
        "/cgi-bin/stable_token",
        "/cgi-bin/menu/get",
        "/cgi-bin/get_current_selfmenu_info",
        "/cgi-bin/menu/create",
    }
    assert Account.objects.count() == 2
    assert Menu.objects.count() == 1

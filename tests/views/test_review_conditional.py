"""The publish review of a conditional draft: the two phones compare it with the live conditional menu
of the same rule (not the default menu), and console-made replies, which only a default menu can
have, are never said to be lost by it."""

from __future__ import annotations

import pytest
from django.urls import reverse

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.publishing import publish_menu
from menueditor.tree import parse_menu

from .conftest import client_for
from .test_review import CONSOLE, _between

pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}
VIP_LIVE = {
    "button": [
        {"type": "click", "name": "会员专享", "key": "VIP"},
        {"type": "click", "name": "积分", "key": "POINTS"},
    ]
}
VIP_DRAFT = {
    "button": [
        {"type": "click", "name": "会员专享", "key": "VIP"},
        {"type": "click", "name": "生日礼", "key": "BIRTHDAY"},
    ]
}


def review(client, menu: Menu) -> str:
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    response = client.post(reverse("menu_publish_review", args=[menu.pk]), data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def vip_draft(factories, account, tree) -> Menu:
    menu = factories.menu(account, title="VIP", tree=tree)
    menu.match_rule = {"tag_id": "100"}
    menu.save()
    return menu


def test_the_two_phones_compare_with_the_live_conditional_menu_of_the_same_rule(team, factories):
    team.sim.add_wechat_tag("100", "VIP会员")
    assert publish_menu(factories.menu(team.a, title="Default"), team.publisher).ok
    assert publish_menu(vip_draft(factories, team.a, VIP_LIVE), team.publisher).ok

    html = review(client_for(team.publisher), vip_draft(factories, team.a, VIP_DRAFT))

    before = _between(html, 'class="compare-side compare-before"', "</figure>")
    after = _between(html, 'class="compare-side compare-after"', "</figure>")
    assert "积分" in before and "今日歌曲" not in before  # the VIP menu, not the default one
    assert "mark-changed" in before and "mark-changed" in after and "生日礼" in after
    assert "Published for: " in html and "VIP会员" in html
    assert 'class="lost-replies"' not in html


def test_a_first_conditional_menu_is_compared_with_no_menu(team, factories):
    assert publish_menu(factories.menu(team.a, title="Default"), team.publisher).ok
    html = review(client_for(team.publisher), vip_draft(factories, team.a, VIP_DRAFT))
    before = _between(html, 'class="compare-side compare-before"', "</figure>")
    assert "compare-none" in before and "今日歌曲" not in before


def test_console_made_replies_of_the_default_menu_are_not_lost_by_a_conditional_draft(team, factories):
    team.sim.set_console_menu(CONSOLE)
    client = client_for(team.publisher)
    # The default menu's review says what the API would lose ...
    assert 'class="lost-replies"' in review(client, factories.menu(team.a, title="Default"))
    # ... a conditional draft leaves the default menu alone: nothing lost, but no API default (65303).
    html = review(client, vip_draft(factories, team.a, VIP_DRAFT))
    assert 'class="lost-replies"' not in html and "你好" not in html
    assert "65303" in html

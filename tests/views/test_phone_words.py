"""What the phone preview says besides the menu comes from the platform: WeChat and Weibo greet a new
follower, a WeCom application has no follow greeting and members rather than followers."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from menueditor.models import Publication
from menueditor.platforms import get_platform
from tests.views.conftest import client_for

pytestmark = pytest.mark.django_db

MENU = {"button": [{"type": "click", "name": "签到", "key": "CHECK_IN"}]}


def greeting_html(platform: str, name: str = "咖啡俱乐部") -> str:
    context = {"platform": get_platform(platform), "account": SimpleNamespace(name=name)}
    return render_to_string("menus/_phone_greeting.html", context).strip()


@pytest.mark.parametrize("platform", ["wechat", "weibo"])
def test_an_account_with_followers_greets_them_in_the_phone(platform):
    html = greeting_html(platform)
    assert '<p class="chat-bubble">Thanks for following <bdi>咖啡俱乐部</bdi>!' in html
    assert '<span class="chat-avatar">咖</span>' in html


def test_a_wecom_application_has_no_follow_greeting():
    assert not get_platform("wecom").greeting
    assert greeting_html("wecom", "打卡助手") == ""


def test_the_account_name_in_the_greeting_is_escaped():
    html = greeting_html("wechat", "<b>Club</b>")
    assert "<b>" not in html and "&lt;b&gt;Club&lt;/b&gt;" in html


def test_a_wecom_history_says_members_see_no_menu(factories):
    user = factories.user(perms=("view_menu", "change_menu", "view_publication"))
    account = factories.account(platform="wecom", members=(user,), slug="clock-in")
    for action, payload in (("publish", json.dumps(MENU, ensure_ascii=False)), ("delete", "")):
        Publication.objects.create(
            account=account, user=user, action=action, outcome="success", payload=payload
        )
    page = client_for(user).get(reverse("account_history", args=["clock-in"])).content.decode()
    assert "No menu: members see only the text box." in page  # the delete's "after" phone
    assert "followers see only" not in page


def test_a_wechat_history_says_followers_see_no_menu(factories):
    user = factories.user(perms=("view_menu", "change_menu", "view_publication"))
    account = factories.account(members=(user,), slug="coffee")
    for action, payload in (("publish", json.dumps(MENU, ensure_ascii=False)), ("delete", "")):
        Publication.objects.create(
            account=account, user=user, action=action, outcome="success", payload=payload
        )
    page = client_for(user).get(reverse("account_history", args=["coffee"])).content.decode()
    assert "No menu: followers see only the text box." in page


@pytest.mark.parametrize(("platform", "greets"), [("wechat", True), ("weibo", True), ("wecom", False)])
def test_the_editors_phone_greets_only_where_the_platform_does(factories, platform, greets):
    user = factories.user(perms=("view_menu", "change_menu"))
    account = factories.account(platform=platform, members=(user,))
    menu = factories.menu(account, tree=MENU)
    client = client_for(user)
    page = client.get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert ("Thanks for following" in page) is greets
    empty = client.post(reverse("menu_preview", args=[menu.pk]), {"title": "x", "revision": menu.revision})
    assert empty.status_code == 200
    assert str(get_platform(platform).no_menu_text) in empty.content.decode()  # a form with no buttons

"""The editor shows a Weibo account's byte counts as Weibo counts them (GB18030), and says so once."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation

from menueditor.forms import tree_to_post_data
from menueditor.platforms import get_platform
from menueditor.tree import parse_menu

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PAGE_EXAMPLE = json.loads(
    (Path(__file__).parent.parent / "platforms" / "examples" / "weibo_menu_create.json").read_text("utf-8")
)


def editor_for(factories, platform: str, tree: dict):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(platform=platform, members=(user,))
    menu = factories.menu(account, tree=tree, user=user)
    client = Client()
    client.force_login(user)
    return menu, client


def note() -> str:
    with translation.override("en"):
        return str(get_platform("weibo").byte_note)


def test_weibo_editor_counts_the_pages_example_as_weibo_does_and_says_so_once(factories):
    menu, client = editor_for(factories, "weibo", PAGE_EXAMPLE)
    html = client.get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert '<span id="use-b-1-name" class="usage">12/16 bytes</span>' in html  # 查询客服电话
    assert '<span id="use-b-0-name" class="usage">10/16 bytes</span>' in html  # 获取优惠券
    assert '<span id="use-b-2-s-0-name" class="usage">8/40 bytes</span>' in html  # 网上4S店
    assert "18/16" not in html
    assert "usage over" not in html
    assert html.count(note()) == 1
    assert "2 bytes" in note()


def test_wechat_editor_still_counts_utf8_and_has_no_weibo_note(factories):
    menu, client = editor_for(factories, "wechat", PAGE_EXAMPLE)
    html = client.get(reverse("menu_edit", args=[menu.pk])).content.decode()
    assert '<span id="use-b-1-name" class="usage over">18/16 bytes</span>' in html
    assert note() not in html
    assert 'id="byte-note"' not in html


def test_typing_in_a_weibo_name_counts_as_weibo_does(factories):
    menu, client = editor_for(factories, "weibo", PAGE_EXAMPLE)
    data = tree_to_post_data(parse_menu(menu.tree), title=menu.title, revision=str(menu.revision))
    data["b-1-name"] = "一二三四五六七八"  # 8 Chinese characters: exactly Weibo's 16 bytes
    html = client.post(reverse("menu_preview", args=[menu.pk]), data, **HTMX).content.decode()
    assert '<span id="use-b-1-name" class="usage" hx-swap-oob="true">16/16 bytes</span>' in html
    assert "at most 16 bytes" not in html
    assert note() not in html  # the note is the page's, not each keystroke's

    data["b-1-name"] = "一二三四五六七八九"  # 9: 18 bytes
    html = client.post(reverse("menu_preview", args=[menu.pk]), data, **HTMX).content.decode()
    assert '<span id="use-b-1-name" class="usage over" hx-swap-oob="true">18/16 bytes</span>' in html
    assert "the name is 18 bytes; at most 16 bytes are allowed here" in html

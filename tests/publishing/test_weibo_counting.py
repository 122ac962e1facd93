"""Weibo counts bytes as GB18030 does: its page's own example publishes, over real HTTP to the simulator.

The editor's rules (menueditor.platforms.weibo) and the simulator (simulator.rules, written from
platforms.md on its own) must agree at every edge, or the editor would refuse what Weibo takes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from menueditor.models import Publication
from menueditor.platforms import get_platform
from menueditor.platforms.transport import PlatformError
from menueditor.platforms.weibo import WeiboClient
from menueditor.publishing import publish_menu
from menueditor.tree import parse_menu

pytestmark = pytest.mark.django_db

CREATE = "/2/messages/menu/create.json"
WEIBO = get_platform("weibo")
PAGE_EXAMPLE = json.loads(
    (Path(__file__).parent.parent / "platforms" / "examples" / "weibo_menu_create.json").read_text("utf-8")
)


def test_the_pages_own_example_publishes_through_the_service(simulator, weibo_account, factories, publisher):
    """查询客服电话 is 12/16 bytes on Weibo (18 in UTF-8): the editor sends it and Weibo takes it."""
    menu = factories.menu(weibo_account, tree=PAGE_EXAMPLE, user=publisher)
    outcome = publish_menu(menu, publisher)
    assert outcome.ok, (outcome.code, outcome.message, outcome.problems)
    assert simulator.weibo_menu == PAGE_EXAMPLE
    assert len(simulator.requests_to(CREATE)) == 1
    assert simulator.refusals == []
    assert outcome.publication.outcome == Publication.Outcome.SUCCESS


def test_nine_chinese_characters_are_refused_before_anything_is_sent(
    simulator, weibo_account, factories, publisher
):
    tree = json.loads(json.dumps(PAGE_EXAMPLE))
    tree["button"][1]["name"] = "查询客服电话号码啊"  # 9 Chinese characters: 18/16 bytes
    menu = factories.menu(weibo_account, tree=tree, user=publisher)
    outcome = publish_menu(menu, publisher)
    assert not outcome.ok and outcome.code == "invalid"
    assert "18 bytes; at most 16" in outcome.message
    assert simulator.requests_to(CREATE) == []
    assert simulator.weibo_menu is None


EDGES = [
    # (top-level name, sub-button name, key, url): each at Weibo's limit, or one byte past it.
    ("一二三四五六七八", "子", "k", "http://a.cn/"),  # 16 bytes
    ("一二三四五六七八九", "子", "k", "http://a.cn/"),  # 18
    ("VIP一二三四五六A", "子", "k", "http://a.cn/"),  # 16
    ("VIP一二三四五六AB", "子", "k", "http://a.cn/"),  # 17
    ("😀😀😀😀", "子", "k", "http://a.cn/"),  # 16
    ("😀😀😀😀A", "子", "k", "http://a.cn/"),  # 17
    ("菜单", "一二三四五六七八九十" * 2, "k", "http://a.cn/"),  # sub 40
    ("菜单", "一二三四五六七八九十" * 2 + "A", "k", "http://a.cn/"),  # sub 41
    ("菜单", "子", "键" * 64, "http://a.cn/"),  # key 128
    ("菜单", "子", "键" * 64 + "k", "http://a.cn/"),  # key 129
    ("菜单", "子", "k", "http://a.cn/" + "页" * 122),  # url 256
    ("菜单", "子", "k", "http://a.cn/" + "页" * 122 + "a"),  # url 257
]


@pytest.mark.parametrize(("top", "sub", "key", "url"), EDGES)
def test_the_editor_and_the_simulator_agree_at_the_edges(simulator, weibo_account, top, sub, key, url):
    data = {
        "button": [
            {"type": "click", "name": top, "key": "k"},
            {
                "name": "更多",
                "sub_button": [
                    {"type": "click", "name": sub, "key": key},
                    {"type": "view", "name": "官网", "url": url},
                ],
            },
        ]
    }
    tree = parse_menu(data)
    client = WeiboClient(weibo_account)
    try:
        client.publish(tree)
        accepted = True
    except PlatformError as error:  # the simulator refused
        assert error.code == "10008"
        accepted = False
    finally:
        client.close()
    assert WEIBO.is_valid(tree) == accepted, (WEIBO.errors(tree), simulator.refusals)
    assert accepted == (simulator.weibo_menu == data)

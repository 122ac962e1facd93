"""The publish review as a marketer reads it: two phones with the changed buttons marked, the
changes matched by identity in words, and what a console-made live menu loses."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from menueditor.forms import tree_to_post_data
from menueditor.models import Menu
from menueditor.publishing import publish_menu
from menueditor.tree import parse_menu

# transaction=True: the review calls the platform, which is never done inside a transaction.
pytestmark = pytest.mark.django_db(transaction=True)

HTMX = {"HTTP_HX_REQUEST": "true"}

LIVE = {
    "button": [
        {
            "name": "商城",
            "sub_button": [
                {"type": "view", "name": "进店", "url": "https://shop.example.com/"},
                {"type": "click", "name": "优惠券", "key": "COUPONS"},
                {"type": "pic_sysphoto", "name": "拍照", "key": "PHOTO"},
            ],
        },
        {"name": "关于", "sub_button": [{"type": "view", "name": "我们", "url": "https://example.com/us"}]},
    ]
}
# Two sub-buttons of 商城 removed, one added under 关于.
DRAFT = {
    "button": [
        {
            "name": "商城",
            "sub_button": [{"type": "view", "name": "进店", "url": "https://shop.example.com/"}],
        },
        {
            "name": "关于",
            "sub_button": [
                {"type": "view", "name": "我们", "url": "https://example.com/us"},
                {"type": "click", "name": "客服", "key": "SERVICE"},
            ],
        },
    ]
}
CONSOLE = {
    "button": [
        {"type": "text", "name": "你好", "value": "欢迎关注"},
        {
            "name": "更多",
            "sub_button": {
                "list": [
                    {"type": "news", "name": "文章", "value": "MEDIA", "news_info": {"list": []}},
                    {"type": "view", "name": "官网", "url": "https://example.com/"},
                ]
            },
        },
    ]
}


@pytest.fixture
def publisher_client(factories, simulator):
    user = factories.user(perms=("change_menu", "publish_menu"))
    account = factories.account(members=(user,))
    account.api_base = simulator.url
    account.save()
    client = Client()
    client.force_login(user)
    return user, account, client


def _review(client: Client, menu: Menu) -> str:
    tree = parse_menu(menu.tree)
    data = tree_to_post_data(tree, title=menu.title, revision=str(menu.revision))
    response = client.post(reverse("menu_publish_review", args=[menu.pk]), data, **HTMX)
    assert response.status_code == 200
    return response.content.decode()


def _between(html: str, start: str, end: str) -> str:
    return html[html.index(start) : html.index(end, html.index(start))]


def test_the_review_shows_the_live_menu_and_the_draft_as_two_marked_phones(publisher_client, factories):
    user, account, client = publisher_client
    live = factories.menu(account, tree=LIVE, user=user)
    assert publish_menu(live, user).ok
    draft = factories.menu(account, tree=DRAFT, user=user)

    html = _review(client, draft)

    before = _between(html, 'class="compare-side compare-before"', "</figure>")
    after = _between(html, 'class="compare-side compare-after"', "</figure>")
    assert "Live now" in before and "After publishing" in after
    assert before.count("mark-removed") == 2 and "优惠券" in before and "拍照" in before
    assert after.count("mark-added") == 1 and "客服" in after
    assert "mark-" not in before.replace("mark-removed", "")
    changes = re.findall(r'<li class="change change-(\w+)">([^<]*)</li>', html)
    assert changes == [
        ("removed", "Removed “优惠券” (Click (send key)) from “商城” position 2"),
        ("removed", "Removed “拍照” (Take a photo) from “商城” position 3"),
        ("added", "Added “客服” (Click (send key)) at “关于” position 2"),
    ]
    text = " ".join(t for _kind, t in changes)
    assert "renamed" not in text and "pic_sysphoto" not in html and "(click)" not in html
    assert "style=" not in html  # strict CSP: the marks are classes


def test_a_console_made_live_menu_lists_the_replies_publishing_loses_before_the_button(
    publisher_client, factories, simulator
):
    user, account, client = publisher_client
    simulator.set_console_menu(CONSOLE)
    draft = factories.menu(account, user=user)

    html = _review(client, draft)

    warning = re.sub(r"</?bdi>", "", _between(html, 'class="lost-replies"', "</div>"))
    assert "made in the platform's web console" in warning
    assert "“你好” (menu bar position 1): a text reply" in warning
    assert "“文章” (“更多” position 1): an article (news) reply" in warning
    assert "官网" not in warning  # a web page button is kept by the API
    assert html.index('class="lost-replies"') < html.index('id="publish-confirm"')
    # The changes name what those buttons did in words, never an empty or raw type.
    assert "what it does changed from “a text reply”" in html or "Removed “你好” (a text reply)" in html


def test_the_drift_warning_shows_what_changed_live_as_two_phones(publisher_client, factories, simulator):
    user, account, client = publisher_client
    menu = factories.menu(account, tree=LIVE, user=user)
    assert publish_menu(menu, user).ok
    changed = {
        "button": [
            LIVE["button"][0],
            {
                "name": "关于",
                "sub_button": [
                    {"type": "view", "name": "我们", "url": "https://example.com/us"},
                    {"type": "view", "name": "招聘", "url": "https://example.com/jobs"},
                ],
            },
        ]
    }
    simulator.wechat_menu = changed  # a colleague added a button in another tool

    html = _review(client, menu)

    drift = _between(html, 'class="drift"', 'class="compare-side compare-after"')
    assert "Last published from here" in drift
    drift = _between(html, 'class="drift"', "Followers will see these changes")
    assert "Added “招聘” (Open web page) at “关于” position 2" in drift
    assert re.search(r'mark mark-added"><span class="mini-name" title="招聘">', drift)
    # And publishing this draft takes it out again, said in the review below.
    assert "Removed “招聘” (Open web page) from “关于” position 2" in html


def test_a_publish_refused_because_the_live_menu_changed_since_the_review_shows_both_comparisons(
    publisher_client, factories, simulator
):
    user, account, client = publisher_client
    live = factories.menu(account, tree=LIVE, user=user)
    assert publish_menu(live, user).ok
    draft = factories.menu(account, tree=DRAFT, user=user)
    review = _review(client, draft)
    fingerprint = re.search(r'name="live_fingerprint" value="([0-9a-f]+)"', review).group(1)
    # A colleague removes 拍照 in the console while the review is open.
    changed = {
        "button": [
            {**LIVE["button"][0], "sub_button": LIVE["button"][0]["sub_button"][:2]},
            LIVE["button"][1],
        ]
    }
    simulator.wechat_menu = changed
    data = tree_to_post_data(parse_menu(draft.tree), title=draft.title, revision=str(draft.revision))
    data |= {"reviewed_revision": str(draft.revision), "live_fingerprint": fingerprint}

    html = client.post(reverse("menu_publish", args=[draft.pk]), data, **HTMX).content.decode()

    assert "The live menu changed while you were reviewing" in html
    assert html.count('class="compare"') == 2
    changes = re.findall(r'<li class="change change-(\w+)">([^<]*)</li>', html)
    assert changes == [
        ("removed", "Removed “拍照” (Take a photo) from “商城” position 3"),  # what changed live
        ("removed", "Removed “优惠券” (Click (send key)) from “商城” position 2"),  # what publishing changes
        ("added", "Added “客服” (Click (send key)) at “关于” position 2"),
    ]
    assert simulator.wechat_menu == changed
